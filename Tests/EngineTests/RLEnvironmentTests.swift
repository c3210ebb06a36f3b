import Foundation
import Testing
@testable import Engine

@Suite struct CartPoleTests {
    @Test func trajectoriesMatchGymnasium() throws {
        let fixture = try loadJSONFixture("rl/rl_trajectories.json")
        let cases = try #require(fixture["cartpole"] as? [[String: Any]])
        #expect(cases.count == 5)
        for c in cases {
            let env = CartPole()
            _ = try env.reset(seed: 0, state: doubles(c["start"]))
            let actions = ints(c["actions"])
            let steps = try #require(c["steps"] as? [[String: Any]])
            #expect(actions.count == steps.count)
            for (action, expected) in zip(actions, steps) {
                let result = try env.step(action: action)
                let obs = result.observation.floats
                let wantObs = doubles(expected["observation"])
                let state = try #require(env.state)
                for i in 0..<4 {
                    // Float64 state agrees to rounding; the float32 observation to one float32 ulp.
                    #expect(abs(state[i] - doubles(expected["state"])[i]) <= 1e-12 * max(1, abs(state[i])))
                    #expect(abs(Double(obs[i]) - wantObs[i]) <= 1e-6 * max(1, abs(wantObs[i])))
                }
                #expect(result.reward == (expected["reward"] as? Double))
                #expect(result.terminated == (expected["terminated"] as? Bool))
                #expect(result.truncated == (expected["truncated"] as? Bool))
            }
        }
    }

    @Test func constantsMatchGymnasium() throws {
        let fixture = try loadJSONFixture("rl/rl_trajectories.json")
        let k = try #require(fixture["cartpole_constants"] as? [String: Double])
        let env = CartPole()
        let ours = [env.gravity, env.massCart, env.massPole, env.length, env.forceMagnitude, env.tau,
                    env.thetaThresholdRadians, env.xThreshold]
        let names = ["gravity", "masscart", "masspole", "length", "force_mag", "tau",
                     "theta_threshold_radians", "x_threshold"]
        for (value, name) in zip(ours, names) {
            // Foundation's JSON parser on Linux can be off by an ulp, hence the tiny tolerance.
            let want = try #require(k[name])
            #expect(abs(value - want) <= 4 * want.ulp, "\(name): \(value) vs \(want)")
        }
    }

    @Test func seededResetIsDeterministicAndInRange() throws {
        let a = CartPole(), b = CartPole()
        let (oa, _) = try a.reset(seed: 42, state: nil)
        let (ob, _) = try b.reset(seed: 42, state: nil)
        #expect(oa == ob)
        #expect(oa.floats.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
        let (oc, _) = try a.reset(seed: 43, state: nil)
        #expect(oc != oa)
        // Without a seed the generator comes from RandomGenerator.shared, so seed(n) fixes it.
        RandomGenerator.shared.reseed(7)
        let first = try CartPole().reset().observation
        RandomGenerator.shared.reseed(7)
        #expect(try CartPole().reset().observation == first)
        // Later unseeded resets continue the seeded generator, as Gymnasium's np_random does.
        _ = try a.reset(seed: 5, state: nil)
        let (r1, _) = try a.reset(), (r2, _) = try a.reset()
        _ = try b.reset(seed: 5, state: nil)
        #expect(try b.reset().observation == r1 && b.reset().observation == r2)
        #expect(r1 != r2)
        #expect(a.observationSpace.shape == [4])
        #expect(a.actionSpace.n == 2)
    }

    @Test func badInputsThrowClearErrors() throws {
        let env = CartPole()
        #expect(throws: EnvironmentError.stepBeforeReset(env: "CartPole")) { try env.step(action: 0) }
        _ = try env.reset(seed: 1, state: nil)
        do {
            _ = try env.step(action: 2)
            Issue.record("action 2 was accepted")
        } catch let error as EnvironmentError {
            #expect(error.description == "CartPole: invalid action 2; actions are integers 0..1")
        }
        #expect(throws: EnvironmentError.self) { try env.reset(seed: nil, state: [0, 0]) }
        #expect(throws: EnvironmentError.self) { try env.reset(seed: nil, state: [0, .nan, 0, 0]) }
    }
}

@Suite struct CliffWalkingTests {
    @Test func trajectoriesMatchGymnasium() throws {
        let fixture = try loadJSONFixture("rl/rl_trajectories.json")
        let cases = try #require(fixture["cliffwalking"] as? [[String: Any]])
        #expect(cases.count == 6)
        for c in cases {
            let env = CliffWalking()
            let (start, info) = try env.reset(seed: 0, state: nil)
            #expect(start == .discrete(36))
            #expect(info["prob"] == 1)
            let steps = try #require(c["steps"] as? [[String: Any]])
            for (action, expected) in zip(ints(c["actions"]), steps) {
                let r = try env.step(action: action)
                #expect(r.observation == .discrete((expected["observation"] as? Int) ?? -1))
                #expect(r.reward == (expected["reward"] as? Double))
                #expect(r.terminated == (expected["terminated"] as? Bool))
                #expect(r.truncated == false)
                #expect(r.info["prob"] == (expected["prob"] as? Double))
            }
        }
    }

    @Test func cliffSendsBackWithoutTerminating() throws {
        let env = CliffWalking()
        _ = try env.reset(seed: nil, state: nil)
        let r = try env.step(action: GridAction.right.rawValue)
        #expect(r == StepResult(observation: .discrete(36), reward: -100, terminated: false,
                                truncated: false, info: ["prob": 1]))
        #expect(throws: EnvironmentError.self) { try env.step(action: 4) }
        #expect(throws: EnvironmentError.self) { try env.step(action: -1) }
    }

    @Test func slipperyModelMatchesGymnasium() throws {
        let fixture = try loadJSONFixture("rl/rl_trajectories.json")
        let reference = try #require(fixture["cliffwalking_slippery_P"] as? [[[[Any]]]])
        let model = CliffWalking(isSlippery: true).transitionModel()
        #expect(model.count == 48 && reference.count == 48)
        for s in 0..<min(48, reference.count) {
            for a in 0..<4 {
                let want = reference[s][a].map { t in
                    Transition(probability: (t[0] as? Double) ?? -1, nextState: (t[1] as? Int) ?? -1,
                               reward: (t[2] as? Double) ?? 0, terminal: (t[3] as? Bool) ?? false)
                }
                #expect(model[s][a] == want, "P[\(s)][\(a)]")
            }
        }
        // From 25 moving down: slips right to 26, falls off the cliff back to 36, or slips left.
        #expect(model[25][2].map(\.nextState) == [26, 36, 24])
        #expect(model[25][2].map(\.reward) == [-1, -100, -1])
    }
}

@Suite struct GridWorldTests {
    /// Value iteration on the model; Russell & Norvig (AIMA 3rd ed., Fig. 17.3) give these utilities
    /// for the 4×3 world with γ = 1 and R = −0.04.
    @Test func valueIterationReproducesRussellNorvig() throws {
        let world = try GridWorld()
        let model = world.transitionModel()
        var v = [Double](repeating: 0, count: 12)
        for _ in 0..<1000 {
            v = (0..<12).map { s in
                model[s].map { outcomes in
                    outcomes.map { $0.probability * ($0.reward + ($0.terminal ? 0 : v[$0.nextState])) }
                        .reduce(0, +)
                }.max() ?? 0
            }
        }
        // AIMA charges R(s) on leaving s and we charge the step reward on entering, so for
        // non-terminal states U(s) = V(s) + R = V(s) − 0.04. AIMA prints three decimals.
        let aima: [Int: Double] = [0: 0.812, 1: 0.868, 2: 0.918, 4: 0.762, 6: 0.660,
                                   8: 0.705, 9: 0.655, 10: 0.611, 11: 0.388]
        for (s, u) in aima {
            #expect(abs((v[s] - 0.04) - u) < 0.0006, "state \(s): V = \(v[s]), AIMA U = \(u)")
        }
    }

    @Test func renderDrawsWallsTerminalsAndPolicy() throws {
        let world = try GridWorld()
        #expect(try world.render() == "      .      .      .      1\n      .      #      .     -1\n      S      .      .      .")
        let policy = try world.render(policy: [1, 1, 1, 0, 0, 0, 0, 0, 0, 3, 3, 3])
        #expect(policy.contains("→") && policy.contains("←") && policy.contains("#"))
        #expect(throws: EnvironmentError.self) { try world.render(values: [0]) }
    }

    @Test func modelRowsAreDistributions() throws {
        let world = try GridWorld(rows: 5, cols: 6, walls: [.init(2, 2), .init(2, 3)],
                                  terminals: [.init(4, 5): 10, .init(0, 5): -5],
                                  stepReward: -1, slip: 0.3, start: .init(0, 0))
        let model = world.transitionModel()
        for s in 0..<30 {
            for a in 0..<4 {
                #expect(abs(model[s][a].map(\.probability).reduce(0, +) - 1) < 1e-12)
                #expect(model[s][a].allSatisfy { !world.isWall($0.nextState) || world.isWall(s) })
            }
        }
        // Slip 0: moving right from (4, 4) deterministically reaches the +10 terminal.
        let det = try GridWorld(rows: 5, cols: 6, walls: [], terminals: [.init(4, 5): 10],
                                stepReward: -1, slip: 0, start: .init(4, 4))
        _ = try det.reset(seed: 3, state: nil)
        let r = try det.step(action: GridAction.right.rawValue)
        #expect(r.observation == .discrete(29))
        #expect(r.reward == 10)
        #expect(r.terminated)
    }

    @Test func seededEpisodesRepeatAndBadConfigsThrow() throws {
        func run() throws -> [Int] {
            let w = try GridWorld()
            _ = try w.reset(seed: 11, state: nil)
            return try (0..<30).map { _ in
                let r = try w.step(action: 0)
                if r.terminated { _ = try w.reset() }
                if case .discrete(let s) = r.observation { return s }
                return -1
            }
        }
        #expect(try run() == run())
        #expect(throws: EnvironmentError.self) { try GridWorld(rows: 0, cols: 3) }
        #expect(throws: EnvironmentError.self) { try GridWorld(rows: Int.max, cols: 3) }
        #expect(throws: EnvironmentError.self) { try GridWorld(slip: 1.5) }
        #expect(throws: EnvironmentError.self) { try GridWorld(walls: [.init(5, 5)]) }
        #expect(throws: EnvironmentError.self) { try GridWorld(walls: [.init(2, 0)]) }
        #expect(throws: EnvironmentError.self) { try GridWorld().reset(seed: nil, state: [5]) }
    }
}

@Suite struct MultiArmedBanditTests {
    @Test func rewardsCentreOnSeededMeans() throws {
        let bandit = try MultiArmedBandit(arms: 5, rewardStd: 1)
        _ = try bandit.reset(seed: 9, state: nil)
        let means = bandit.means
        #expect(means.count == 5)
        let other = try MultiArmedBandit(arms: 5)
        _ = try other.reset(seed: 9, state: nil)
        #expect(other.means == means)
        var total = 0.0
        for _ in 0..<20_000 { total += try bandit.step(action: 2).reward }
        #expect(abs(total / 20_000 - means[2]) < 0.03)
        #expect(throws: EnvironmentError.self) { try bandit.step(action: 5) }
        _ = try bandit.reset(seed: nil, state: [0, 0, 3, 0, 0])
        #expect(bandit.bestArm == 2)
        #expect(throws: EnvironmentError.self) { try MultiArmedBandit(arms: 0) }
    }
}
