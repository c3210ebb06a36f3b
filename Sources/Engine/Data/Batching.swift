/// Index-level splitting and batching; the caller gathers rows of its tensors by these indices.
extension Datasets {
    /// Splits `0..<count` at random like scikit-learn's `train_test_split`: the test part has
    /// ceil(testSize × count) indices (`testSize` a fraction in (0, 1)), the rest train; both in
    /// random order. Seeded → deterministic; else drawn from `RandomGenerator.shared`.
    public static func trainTestSplit(count: Int, testSize: Double = 0.25, seed: UInt64? = nil) throws
        -> (train: [Int], test: [Int]) {
        guard testSize > 0, testSize < 1 else {
            throw DataError("train_test_split: test_size must be a fraction between 0 and 1, got \(testSize)")
        }
        let testCount = Int((testSize * Double(count)).rounded(.up))
        guard count >= 2, testCount < count else {
            throw DataError("train_test_split: \(count) examples are too few to split with test_size \(testSize)")
        }
        let order = dataGenerator(seed: seed).permutation(count)
        return (Array(order[testCount...]), Array(order[..<testCount]))
    }
}

/// Batches of example indices for one pass over a data set at a time: in order, or reshuffled at
/// the start of each epoch. The last batch keeps the remainder unless `dropLast`.
public final class DataLoader {
    public let count: Int
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    /// Epochs started so far.
    public private(set) var epoch = 0
    private let generator: RandomGenerator?

    /// `seed` fixes the sequence of epoch orders; without one, shuffles draw from
    /// `RandomGenerator.shared` (so `seed(n)` in a notebook fixes them too).
    public init(count: Int, batchSize: Int, shuffle: Bool = false, dropLast: Bool = false,
                seed: UInt64? = nil) throws {
        guard count >= 0 else { throw DataError("DataLoader: the data set size must be ≥ 0, got \(count)") }
        guard batchSize > 0 else { throw DataError("DataLoader: batch_size must be positive, got \(batchSize)") }
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = seed.map { RandomGenerator(seed: $0) }
    }

    /// Number of batches per epoch.
    public var batchCount: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// Starts the next epoch and returns its batches of indices.
    public func nextEpoch() -> [[Int]] {
        epoch += 1
        let order = shuffle ? (generator ?? .shared).permutation(count) : Array(0..<count)
        return (0..<batchCount).map { b in
            Array(order[b * batchSize..<min((b + 1) * batchSize, count)])
        }
    }
}

/// Classification metrics.
public enum Metrics {
    /// The fraction of `predictions` equal to `labels`.
    public static func accuracy(predictions: [Int], labels: [Int]) throws -> Double {
        guard predictions.count == labels.count else {
            throw DataError("accuracy: \(predictions.count) predictions but \(labels.count) labels")
        }
        guard !labels.isEmpty else { throw DataError("accuracy: no examples") }
        let correct = zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }

    /// Row-wise argmax of scores `[rows, classes]` (logits or probabilities; first maximum wins).
    /// A single column is read as the probability or logit of class 1 (threshold 0.5 / 0).
    public static func predictedClasses(scores: [Float], shape: [Int], logits: Bool = false) throws -> [Int] {
        guard shape.count == 2 || shape.count == 1, shape.reduce(1, *) == scores.count else {
            throw DataError("accuracy: scores must be [rows, classes] or [rows], got shape \(shape)")
        }
        let classes = shape.count == 2 ? shape[1] : 1
        guard classes > 0 else { throw DataError("accuracy: scores have no classes") }
        let rows = shape[0]
        if classes == 1 {
            let threshold: Float = logits ? 0 : 0.5
            return scores.map { $0 > threshold ? 1 : 0 }
        }
        return (0..<rows).map { r in
            var best = 0
            for c in 1..<classes where scores[r * classes + c] > scores[r * classes + best] { best = c }
            return best
        }
    }
}
