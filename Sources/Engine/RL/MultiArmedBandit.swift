/// A k-armed bandit (Sutton & Barto's testbed): arm means drawn from N(0, 1) at reset, each pull
/// rewarded from N(mean, `rewardStd`²). One-step episodes are not forced: every step returns
/// terminated = false and the observation is always state 0; truncation after `maxEpisodeSteps`.
public final class MultiArmedBandit: Environment {
    public let name = "MultiArmedBandit"
    public let arms: Int
    public let rewardStd: Double
    public let maxEpisodeSteps: Int?
    public var actionSpace: DiscreteSpace { DiscreteSpace(n: arms) }
    public let observationSpace = ObservationSpace.discrete(DiscreteSpace(n: 1))

    /// The arms' true mean rewards for the current episode (empty before reset).
    public private(set) var means: [Double] = []
    public private(set) var elapsedSteps = 0
    private var random = EnvironmentRandom()

    public init(arms: Int = 10, rewardStd: Double = 1, maxEpisodeSteps: Int? = nil) throws {
        guard arms > 0, arms <= 1_000_000 else {
            throw EnvironmentError.invalidConfiguration(env: "MultiArmedBandit", reason: "arms must be 1...1000000, got \(arms)")
        }
        guard rewardStd >= 0, rewardStd.isFinite else {
            throw EnvironmentError.invalidConfiguration(env: "MultiArmedBandit", reason: "rewardStd must be ≥ 0, got \(rewardStd)")
        }
        self.arms = arms
        self.rewardStd = rewardStd
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// The arm with the highest mean (the optimal action).
    public var bestArm: Int? { means.indices.max { means[$0] < means[$1] } }

    /// Draws new arm means, or uses `state` (one mean per arm) if given.
    public func reset(seed: UInt64? = nil, state: [Double]? = nil) throws
        -> (observation: Observation, info: StepInfo) {
        let generator = random.prepare(seed: seed)
        if let state {
            guard state.count == arms, state.allSatisfy({ $0.isFinite }) else {
                throw EnvironmentError.invalidState(env: name, reason: "expected \(arms) finite arm means, got \(state.count) values")
            }
            means = state
        } else {
            means = (0..<arms).map { _ in generator.nextNormal() }
        }
        elapsedSteps = 0
        return (.discrete(0), [:])
    }

    public func step(action: Int) throws -> StepResult {
        guard actionSpace.contains(action) else {
            throw EnvironmentError.invalidAction(env: name, action: action, n: arms)
        }
        guard !means.isEmpty else { throw EnvironmentError.stepBeforeReset(env: name) }
        let generator = random.prepare(seed: nil)
        let reward = means[action] + rewardStd * generator.nextNormal()
        elapsedSteps += 1
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        return StepResult(observation: .discrete(0), reward: reward, terminated: false,
                          truncated: truncated, info: ["mean": means[action]])
    }
}
