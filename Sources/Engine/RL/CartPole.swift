#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Gymnasium's CartPole-v1 (Barto, Sutton & Anderson 1983), as `gym.make("CartPole-v1")` builds it:
/// explicit Euler integration in double precision, observations rounded to float32, reward 1 per
/// step, termination when |x| > 2.4 or |θ| > 12°, truncation after 500 steps (the TimeLimit wrapper).
///
/// Actions: 0 pushes the cart left, 1 pushes it right. State: (x, ẋ, θ, θ̇).
public final class CartPole: Environment {
    public let name = "CartPole"
    public let gravity = 9.8
    public let massCart = 1.0
    public let massPole = 0.1
    /// Half the pole's length.
    public let length = 0.5
    public let forceMagnitude = 10.0
    public let tau = 0.02
    public let xThreshold = 2.4
    public let thetaThresholdRadians = 12 * 2 * Double.pi / 360
    public let maxEpisodeSteps: Int

    public let actionSpace = DiscreteSpace(n: 2)
    public var observationSpace: ObservationSpace {
        // Gymnasium's bounds: twice the thresholds, and float32's max for the velocities.
        let high: [Float] = [Float(xThreshold * 2), .greatestFiniteMagnitude,
                             Float(thetaThresholdRadians * 2), .greatestFiniteMagnitude]
        return .box(low: high.map { -$0 }, high: high, shape: [4])
    }

    /// The full-precision state (x, ẋ, θ, θ̇); nil before the first reset.
    public private(set) var state: [Double]?
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0
    private var stepsBeyondTerminated: Int?
    private var random = EnvironmentRandom()

    public init(maxEpisodeSteps: Int = 500) {
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Starts an episode from `state` if given (four numbers), else each component uniform in
    /// [-0.05, 0.05) from the environment's generator.
    public func reset(seed: UInt64? = nil, state: [Double]? = nil) throws
        -> (observation: Observation, info: StepInfo) {
        let generator = random.prepare(seed: seed)
        if let state {
            guard state.count == 4 else {
                throw EnvironmentError.invalidState(
                    env: name, reason: "expected 4 numbers (x, x_dot, theta, theta_dot), got \(state.count)")
            }
            guard state.allSatisfy({ $0.isFinite }) else {
                throw EnvironmentError.invalidState(env: name, reason: "values must be finite")
            }
            self.state = state
        } else {
            self.state = (0..<4).map { _ in -0.05 + 0.1 * generator.nextDouble() }
        }
        elapsedSteps = 0
        stepsBeyondTerminated = nil
        return (observation(), [:])
    }

    public func step(action: Int) throws -> StepResult {
        guard actionSpace.contains(action) else {
            throw EnvironmentError.invalidAction(env: name, action: action, n: actionSpace.n)
        }
        guard let current = state else { throw EnvironmentError.stepBeforeReset(env: name) }
        var (x, xDot, theta, thetaDot) = (current[0], current[1], current[2], current[3])

        // Same operation order as Gymnasium so double-precision results agree bit for bit.
        let force = action == 1 ? forceMagnitude : -forceMagnitude
        let totalMass = massPole + massCart
        let poleMassLength = massPole * length
        let cosTheta = cos(theta), sinTheta = sin(theta)
        let temp = (force + poleMassLength * (thetaDot * thetaDot) * sinTheta) / totalMass
        let thetaAcc = (gravity * sinTheta - cosTheta * temp)
            / (length * (4.0 / 3.0 - massPole * (cosTheta * cosTheta) / totalMass))
        let xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass
        x = x + tau * xDot
        xDot = xDot + tau * xAcc
        theta = theta + tau * thetaDot
        thetaDot = thetaDot + tau * thetaAcc
        state = [x, xDot, theta, thetaDot]

        let terminated = x < -xThreshold || x > xThreshold
            || theta < -thetaThresholdRadians || theta > thetaThresholdRadians
        let reward: Double
        if !terminated {
            reward = 1
        } else if let beyond = stepsBeyondTerminated {
            // Gymnasium warns and gives 0 for steps taken after the episode ended.
            stepsBeyondTerminated = beyond + 1
            reward = 0
        } else {
            stepsBeyondTerminated = 0
            reward = 1
        }
        elapsedSteps += 1
        return StepResult(observation: observation(), reward: reward, terminated: terminated,
                          truncated: elapsedSteps >= maxEpisodeSteps)
    }

    private func observation() -> Observation {
        .vector((state ?? [0, 0, 0, 0]).map { Float($0) })
    }
}
