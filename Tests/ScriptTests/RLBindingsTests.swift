import Foundation
import Testing
import Engine
@testable import Script

/// The Gymnasium trajectories committed with the engine's tests (made by
/// Tests/EngineTests/fixtures/rl/make_rl_fixtures.py).
func rlFixture(filePath: String = #filePath) throws -> [String: Any] {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EngineTests/fixtures/rl/rl_trajectories.json")
    let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
    return try #require(object as? [String: Any])
}

private func numbers(_ v: Any?) -> [Double] { (v as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? [] }

extension ScriptSuite {
    @Test func cartPoleFromAScriptFollowsGymnasium() throws {
        let cases = try #require(try rlFixture()["cartpole"] as? [[String: Any]])
        for c in cases {
            let start = numbers(c["start"]), actions = numbers(c["actions"]).map { Int($0) }
            let steps = try #require(c["steps"] as? [[String: Any]])
            // Steps up to and including the first end of the episode.
            let end = steps.firstIndex { ($0["terminated"] as? Bool) == true || ($0["truncated"] as? Bool) == true } ?? steps.count - 1
            let s = boundSession()
            s.mustRun("""
                import rl
                env = rl.CartPole()
                obs0, info0 = env.reset(seed=0, state=\(start))
                out = []
                for a in \(Array(actions[...end])):
                    out.append(env.step(a))
                """)
            let first = try #require(s.tensor("obs0"))
            #expect(first.shape == [4] && first.dtype == .float32)
            #expect(first.floatArray() == start.map { Float($0) })
            let results = s.items("out")
            #expect(results.count == end + 1)
            for (got, want) in zip(results, steps) {
                let r = try #require(got.asTuple?.items)
                #expect(r.count == 5)
                let obs = try #require(TensorBindings.tensor(in: r[0]))
                #expect(obs.shape == [4] && obs.dtype == .float32)
                let wantObs = numbers(want["observation"])
                for i in 0..<4 { #expect(abs(Double(obs.floatArray()[i]) - wantObs[i]) <= 1e-6 * max(1, abs(wantObs[i]))) }
                #expect(r[1].doubleValue == want["reward"] as? Double)
                #expect(truthy(r[2]) == (want["terminated"] as? Bool) && truthy(r[3]) == (want["truncated"] as? Bool))
                #expect(r[4].asDict != nil)
            }
            // Gymnasium would go on with reward 0; here a finished episode must be reset first.
            let after = try #require(s.failure("env.step(0)"))
            #expect(after.name == "RuntimeError" && after.message.contains("reset()"))
            s.mustRun("obs1, _ = env.reset()\nr1 = env.step(1)")
            #expect(s.tensor("obs1")?.shape == [4])
        }
    }

    @Test func cliffWalkingFromAScriptFollowsGymnasium() throws {
        let cases = try #require(try rlFixture()["cliffwalking"] as? [[String: Any]])
        for c in cases {
            let actions = numbers(c["actions"]).map { Int($0) }
            let steps = try #require(c["steps"] as? [[String: Any]])
            let s = boundSession()
            s.mustRun("""
                env = rl.CliffWalking()
                start, info = env.reset(seed=0)
                prob = info["prob"]
                out = []
                for a in \(actions):
                    o, r, term, trunc, i = env.step(a)
                    out.append((o, r, term, trunc, i["prob"]))
                    if term:
                        break
                """)
            #expect(s.int("start") == 36 && s.double("prob") == 1)
            for (got, want) in zip(s.items("out"), steps) {
                let r = try #require(got.asTuple?.items)
                #expect(r[0].intValue == want["observation"] as? Int)
                #expect(r[1].doubleValue == want["reward"] as? Double)
                #expect(truthy(r[2]) == (want["terminated"] as? Bool) && !truthy(r[3]))
                #expect(r[4].doubleValue == want["prob"] as? Double)
            }
        }
    }

    @Test func spacesAndBadActionsAreClear() throws {
        let s = boundSession()
        s.mustRun("""
            env = rl.CliffWalking()
            n = env.action_space.n
            n_states = env.observation_space.n
            obs_shape = env.observation_space.shape
            cp = rl.CartPole()
            cp_shape = cp.observation_space.shape
            cp_n = cp.action_space.n
            seed(1)
            samples = [env.action_space.sample() for _ in range(200)]
            p = env.P[36][1]
            """)
        #expect(s.int("n") == 4 && s.int("n_states") == 48 && s.items("obs_shape").isEmpty)
        #expect(s.items("cp_shape").compactMap(\.intValue) == [4] && s.int("cp_n") == 2)
        #expect(Set(s.items("samples").compactMap(\.intValue)) == Set(0..<4))
        let p = try #require(s.items("p").first?.asTuple?.items)
        #expect(p[0].doubleValue == 1 && p[1].intValue == 36 && p[2].doubleValue == -100 && !truthy(p[3]))
        let before = try #require(s.failure("rl.CliffWalking().step(0)"))
        #expect(before.name == "ValueError" && before.message.contains("reset()"))
        s.mustRun("env.reset()")
        let bad = try #require(s.failure("env.step(7)"))
        #expect(bad.name == "ValueError" && bad.message.contains("0..3") && bad.message.contains("7"))
        #expect(s.failure("env.step(1.0)")?.name == "TypeError")
        #expect(s.failure("env.step('up')")?.name == "TypeError")
        #expect(s.failure("env.reset(state=99)")?.name == "ValueError")
        #expect(s.failure("rl.CartPole().reset(state=[1, 2])")?.name == "ValueError")
        s.mustRun("t_action = env.step(tensor(1))")
    }

    @Test func qLearningFromAScriptFindsTheCliffPath() throws {
        let s = boundSession()
        s.mustRun("""
            import random
            seed(0)
            env = rl.CliffWalking()
            Q = [[0.0, 0.0, 0.0, 0.0] for _ in range(48)]
            def greedy(q):
                best = 0
                for a in range(4):
                    if q[a] > q[best]:
                        best = a
                return best
            for episode in range(300):
                state, _ = env.reset()
                done = False
                while not done:
                    a = env.action_space.sample() if random.random() < 0.1 else greedy(Q[state])
                    nxt, r, term, trunc, _ = env.step(a)
                    target = r if term else r + max(Q[nxt])
                    Q[state][a] += 0.5 * (target - Q[state][a])
                    state = nxt
                    done = term or trunc
            state, _ = env.reset()
            total = 0.0
            for t in range(100):
                state, r, term, trunc, _ = env.step(greedy(Q[state]))
                total += r
                if term:
                    break
            picture = env.render(policy=[greedy(q) for q in Q])
            """)
        #expect(s.double("total") == -13)
        #expect(s.global("picture")?.stringValue?.split(separator: "\n").count == 4)
    }

    @Test func gridWorldModelRenderingAndValueIteration() throws {
        let s = boundSession()
        s.mustRun("""
            env = rl.GridWorld()
            P = env.P
            V = [0.0] * 12
            for sweep in range(100):
                for st in range(12):
                    if env.is_terminal(st) or env.is_wall(st):
                        continue
                    V[st] = max(sum(p * (r + (0.0 if done else V[s2])) for p, s2, r, done in P[st][a]) for a in range(4))
            picture = env.render()
            values = env.render(values=V)
            custom = rl.GridWorld(rows=2, cols=2, walls=[], terminals={(0, 1): 5.0}, step_reward=-1.0, slip=0.0, start=(1, 0))
            obs, _ = custom.reset()
            o1, r1, t1, _, _ = custom.step(0)
            o2, r2, t2, _, _ = custom.step(1)
            """)
        // Russell & Norvig's utilities of the 4×3 world (γ = 1, R = −0.04): U(1,1) = 0.705, U(3,3) = 0.918.
        // Their U(s) counts s's own −0.04; V here counts rewards from the next move on: V = U + 0.04.
        let v = s.items("V").compactMap(\.doubleValue)
        #expect(v.count == 12)
        #expect(abs(v[8] - 0.04 - 0.705) < 0.001 && abs(v[2] - 0.04 - 0.918) < 0.001)
        #expect(s.global("picture")?.stringValue?.contains("#") == true)
        #expect(s.global("picture")?.stringValue?.contains("S") == true)
        #expect(s.global("values")?.stringValue?.contains("0.96") == true)
        #expect(s.int("obs") == 2 && s.int("o1") == 0 && s.double("r1") == -1 && s.int("o2") == 1 && s.double("r2") == 5)
        #expect(truthy(s.global("t2") ?? .none) && !truthy(s.global("t1") ?? .none))
        #expect(s.failure("rl.GridWorld(walls=[(9, 9)])")?.name == "ValueError")
        #expect(s.failure("rl.GridWorld(terminals=[1])")?.name == "TypeError")
        #expect(s.failure("env.render(values=[1, 2])")?.name == "ValueError")
    }

    @Test func banditAndReplayBuffer() throws {
        let s = boundSession()
        s.mustRun("""
            b = rl.MultiArmedBandit(arms=5)
            b.reset(seed=3, state=[0.0, 0.5, 2.0, -1.0, 0.1])
            best = b.best_arm
            pulls = [b.step(2)[1] for _ in range(400)]
            buf = rl.ReplayBuffer(3)
            for i in range(5):
                buf.push(tensor([i, -i, 2 * i]), i % 2, float(i), tensor([i + 1, 0, 0]), i == 4)
            n = len(buf)
            seed(2)
            s0, a0, r0, s1, d0 = buf.sample(3)
            grid = rl.ReplayBuffer(10)
            grid.push(36, 1, -1.0, 24, False)
            grid.push(24, 0, -1.0, 12, True)
            gs, ga, gr, gs2, gd = grid.sample(2)
            """)
        #expect(s.int("best") == 2)
        let pulls = s.items("pulls").compactMap(\.doubleValue)
        #expect(abs(pulls.reduce(0, +) / 400 - 2) < 0.15)
        #expect(s.int("n") == 3)
        let states = try #require(s.tensor("s0")), rewards = try #require(s.tensor("r0")).floatArray()
        #expect(states.shape == [3, 3] && states.dtype == .float32)
        #expect(Set(rewards) == [2, 3, 4], "the two oldest transitions were overwritten")
        #expect(try #require(s.tensor("a0")).dtype == .int64 && s.tensor("d0")?.dtype == .float32)
        for (row, r) in rewards.enumerated() {
            #expect(states.floatArray()[row * 3] == r)
            #expect(s.tensor("d0")?.floatArray()[row] == (r == 4 ? 1 : 0))
        }
        let gs = try #require(s.tensor("gs"))
        #expect(gs.dtype == .int64 && gs.shape == [2] && Set(gs.int64Array()) == [36, 24])
        #expect(s.failure("buf.sample(4)")?.name == "ValueError")
        #expect(s.failure("rl.ReplayBuffer(0)")?.name == "ValueError")
        #expect(s.failure("buf.push(tensor([1, 2]), 0, 1.0, tensor([1, 2]), False)")?.name == "ValueError")
        #expect(s.failure("grid.push(tensor([1.0]), 0, 1.0, tensor([1.0]), False)")?.name == "ValueError")
    }

    @Test func distributionsFromAScriptAreDifferentiable() throws {
        let s = boundSession()
        s.mustRun("""
            logits = tensor([0.0, 1.0, -1.0], requires_grad=True)
            d = rl.Categorical(logits=logits)
            lp = d.log_prob(1)
            h = d.entropy()
            seed(0)
            a = d.sample()
            p = rl.Categorical(probs=[0.25, 0.75])
            plp = p.log_prob(tensor([0, 1, 1]))
            mean = tensor([0.5], requires_grad=True)
            n = rl.Normal(mean, 2.0)
            nlp = n.log_prob(tensor([1.5]))
            nh = n.entropy()
            x = n.sample()
            """)
        let z = log(exp(0.0) + exp(1.0) + exp(-1.0))
        #expect(abs(try #require(s.tensor("lp")).item() - (1 - z)) < 1e-6)
        let probs = [0.0, 1, -1].map { exp($0 - z) }
        #expect(abs(try #require(s.tensor("h")).item() + probs.map { $0 * log($0) }.reduce(0, +)) < 1e-6)
        let a = try #require(s.tensor("a"))
        #expect(a.dtype == .int64 && a.shape == [])
        #expect(try #require(s.tensor("plp")).floatArray().map { Double($0) }.enumerated().allSatisfy { i, v in
            abs(v - log(i == 0 ? 0.25 : 0.75)) < 1e-6
        })
        #expect(abs(try #require(s.tensor("nlp")).item() - (-1.0 / 8 - log(2) - 0.5 * log(2 * Double.pi))) < 1e-6)
        #expect(abs(try #require(s.tensor("nh")).item() - (0.5 + 0.5 * log(2 * Double.pi) + log(2))) < 1e-6)
        #expect(s.tensor("x")?.shape == [1])
        // The script's log_prob is connected to the script's parameters: REINFORCE's gradient.
        let lp = try #require(s.tensor("lp")), logits = try #require(s.tensor("logits"))
        try lp.mul(Tensor(scalar: Float(-3))).sum().backward()
        let grad = try #require(logits.grad).floatArray()
        for (k, p) in probs.enumerated() { #expect(abs(Double(grad[k]) - (-3) * ((k == 1 ? 1 : 0) - p)) < 1e-5) }
        let meanGrad = try #require(s.tensor("mean"))
        try #require(s.tensor("nlp")).sum().backward()
        #expect(abs(Double(try #require(meanGrad.grad).floatArray()[0]) - 0.25) < 1e-6) // (x - μ) / σ²
        #expect(s.failure("rl.Categorical(probs=[0.5, 0.5], logits=[0.0, 0.0])")?.name == "ValueError")
        #expect(s.failure("rl.Categorical()")?.name == "ValueError")
        #expect(s.failure("d.log_prob(3)")?.name == "ValueError")
        #expect(s.failure("rl.Normal(0.0, -1.0)")?.name == "ValueError")
    }
}

extension ScriptSuite {
    @Test func reinforceLossFromAScriptReachesThePolicyParameters() throws {
        let s = boundSession()
        s.mustRun("""
            w = tensor([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]], requires_grad=True)
            obs = tensor([[1.0, 2.0, -1.0], [0.5, 0.0, 1.0]])
            dist = rl.Categorical(logits=obs @ w)
            a = tensor([1, 0])
            G = tensor([2.0, -1.0])
            loss = -(dist.log_prob(a) * G).sum()
            loss.backward()
            g = w.grad
            mu = tensor([0.3], requires_grad=True)
            nd = rl.Normal(mu, tensor([0.5]))
            nloss = -(nd.log_prob(tensor([1.0])) * 3.0).sum()
            nloss.backward()
            gm = mu.grad
            ent = dist.entropy().mean()
            """)
        // Closed form: d/dW of -Σ G_i log softmax(o_i W)[a_i] = -Σ G_i o_iᵀ (onehot(a_i) - p_i).
        let obs: [[Double]] = [[1, 2, -1], [0.5, 0, 1]], w: [[Double]] = [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]]
        let actions = [1, 0], returns = [2.0, -1.0]
        var expected = [Double](repeating: 0, count: 6)
        for i in 0..<2 {
            let logits = (0..<2).map { c in (0..<3).map { obs[i][$0] * w[$0][c] }.reduce(0, +) }
            let z = logits.map(exp).reduce(0, +)
            for c in 0..<2 {
                let p = exp(logits[c]) / z
                for k in 0..<3 { expected[k * 2 + c] -= returns[i] * obs[i][k] * ((c == actions[i] ? 1 : 0) - p) }
            }
        }
        let g = try #require(s.tensor("g")).floatArray()
        for (got, want) in zip(g, expected) { #expect(abs(Double(got) - want) < 1e-5) }
        // d/dμ of -3 log N(1; μ, 0.5²) = -3 (1 - μ) / 0.25.
        #expect(abs(try #require(s.tensor("gm")).item() - (-3 * 0.7 / 0.25)) < 1e-4)
        #expect(try #require(s.tensor("ent")).shape == [])
    }
}

extension ScriptSuite {
    @Test func episodesEndCleanlyAndSeedFixesResets() throws {
        let s = boundSession()
        s.mustRun("""
            seed(3)
            a, _ = rl.CartPole().reset()
            seed(3)
            b, _ = rl.CartPole().reset()
            c, _ = rl.CartPole().reset(seed=11)
            d, _ = rl.CartPole().reset(seed=11)
            env = rl.CliffWalking()
            env.reset(state=35)
            o, r, term, trunc, _ = env.step(2)
            bandit = rl.MultiArmedBandit(arms=3, max_episode_steps=2)
            bandit.reset(seed=0)
            t1 = bandit.step(0)[3]
            t2 = bandit.step(0)[3]
            """)
        #expect(s.tensor("a")?.floatArray() == s.tensor("b")?.floatArray())
        #expect(s.tensor("c")?.floatArray() == s.tensor("d")?.floatArray())
        #expect(s.tensor("a")?.floatArray() != s.tensor("c")?.floatArray())
        #expect(s.int("o") == 47 && s.double("r") == -1 && truthy(s.global("term") ?? .none))
        let after = try #require(s.failure("env.step(0)"))
        #expect(after.name == "RuntimeError" && after.message.contains("terminated") && after.message.contains("reset()"))
        #expect(!truthy(s.global("t1") ?? .none) && truthy(s.global("t2") ?? .none))
        #expect(s.failure("bandit.step(0)")?.message.contains("truncated") == true)
        s.mustRun("env.reset()\nenv.step(0)\nbandit.reset()\nbandit.step(1)")
    }
}
