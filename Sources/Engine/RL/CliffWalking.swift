/// Gymnasium's CliffWalking-v1: a 4×12 grid, start 36 (bottom left), goal 47 (bottom right), the
/// cells between them a cliff. Actions 0 up, 1 right, 2 down, 3 left; −1 per step; stepping onto
/// the cliff gives −100 and returns the agent to the start *without* ending the episode (as in
/// Gymnasium). Reaching the goal terminates. Not slippery by default (Gymnasium's default);
/// slippery moves go the intended way or at right angles, 1/3 each. No time limit, as registered.
public final class CliffWalking: Environment {
    public let name = "CliffWalking"
    public static let rows = 4, cols = 12
    public static let startState = 36, goalState = 47
    public let isSlippery: Bool
    public let actionSpace = DiscreteSpace(n: 4)
    public let observationSpace = ObservationSpace.discrete(DiscreteSpace(n: 48))

    /// The current state index (row * 12 + col); nil before the first reset.
    public private(set) var state: Int?
    private let model: TransitionModel
    private var random = EnvironmentRandom()

    public init(isSlippery: Bool = false) {
        self.isSlippery = isSlippery
        self.model = CliffWalking.buildModel(isSlippery: isSlippery)
    }

    /// `P[s][a]`, as Gymnasium's `env.unwrapped.P` (non-merged: one entry per move direction).
    public func transitionModel() -> TransitionModel { model }

    /// Starts at 36, or at `state` (one number, a state index 0..47) if given.
    public func reset(seed: UInt64? = nil, state: [Double]? = nil) throws
        -> (observation: Observation, info: StepInfo) {
        _ = random.prepare(seed: seed)
        if let state {
            guard state.count == 1, let s = Int(exactly: state[0]), (0..<48).contains(s) else {
                throw EnvironmentError.invalidState(env: name, reason: "expected one state index 0..47")
            }
            self.state = s
        } else {
            self.state = CliffWalking.startState
        }
        return (.discrete(self.state ?? CliffWalking.startState), ["prob": 1])
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
        return StepResult(observation: .discrete(outcome.nextState), reward: outcome.reward,
                          terminated: outcome.terminal, truncated: false,
                          info: ["prob": outcome.probability])
    }

    private static func buildModel(isSlippery: Bool) -> TransitionModel {
        (0..<rows * cols).map { s in
            GridAction.allCases.map { action in
                let moves = isSlippery
                    ? [action.perpendicular.0, action, action.perpendicular.1] : [action]
                return moves.map { move in
                    let row = min(max(s / cols + move.delta.row, 0), rows - 1)
                    let col = min(max(s % cols + move.delta.col, 0), cols - 1)
                    let p = 1.0 / Double(moves.count)
                    if row == rows - 1 && col > 0 && col < cols - 1 {
                        return Transition(probability: p, nextState: startState, reward: -100, terminal: false)
                    }
                    let next = row * cols + col
                    return Transition(probability: p, nextState: next, reward: -1, terminal: next == goalState)
                }
            }
        }
    }
}
