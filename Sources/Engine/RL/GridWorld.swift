/// A configurable grid world for dynamic programming and tabular RL. States are `row * cols + col`;
/// actions 0 up, 1 right, 2 down, 3 left. A move goes the intended way with probability
/// `1 - slip` and at right angles with `slip / 2` each; moves into a wall or off the grid stay put.
/// Entering a terminal cell gives its reward and ends the episode; other moves give `stepReward`.
/// Terminal cells are absorbing in the model (reward 0), as in Gymnasium's toy-text environments.
///
/// The default is Russell & Norvig's 4×3 world: wall at (1, 1), +1 at (0, 3), −1 at (1, 3),
/// step reward −0.04, slip 0.2, start at (2, 0).
public final class GridWorld: Environment {
    public struct Cell: Hashable, Sendable {
        public var row: Int, col: Int
        public init(_ row: Int, _ col: Int) { self.row = row; self.col = col }
    }

    public let name = "GridWorld"
    public let rows: Int, cols: Int
    public let walls: Set<Cell>
    public let terminals: [Cell: Double]
    public let stepReward: Double
    public let slip: Double
    public let start: Cell
    /// Episodes are truncated after this many steps; nil means never.
    public let maxEpisodeSteps: Int?
    public let actionSpace = DiscreteSpace(n: 4)
    public var observationSpace: ObservationSpace { .discrete(DiscreteSpace(n: rows * cols)) }

    public private(set) var state: Int?
    public private(set) var elapsedSteps = 0
    private var model: TransitionModel = []
    private var random = EnvironmentRandom()

    public init(rows: Int = 3, cols: Int = 4, walls: [Cell] = [Cell(1, 1)],
                terminals: [Cell: Double] = [Cell(0, 3): 1, Cell(1, 3): -1],
                stepReward: Double = -0.04, slip: Double = 0.2, start: Cell = Cell(2, 0),
                maxEpisodeSteps: Int? = nil) throws {
        func fail(_ reason: String) -> EnvironmentError {
            .invalidConfiguration(env: "GridWorld", reason: reason)
        }
        guard rows > 0, cols > 0, rows <= 1_000_000, cols <= 1_000_000, rows * cols <= 1_000_000 else {
            throw fail("size must be positive (and at most a million cells), got \(rows)×\(cols)")
        }
        guard slip >= 0, slip <= 1 else { throw fail("slip must be in [0, 1], got \(slip)") }
        guard stepReward.isFinite, terminals.values.allSatisfy({ $0.isFinite }) else {
            throw fail("rewards must be finite")
        }
        let inside = { (c: Cell) in c.row >= 0 && c.row < rows && c.col >= 0 && c.col < cols }
        for c in walls + Array(terminals.keys) + [start] where !inside(c) {
            throw fail("cell (\(c.row), \(c.col)) is outside the \(rows)×\(cols) grid")
        }
        let wallSet = Set(walls)
        guard !wallSet.contains(start) else { throw fail("the start cell is a wall") }
        for c in terminals.keys where wallSet.contains(c) {
            throw fail("cell (\(c.row), \(c.col)) is both a wall and a terminal")
        }
        if let m = maxEpisodeSteps, m <= 0 { throw fail("maxEpisodeSteps must be positive") }
        self.rows = rows
        self.cols = cols
        self.walls = wallSet
        self.terminals = terminals
        self.stepReward = stepReward
        self.slip = slip
        self.start = start
        self.maxEpisodeSteps = maxEpisodeSteps
        self.model = buildModel()
    }

    public func index(of cell: Cell) -> Int { cell.row * cols + cell.col }
    public func cell(of state: Int) -> Cell { Cell(state / cols, state % cols) }
    public func isWall(_ state: Int) -> Bool { walls.contains(cell(of: state)) }
    public func isTerminal(_ state: Int) -> Bool { terminals[cell(of: state)] != nil }

    /// `P[s][a]` = outcomes `(probability, nextState, reward, terminal)` for value iteration. Wall
    /// cells are unreachable; their entries keep the agent in place with reward 0.
    public func transitionModel() -> TransitionModel { model }

    /// Starts at `start`, or at `state` (one number: a non-wall state index) if given.
    public func reset(seed: UInt64? = nil, state: [Double]? = nil) throws
        -> (observation: Observation, info: StepInfo) {
        _ = random.prepare(seed: seed)
        var s = index(of: start)
        if let state {
            guard state.count == 1, let i = Int(exactly: state[0]), i >= 0, i < rows * cols else {
                throw EnvironmentError.invalidState(env: name, reason: "expected one state index 0..\(rows * cols - 1)")
            }
            guard !isWall(i) else {
                throw EnvironmentError.invalidState(env: name, reason: "state \(i) is a wall")
            }
            s = i
        }
        self.state = s
        elapsedSteps = 0
        return (.discrete(s), ["prob": 1])
    }

    public func step(action: Int) throws -> StepResult {
        guard actionSpace.contains(action) else {
            throw EnvironmentError.invalidAction(env: name, action: action, n: actionSpace.n)
        }
        guard let s = state else { throw EnvironmentError.stepBeforeReset(env: name) }
        let generator = random.prepare(seed: nil)
        guard let outcome = sampleOutcome(model[s][action], using: generator) else {
            throw EnvironmentError.invalidState(env: name, reason: "no transitions from state \(s)")
        }
        state = outcome.nextState
        elapsedSteps += 1
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        return StepResult(observation: .discrete(outcome.nextState), reward: outcome.reward,
                          terminated: outcome.terminal, truncated: truncated,
                          info: ["prob": outcome.probability])
    }

    private func destination(from c: Cell, moving move: GridAction) -> Int {
        let next = Cell(c.row + move.delta.row, c.col + move.delta.col)
        let blocked = next.row < 0 || next.row >= rows || next.col < 0 || next.col >= cols
            || walls.contains(next)
        return index(of: blocked ? c : next)
    }

    private func buildModel() -> TransitionModel {
        (0..<rows * cols).map { s in
            let here = cell(of: s)
            return GridAction.allCases.map { action in
                if isWall(s) || isTerminal(s) {
                    return [Transition(probability: 1, nextState: s, reward: 0, terminal: isTerminal(s))]
                }
                let (side1, side2) = action.perpendicular
                let moves = [(action, 1 - slip), (side1, slip / 2), (side2, slip / 2)]
                let outcomes = moves.filter { $0.1 > 0 }.map { move, p in
                    let next = destination(from: here, moving: move)
                    let terminalReward = terminals[cell(of: next)]
                    return Transition(probability: p, nextState: next,
                                      reward: terminalReward ?? stepReward,
                                      terminal: terminalReward != nil)
                }
                return mergeOutcomes(outcomes)
            }
        }
    }
}
