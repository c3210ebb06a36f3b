/// The Gymnasium-style environment interface (`reset` → `(observation, info)`, `step` →
/// `(observation, reward, terminated, truncated, info)`), kept array-based so the script layer can
/// wrap observations into tensors or ints.

/// What an environment shows the agent: a discrete state index or a float vector.
public enum Observation: Equatable, Sendable {
    case discrete(Int)
    case vector([Float])

    /// The observation as floats (a discrete state becomes a one-element vector).
    public var floats: [Float] {
        switch self {
        case .discrete(let s): return [Float(s)]
        case .vector(let v): return v
        }
    }
}

/// Gymnasium's `Discrete(n)`: the integers `0..<n`.
public struct DiscreteSpace: Equatable, Sendable {
    public let n: Int
    public init(n: Int) { self.n = n }

    /// Gymnasium's `Discrete.shape` is `()`.
    public var shape: [Int] { [] }

    public func contains(_ value: Int) -> Bool { value >= 0 && value < n }

    /// A uniform draw, from `RandomGenerator.shared` unless a generator is given.
    public func sample(using generator: RandomGenerator = .shared) -> Int {
        generator.nextInt(below: n)
    }
}

/// An observation space: discrete states, or a box of floats with per-component bounds.
public enum ObservationSpace: Equatable, Sendable {
    case discrete(DiscreteSpace)
    case box(low: [Float], high: [Float], shape: [Int])

    public var shape: [Int] {
        switch self {
        case .discrete(let d): return d.shape
        case .box(_, _, let shape): return shape
        }
    }
}

/// The values Gymnasium returns in `info`; numeric only, which is all these environments need.
public typealias StepInfo = [String: Double]

/// One transition's result, in Gymnasium's order.
public struct StepResult: Equatable, Sendable {
    public var observation: Observation
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: StepInfo

    public init(observation: Observation, reward: Double, terminated: Bool, truncated: Bool,
                info: StepInfo = [:]) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// Mistakes a user can make with an environment; each message says what to do instead.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    case invalidAction(env: String, action: Int, n: Int)
    case stepBeforeReset(env: String)
    case invalidState(env: String, reason: String)
    case invalidConfiguration(env: String, reason: String)

    public var description: String {
        switch self {
        case .invalidAction(let env, let action, let n):
            return "\(env): invalid action \(action); actions are integers 0..\(n - 1)"
        case .stepBeforeReset(let env):
            return "\(env): call reset() before step()"
        case .invalidState(let env, let reason):
            return "\(env): invalid state for reset(state=...): \(reason)"
        case .invalidConfiguration(let env, let reason):
            return "\(env): \(reason)"
        }
    }
}

/// A Gymnasium-style environment. Each instance owns its random generator: `reset(seed:)` reseeds
/// it; the first reset without a seed draws one from `RandomGenerator.shared` (like `np_random`).
public protocol Environment: AnyObject {
    /// The name used in error messages and printing, e.g. `CartPole`.
    var name: String { get }
    var actionSpace: DiscreteSpace { get }
    var observationSpace: ObservationSpace { get }

    /// Starts an episode. `state` sets the start state explicitly (its meaning is per environment).
    func reset(seed: UInt64?, state: [Double]?) throws -> (observation: Observation, info: StepInfo)

    /// Applies `action`; throws for an action outside the action space or before `reset`.
    func step(action: Int) throws -> StepResult
}

extension Environment {
    public func reset() throws -> (observation: Observation, info: StepInfo) {
        try reset(seed: nil, state: nil)
    }
}

/// The per-environment generator, created lazily and reseeded like Gymnasium's `np_random`.
struct EnvironmentRandom {
    private(set) var generator: RandomGenerator?

    /// Reseeds from `seed`, or on first use without a seed, from the shared generator.
    mutating func prepare(seed: UInt64?) -> RandomGenerator {
        if let seed {
            let g = RandomGenerator(seed: seed)
            generator = g
            return g
        }
        if let g = generator { return g }
        let g = RandomGenerator(seed: RandomGenerator.shared.nextUInt64())
        generator = g
        return g
    }
}
