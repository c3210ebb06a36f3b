import Engine

/// An environment as scripts hold it: the engine's environment plus whether its episode is over,
/// so stepping a finished episode is a clear error instead of silently continuing.
final class EnvironmentBox {
    let env: Environment
    /// "terminated" or "truncated" once the current episode has ended; nil while it runs.
    var ended: String?
    var resetDone = false
    init(_ env: Environment) { self.env = env }
}

/// A space as scripts hold it.
final class SpaceBox {
    let discrete: DiscreteSpace?
    let box: (low: [Float], high: [Float], shape: [Int])?
    init(discrete: DiscreteSpace) { self.discrete = discrete; box = nil }
    init(low: [Float], high: [Float], shape: [Int]) { discrete = nil; box = (low, high, shape) }
}

/// The `rl` module (LANGUAGE.md): Gymnasium-style environments (`reset(seed=None, state=None)` →
/// `(obs, info)`, `step(a)` → `(obs, reward, terminated, truncated, info)`), `ReplayBuffer`, and
/// the `Categorical` / `Normal` distributions (`RLDistributionBindings.swift`).
enum RLBindings {
    static let discreteType = NativeType(name: "Discrete", doc: "Gymnasium's Discrete(n): the integers 0…n-1.")
    static let boxType = NativeType(name: "Box", doc: "Gymnasium's Box: float vectors with per-component bounds.")

    /// Built once: its types (and their class objects) are shared by every session.
    static let module: BindingModule = {
        ErrorMapping.register { ($0 as? EnvironmentError).map { ScriptError(.valueError, $0.description) } }
        ErrorMapping.register { ($0 as? ReplayBufferError).map { ScriptError(.valueError, $0.description) } }
        let m = BindingModule(name: "rl", doc: "Reinforcement learning: CartPole, CliffWalking, GridWorld, MultiArmedBandit (Gymnasium's API), ReplayBuffer, Categorical and Normal.")
        installSpaces()
        for t in [cartPole(), cliffWalking(), gridWorld(), bandit()].map(environmentType) { m.add(t) }
        installReplayBuffer(m)
        installDistributions(m)
        return m
    }()

    static func install(_ table: BindingTable) {
        table.add(module)
    }

    // MARK: Conversions

    static func observation(_ o: Observation) throws -> Value {
        switch o {
        case .discrete(let s): return .int(s)
        case .vector(let v): return TensorBindings.wrap(try Tensor(v, shape: [v.count]))
        }
    }

    static func info(_ i: StepInfo) -> Value {
        let d = DictObj()
        for (k, v) in i.sorted(by: { $0.key < $1.key }) { try? d.set(.str(k), .float(v)) }
        return .obj(d)
    }

    /// An action: an int, or a one-element integer tensor (e.g. `dist.sample()` or `q.argmax()`).
    static func action(_ v: Value, _ env: String) throws -> Int {
        if case .float = v {
            throw ScriptError(.typeError, "\(env).step(): the action must be an int, not float")
        }
        if let i = v.intValue { return i }
        if let t = TensorBindings.tensor(in: v) {
            guard t.count == 1, t.dtype != .float32 else {
                throw ScriptError(.typeError, "\(env).step(): the action must be an int or a one-element integer tensor, got a \(t.dtype) tensor of shape \(t.shape); use .item() or .argmax()")
            }
            return Int(try t.itemInt())
        }
        throw ScriptError(.typeError, "\(env).step(): the action must be an int, not \(typeName(v))")
    }

    /// `reset(state=…)`: a number, a list of numbers or a tensor, as the engine's start state.
    /// Python numbers stay in double precision (CartPole's state is float64, as in Gymnasium).
    static func startState(_ v: Value) throws -> [Double] {
        if let d = v.doubleValue { return [d] }
        if let items = v.asList?.items ?? v.asTuple?.items, items.allSatisfy({ $0.doubleValue != nil }) {
            return items.compactMap(\.doubleValue)
        }
        return try TensorBindings.tensorArgument(v, "reset() state").doubleArray()
    }

    static func box(_ a: Arguments) throws -> EnvironmentBox {
        guard let b = a.positional.first?.asNative?.payload as? EnvironmentBox ?? a.positional.first?.asInstance?.native?.payload as? EnvironmentBox else {
            throw ScriptError(.typeError, "expected an environment")
        }
        return b
    }

    static func boxOf(_ o: NativeObject) throws -> EnvironmentBox {
        guard let b = o.payload as? EnvironmentBox else { throw ScriptError(.typeError, "expected an environment") }
        return b
    }

    // MARK: Spaces

    private static func installSpaces() {
        func space(_ o: NativeObject) throws -> SpaceBox {
            guard let s = o.payload as? SpaceBox else { throw ScriptError(.typeError, "expected a space") }
            return s
        }
        let d = discreteType
        d.properties["n"] = NativeProperty("n", doc: "Number of values.") { .int(try space($0).discrete?.n ?? 0) }
        d.properties["shape"] = NativeProperty("shape", doc: "() for a discrete space, as in Gymnasium.") { _ in .tuple([]) }
        d.methods["sample"] = NativeFunction("sample", "sample()", doc: "A uniform random value (from the generator seed() fixes).") { a in
            guard let s = (a.positional.first?.asNative?.payload as? SpaceBox)?.discrete else { throw ScriptError(.typeError, "expected a Discrete space") }
            return .int(s.sample())
        }
        d.methods["contains"] = NativeFunction("contains", "contains(x)", doc: "Whether x is one of the space's values.") { a in
            guard let s = (a.positional.first?.asNative?.payload as? SpaceBox)?.discrete else { throw ScriptError(.typeError, "expected a Discrete space") }
            return .bool((try a.required(1, "x")).intValue.map { s.contains($0) } ?? false)
        }
        d.repr = { o in "Discrete(\((o.payload as? SpaceBox)?.discrete?.n ?? 0))" }
        let b = boxType
        b.properties["shape"] = NativeProperty("shape", doc: "The shape of one observation.") { o in
            .tuple((try space(o).box?.shape ?? []).map { Value.int($0) })
        }
        b.properties["low"] = NativeProperty("low", doc: "Lower bounds (float32 tensor).") { o in
            let x = try space(o).box
            return TensorBindings.wrap(try Tensor(x?.low ?? [], shape: x?.shape ?? [0]))
        }
        b.properties["high"] = NativeProperty("high", doc: "Upper bounds (float32 tensor).") { o in
            let x = try space(o).box
            return TensorBindings.wrap(try Tensor(x?.high ?? [], shape: x?.shape ?? [0]))
        }
        b.repr = { o in "Box(shape=(\(((o.payload as? SpaceBox)?.box?.shape ?? []).map(String.init).joined(separator: ", ")),))" }
    }

    static func wrapSpace(_ s: ObservationSpace) -> Value {
        switch s {
        case .discrete(let d): return discreteType.wrap(SpaceBox(discrete: d))
        case .box(let low, let high, let shape): return boxType.wrap(SpaceBox(low: low, high: high, shape: shape))
        }
    }

    // MARK: Environments

    /// What differs per environment: its name, constructor and extra members.
    struct EnvironmentSpec {
        var name: String
        var doc: String
        var signature: String
        var make: (Arguments) throws -> Environment
        var methods: [NativeFunction] = []
        var properties: [NativeProperty] = []
    }

    /// The shared Gymnasium surface (reset, step, spaces) plus the spec's own members.
    static func environmentType(_ spec: EnvironmentSpec) -> NativeType {
        let t = NativeType(name: spec.name, doc: spec.doc)
        let name = spec.name
        t.constructor = NativeFunction(name, spec.signature, doc: spec.doc) { a in
            var a = a
            a.functionName = name
            return t.wrap(EnvironmentBox(try spec.make(a)))
        }
        t.methods["reset"] = NativeFunction("reset", "reset(seed=None, state=None)",
                                            doc: "Starts an episode; returns (observation, info). seed reseeds the environment's generator; state sets the start state (CartPole: [x, x_dot, theta, theta_dot]; grid worlds: a state index; bandit: the arm means).") { a in
            var a = a
            a.functionName = "reset"
            try a.check(max: 3, keywords: ["seed", "state", "options"])
            let b = try box(a)
            let seed = try DataBindings.seed(a, 1)
            let state = try a.optional(2, "state").flatMap { $0.isNone ? nil : try startState($0) }
            let (obs, info) = try b.env.reset(seed: seed, state: state)
            b.ended = nil
            b.resetDone = true
            return .tuple([try observation(obs), self.info(info)])
        }
        t.methods["step"] = NativeFunction("step", "step(action)",
                                           doc: "Applies an action; returns (observation, reward, terminated, truncated, info). After terminated or truncated, call reset() before stepping again.") { a in
            let b = try box(a)
            let act = try action(try a.required(1, "action"), name)
            if b.resetDone, let how = b.ended {
                throw ScriptError(.runtimeError, "\(name).step(): the episode has ended (\(how)); call reset() to start a new one")
            }
            let r = try b.env.step(action: act)
            if r.terminated { b.ended = "terminated" } else if r.truncated { b.ended = "truncated" }
            return .tuple([try observation(r.observation), .float(r.reward), .bool(r.terminated), .bool(r.truncated), info(r.info)])
        }
        t.properties["action_space"] = NativeProperty("action_space", doc: "Discrete(n): the valid actions 0…n-1.") { o in
            discreteType.wrap(SpaceBox(discrete: try boxOf(o).env.actionSpace))
        }
        t.properties["observation_space"] = NativeProperty("observation_space", doc: "Discrete(n) for grid worlds, Box for CartPole.") { o in
            wrapSpace(try boxOf(o).env.observationSpace)
        }
        for f in spec.methods { t.methods[f.name] = f }
        for p in spec.properties { t.properties[p.name] = p }
        t.repr = { o in
            guard let env = (o.payload as? EnvironmentBox)?.env else { return "\(name)(?)" }
            return "\(name)(actions=\(env.actionSpace.n))"
        }
        return t
    }

    static func env<E>(_ o: NativeObject, as: E.Type) throws -> E {
        guard let e = (o.payload as? EnvironmentBox)?.env as? E else { throw ScriptError(.typeError, "expected a \(E.self)") }
        return e
    }

    static func env<E>(_ a: Arguments, as: E.Type) throws -> E {
        guard let e = try box(a).env as? E else { throw ScriptError(.typeError, "expected a \(E.self)") }
        return e
    }

    /// Gymnasium's `P[s][a]`: lists of `(probability, next_state, reward, terminated)` tuples.
    static func modelValue(_ model: TransitionModel) -> Value {
        .list(model.map { actions in
            .list(actions.map { outcomes in
                .list(outcomes.map { .tuple([.float($0.probability), .int($0.nextState), .float($0.reward), .bool($0.terminal)]) })
            })
        })
    }

    private static func cartPole() -> EnvironmentSpec {
        EnvironmentSpec(
            name: "CartPole",
            doc: "Gymnasium's CartPole-v1: push the cart left (0) or right (1) to balance the pole. Observations are float32 tensors [x, x_dot, theta, theta_dot]; reward 1 per step; terminated when |x| > 2.4 or |theta| > 12°, truncated after max_episode_steps (500).",
            signature: "CartPole(max_episode_steps=500)",
            make: { a in
                try a.check(max: 1, keywords: ["max_episode_steps"])
                let steps = try a.int(0, "max_episode_steps", default: 500)
                guard steps > 0 else { throw ScriptError(.valueError, "CartPole(): max_episode_steps must be positive, got \(steps)") }
                return CartPole(maxEpisodeSteps: steps)
            },
            properties: [
                NativeProperty("state", doc: "The full-precision state [x, x_dot, theta, theta_dot] (None before reset).") { o in
                    try env(o, as: CartPole.self).state.map { .list($0.map { Value.float($0) }) } ?? .none
                },
            ])
    }

    private static func cliffWalking() -> EnvironmentSpec {
        EnvironmentSpec(
            name: "CliffWalking",
            doc: "Gymnasium's CliffWalking-v1: a 4×12 grid, start 36, goal 47, actions 0 up, 1 right, 2 down, 3 left; −1 per step, −100 and back to the start on the cliff. Observations are state indices row * 12 + col. P[s][a] is the transition model.",
            signature: "CliffWalking(is_slippery=False)",
            make: { a in
                try a.check(max: 1, keywords: ["is_slippery"])
                return CliffWalking(isSlippery: a.bool(0, "is_slippery", default: false))
            },
            methods: [
                NativeFunction("render", "render(values=None, policy=None)", doc: "The grid as text: S start, G goal, C cliff, x the agent; or each state's value, or the greedy action as ↑ → ↓ ←.") { a in
                    let e = try env(a, as: CliffWalking.self)
                    return .str(try e.render(values: try optionalDoubles(a, 1, "values"), policy: try optionalInts(a, 2, "policy")))
                },
            ],
            properties: [
                NativeProperty("P", doc: "Transition model P[s][a] = [(probability, next_state, reward, terminated)], as Gymnasium's env.unwrapped.P.") { o in
                    modelValue(try env(o, as: CliffWalking.self).transitionModel())
                },
                NativeProperty("state", doc: "The current state index (None before reset).") { o in
                    try env(o, as: CliffWalking.self).state.map { .int($0) } ?? .none
                },
            ])
    }

    private static func bandit() -> EnvironmentSpec {
        EnvironmentSpec(
            name: "MultiArmedBandit",
            doc: "A k-armed bandit (Sutton & Barto's testbed): reset() draws each arm's mean from N(0, 1); pulling arm a pays N(mean[a], reward_std²). The observation is always 0; never terminates.",
            signature: "MultiArmedBandit(arms=10, reward_std=1.0, max_episode_steps=None)",
            make: { a in
                try a.check(max: 3, keywords: ["arms", "reward_std", "max_episode_steps"])
                let limit = try a.optional(2, "max_episode_steps").flatMap { $0.isNone ? nil : try a.int(2, "max_episode_steps") }
                if let limit, limit <= 0 { throw ScriptError(.valueError, "MultiArmedBandit(): max_episode_steps must be positive, got \(limit)") }
                return try MultiArmedBandit(arms: try a.int(0, "arms", default: 10), rewardStd: try a.double(1, "reward_std", default: 1),
                                            maxEpisodeSteps: limit)
            },
            properties: [
                NativeProperty("means", doc: "Each arm's true mean reward this episode.") { o in
                    .list(try env(o, as: MultiArmedBandit.self).means.map { Value.float($0) })
                },
                NativeProperty("best_arm", doc: "The arm with the highest mean (None before reset).") { o in
                    try env(o, as: MultiArmedBandit.self).bestArm.map { .int($0) } ?? .none
                },
                NativeProperty("arms", doc: "Number of arms.") { o in .int(try env(o, as: MultiArmedBandit.self).arms) },
            ])
    }
}
