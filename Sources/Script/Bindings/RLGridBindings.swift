import Engine

/// GridWorld's constructor and members, and CliffWalking's text rendering.
extension RLBindings {
    static func optionalDoubles(_ a: Arguments, _ i: Int, _ name: String) throws -> [Double]? {
        guard let v = a.optional(i, name), !v.isNone else { return nil }
        return try TensorBindings.tensorArgument(v, "render() \(name)").doubleArray()
    }

    static func optionalInts(_ a: Arguments, _ i: Int, _ name: String) throws -> [Int]? {
        guard let v = a.optional(i, name), !v.isNone else { return nil }
        return try TensorBindings.tensorArgument(v, "render() \(name)").doubleArray().map { Int($0) }
    }

    /// A `(row, col)` pair given as a tuple or list of two ints.
    static func cell(_ v: Value, _ what: String) throws -> GridWorld.Cell {
        guard let items = v.asTuple?.items ?? v.asList?.items, items.count == 2,
              let r = items[0].intValue, let c = items[1].intValue else {
            throw ScriptError(.typeError, "GridWorld(): \(what) must be a (row, col) pair of ints, got \(repr(v))")
        }
        return GridWorld.Cell(r, c)
    }

    static func gridWorld() -> EnvironmentSpec {
        EnvironmentSpec(
            name: "GridWorld",
            doc: "A grid world for dynamic programming and tabular RL (default: Russell & Norvig's 4×3 world). States are row * cols + col; actions 0 up, 1 right, 2 down, 3 left; a move goes the intended way with probability 1 − slip and to each side with slip / 2; walls and edges block. Entering a terminal cell pays its reward and ends the episode; other moves pay step_reward. P[s][a] is the transition model for value iteration; render() draws the grid.",
            signature: "GridWorld(rows=3, cols=4, walls=[(1, 1)], terminals={(0, 3): 1.0, (1, 3): -1.0}, step_reward=-0.04, slip=0.2, start=(2, 0), max_episode_steps=None)",
            make: makeGridWorld,
            methods: [
                NativeFunction("render", "render(values=None, policy=None)", doc: "The grid as text: # walls, terminal rewards, S the start; or each state's value (values[s]), or the greedy action (policy[s]) as ↑ → ↓ ←.") { a in
                    let e = try env(a, as: GridWorld.self)
                    return .str(try e.render(values: try optionalDoubles(a, 1, "values"), policy: try optionalInts(a, 2, "policy")))
                },
                NativeFunction("transition_model", "transition_model()", doc: "P[s][a] = [(probability, next_state, reward, terminated)], for value iteration.") { a in
                    modelValue(try env(a, as: GridWorld.self).transitionModel())
                },
                NativeFunction("is_terminal", "is_terminal(s)", doc: "Whether state s is a terminal cell.") { a in
                    let e = try env(a, as: GridWorld.self)
                    return .bool(e.isTerminal(try stateIndex(a, e)))
                },
                NativeFunction("is_wall", "is_wall(s)", doc: "Whether state s is a wall.") { a in
                    let e = try env(a, as: GridWorld.self)
                    return .bool(e.isWall(try stateIndex(a, e)))
                },
            ],
            properties: [
                NativeProperty("P", doc: "Transition model P[s][a] = [(probability, next_state, reward, terminated)].") { o in
                    modelValue(try env(o, as: GridWorld.self).transitionModel())
                },
                NativeProperty("rows", doc: "Grid rows.") { o in .int(try env(o, as: GridWorld.self).rows) },
                NativeProperty("cols", doc: "Grid columns.") { o in .int(try env(o, as: GridWorld.self).cols) },
                NativeProperty("state", doc: "The current state index (None before reset).") { o in
                    try env(o, as: GridWorld.self).state.map { .int($0) } ?? .none
                },
            ])
    }

    private static func stateIndex(_ a: Arguments, _ e: GridWorld) throws -> Int {
        let s = try a.int(1, "s")
        guard s >= 0, s < e.rows * e.cols else {
            throw ScriptError(.valueError, "GridWorld: state \(s) is outside 0..\(e.rows * e.cols - 1)")
        }
        return s
    }

    private static func makeGridWorld(_ a: Arguments) throws -> Environment {
        try a.check(max: 8, keywords: ["rows", "cols", "walls", "terminals", "step_reward", "slip", "start", "max_episode_steps"])
        var walls = [GridWorld.Cell(1, 1)]
        if let v = a.optional(2, "walls"), !v.isNone {
            guard let items = v.asList?.items ?? v.asTuple?.items else {
                throw ScriptError(.typeError, "GridWorld(): walls must be a list of (row, col) pairs, not \(typeName(v))")
            }
            walls = try items.map { try cell($0, "each wall") }
        }
        var terminals: [GridWorld.Cell: Double] = [GridWorld.Cell(0, 3): 1, GridWorld.Cell(1, 3): -1]
        if let v = a.optional(3, "terminals"), !v.isNone {
            guard let d = v.asDict else {
                throw ScriptError(.typeError, "GridWorld(): terminals must be a dict {(row, col): reward}, not \(typeName(v))")
            }
            terminals = [:]
            for (k, r) in d.orderedItems {
                guard let reward = r.doubleValue else {
                    throw ScriptError(.typeError, "GridWorld(): terminal rewards must be numbers, got \(repr(r))")
                }
                terminals[try cell(k, "each terminal key")] = reward
            }
        }
        let start = try a.optional(6, "start").flatMap { $0.isNone ? nil : try cell($0, "start") } ?? GridWorld.Cell(2, 0)
        let limit = try a.optional(7, "max_episode_steps").flatMap { $0.isNone ? nil : try a.int(7, "max_episode_steps") }
        return try GridWorld(rows: try a.int(0, "rows", default: 3), cols: try a.int(1, "cols", default: 4), walls: walls,
                             terminals: terminals, stepReward: try a.double(4, "step_reward", default: -0.04),
                             slip: try a.double(5, "slip", default: 0.2), start: start, maxEpisodeSteps: limit)
    }
}
