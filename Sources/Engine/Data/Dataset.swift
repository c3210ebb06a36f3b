/// A labelled data set as plain arrays, ready to wrap into tensors: `features` is row-major with
/// `shape` (first dimension = number of examples) and `labels` has one class index per example.
public struct Dataset: Equatable, Sendable {
    public var features: [Float]
    public var shape: [Int]
    public var labels: [Int]

    public init(features: [Float], shape: [Int], labels: [Int]) {
        self.features = features
        self.shape = shape
        self.labels = labels
    }

    public var count: Int { shape.first ?? 0 }
    /// Number of floats per example.
    public var exampleSize: Int { shape.dropFirst().reduce(1, *) }
}

/// A regression / sequence data set: float inputs and float targets, each row-major with a shape.
public struct SequenceDataset: Equatable, Sendable {
    public var inputs: [Float]
    public var inputShape: [Int]
    public var targets: [Float]
    public var targetShape: [Int]
}

/// Errors from data generators, file readers and batching; each says what to fix.
public struct DataError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The generator a data function draws from: its own when seeded, else the shared one.
func dataGenerator(seed: UInt64?) -> RandomGenerator {
    seed.map { RandomGenerator(seed: $0) } ?? .shared
}

/// The product of `dims`, or nil if any is negative or the product overflows.
func checkedElementCount(_ dims: [Int]) -> Int? {
    var n = 1
    for d in dims {
        guard d >= 0 else { return nil }
        let (p, overflow) = n.multipliedReportingOverflow(by: d)
        if overflow { return nil }
        n = p
    }
    return n
}

/// Fails with a clear message unless `value` lies in `range`.
func requireCount(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws {
    guard range.contains(value) else {
        throw DataError("\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
    }
}

func requireNonNegative(_ name: String, _ value: Double) throws {
    guard value >= 0, value.isFinite else { throw DataError("\(name) must be a finite number ≥ 0, got \(value)") }
}
