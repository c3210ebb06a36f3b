/// One possible outcome of taking an action in a tabular environment, as in Gymnasium's `P[s][a]`.
public struct Transition: Equatable, Sendable {
    public var probability: Double
    public var nextState: Int
    public var reward: Double
    public var terminal: Bool

    public init(probability: Double, nextState: Int, reward: Double, terminal: Bool) {
        self.probability = probability
        self.nextState = nextState
        self.reward = reward
        self.terminal = terminal
    }
}

/// `model[s][a]` lists the outcomes of action `a` in state `s`; probabilities sum to 1.
public typealias TransitionModel = [[[Transition]]]

/// The four grid moves shared by CliffWalking and GridWorld (Gymnasium's numbering).
public enum GridAction: Int, CaseIterable, Sendable {
    case up = 0, right = 1, down = 2, left = 3

    var delta: (row: Int, col: Int) {
        switch self {
        case .up: return (-1, 0)
        case .right: return (0, 1)
        case .down: return (1, 0)
        case .left: return (0, -1)
        }
    }

    /// The moves at right angles to this one, in Gymnasium's slippery order (a-1, a+1 mod 4).
    var perpendicular: (GridAction, GridAction) {
        let all = GridAction.allCases
        return (all[(rawValue + 3) % 4], all[(rawValue + 1) % 4])
    }
}

/// Picks an outcome like Gymnasium's `categorical_sample`: the first whose cumulative probability
/// exceeds one uniform draw.
func sampleOutcome(_ outcomes: [Transition], using generator: RandomGenerator) -> Transition? {
    guard let last = outcomes.last else { return nil }
    let u = generator.nextDouble()
    var cumulative = 0.0
    for outcome in outcomes {
        cumulative += outcome.probability
        if cumulative > u { return outcome }
    }
    return last
}

/// Sums probabilities of equal (nextState, reward, terminal) outcomes so models stay small.
func mergeOutcomes(_ outcomes: [Transition]) -> [Transition] {
    var merged: [Transition] = []
    for o in outcomes {
        if let i = merged.firstIndex(where: {
            $0.nextState == o.nextState && $0.reward == o.reward && $0.terminal == o.terminal
        }) {
            merged[i].probability += o.probability
        } else {
            merged.append(o)
        }
    }
    return merged
}
