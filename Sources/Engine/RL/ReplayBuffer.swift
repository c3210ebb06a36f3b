/// Errors from the replay buffer, each saying what to change.
public enum ReplayBufferError: Error, Equatable, CustomStringConvertible {
    case invalidCapacity(Int)
    case observationSize(expected: Int, got: Int)
    case notEnoughSamples(requested: Int, stored: Int)
    case invalidBatchSize(Int)
    case invalidObservationShape([Int])

    public var description: String {
        switch self {
        case .invalidCapacity(let c):
            return "ReplayBuffer: capacity must be positive, got \(c)"
        case .observationSize(let expected, let got):
            return "ReplayBuffer: observation has \(got) values but earlier ones had \(expected); all observations must have the same size"
        case .notEnoughSamples(let requested, let stored):
            return "ReplayBuffer: cannot sample \(requested) transitions, only \(stored) stored; push more or sample fewer"
        case .invalidObservationShape(let shape):
            return "ReplayBuffer: observation shape \(shape) is not a valid non-empty shape"
        case .invalidBatchSize(let b):
            return "ReplayBuffer: batch size must be positive, got \(b)"
        }
    }
}

/// A sampled mini-batch as column arrays; observations are row-major `[batch] + observationShape`.
public struct ReplayBatch: Equatable, Sendable {
    public var observations: [Float]
    public var observationShape: [Int]
    public var actions: [Int]
    public var rewards: [Float]
    public var nextObservations: [Float]
    /// 1 where the episode ended after the transition, else 0 (ready for `(1 - done) * γ * V`).
    public var dones: [Float]
}

/// A fixed-capacity ring buffer of transitions for off-policy learning (DQN). When full, a push
/// overwrites the oldest transition. Sampling draws distinct transitions uniformly.
public final class ReplayBuffer {
    public let capacity: Int
    /// The shape of one observation, fixed by the first push (flat `[size]` unless given).
    public private(set) var observationShape: [Int]?
    private var observations: [Float] = []
    private var nextObservations: [Float] = []
    private var actions: [Int] = []
    private var rewards: [Float] = []
    private var dones: [Float] = []
    private var nextSlot = 0
    public private(set) var count = 0

    public init(capacity: Int, observationShape: [Int]? = nil) throws {
        guard capacity > 0 else { throw ReplayBufferError.invalidCapacity(capacity) }
        if let shape = observationShape {
            guard let size = checkedElementCount(shape), size > 0 else {
                throw ReplayBufferError.invalidObservationShape(shape)
            }
        }
        self.capacity = capacity
        self.observationShape = observationShape
    }

    private var observationSize: Int? { observationShape.map { $0.reduce(1, *) } }

    /// Stores one transition, overwriting the oldest when full.
    public func push(observation: [Float], action: Int, reward: Double,
                     nextObservation: [Float], done: Bool) throws {
        let size = observationSize ?? observation.count
        for o in [observation, nextObservation] where o.count != size {
            throw ReplayBufferError.observationSize(expected: size, got: o.count)
        }
        if observationShape == nil { observationShape = [size] }
        if count < capacity {
            observations += observation
            nextObservations += nextObservation
            actions.append(action)
            rewards.append(Float(reward))
            dones.append(done ? 1 : 0)
            count += 1
        } else {
            let base = nextSlot * size
            observations.replaceSubrange(base..<base + size, with: observation)
            nextObservations.replaceSubrange(base..<base + size, with: nextObservation)
            actions[nextSlot] = action
            rewards[nextSlot] = Float(reward)
            dones[nextSlot] = done ? 1 : 0
        }
        nextSlot = (nextSlot + 1) % capacity
    }

    /// `batchSize` distinct stored transitions chosen uniformly (from `RandomGenerator.shared`
    /// unless a generator is given).
    public func sample(_ batchSize: Int, using generator: RandomGenerator = .shared) throws -> ReplayBatch {
        guard batchSize > 0 else { throw ReplayBufferError.invalidBatchSize(batchSize) }
        guard batchSize <= count else {
            throw ReplayBufferError.notEnoughSamples(requested: batchSize, stored: count)
        }
        return gather(distinctIndices(batchSize, below: count, using: generator))
    }

    /// `k` distinct indices in `0..<n`, uniformly: Floyd's algorithm, O(k) whatever the capacity.
    func distinctIndices(_ k: Int, below n: Int, using generator: RandomGenerator) -> [Int] {
        var chosen = Set<Int>(minimumCapacity: k)
        var order: [Int] = []
        order.reserveCapacity(k)
        for j in (n - k)..<n {
            let t = generator.nextInt(below: j + 1)
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            order.append(pick)
        }
        return order
    }

    /// The transitions at the given storage slots, in that order.
    func gather(_ slots: [Int]) -> ReplayBatch {
        let size = observationSize ?? 0
        var batch = ReplayBatch(observations: [], observationShape: [slots.count] + (observationShape ?? [0]),
                                actions: [], rewards: [], nextObservations: [], dones: [])
        batch.observations.reserveCapacity(slots.count * size)
        batch.nextObservations.reserveCapacity(slots.count * size)
        for slot in slots {
            batch.observations += observations[slot * size..<(slot + 1) * size]
            batch.nextObservations += nextObservations[slot * size..<(slot + 1) * size]
            batch.actions.append(actions[slot])
            batch.rewards.append(rewards[slot])
            batch.dones.append(dones[slot])
        }
        return batch
    }

    public func clear() {
        observations = []; nextObservations = []; actions = []; rewards = []; dones = []
        nextSlot = 0
        count = 0
    }
}
