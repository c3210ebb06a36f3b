#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Sampling for the `Categorical` and `Normal` policy distributions, over plain rows of floats.
/// Log-probabilities and entropies are differentiable tensor expressions and belong with the
/// tensor wrappers; drawing a sample needs no gradient, so it lives here.
public enum PolicySampling {
    /// One class index per row of `probs` (`[rows, classes]` row-major, or one row if 1-D).
    /// Rows need not sum to 1 (they are normalised, as PyTorch does); negative or non-finite
    /// entries, or an all-zero row, are errors.
    public static func categorical(probs: [Float], shape: [Int], using generator: RandomGenerator = .shared) throws -> [Int] {
        let (rows, classes) = try rowsAndClasses(count: probs.count, shape: shape)
        return try (0..<rows).map { r in
            let row = probs[r * classes..<(r + 1) * classes]
            guard row.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw DataError("Categorical: probabilities must be finite and ≥ 0 (row \(r))")
            }
            let total = row.reduce(0.0) { $0 + Double($1) }
            guard total > 0 else { throw DataError("Categorical: row \(r) of probs sums to 0") }
            let u = generator.nextDouble() * total
            var cumulative = 0.0
            for (k, p) in row.enumerated() {
                cumulative += Double(p)
                if u < cumulative { return k }
            }
            return row.lastIndex { $0 > 0 } ?? classes - 1
        }
    }

    /// One class index per row of unnormalised log-probabilities (softmax taken stably).
    public static func categorical(logits: [Float], shape: [Int], using generator: RandomGenerator = .shared) throws -> [Int] {
        let (rows, classes) = try rowsAndClasses(count: logits.count, shape: shape)
        var probs = [Float](repeating: 0, count: logits.count)
        for r in 0..<rows {
            let row = logits[r * classes..<(r + 1) * classes]
            guard row.allSatisfy({ !$0.isNaN && $0 != .infinity }), let top = row.max(), top.isFinite else {
                throw DataError("Categorical: logits must be finite (row \(r))")
            }
            for (k, v) in row.enumerated() { probs[r * classes + k] = Float(exp(Double(v - top))) }
        }
        return try categorical(probs: probs, shape: [rows, classes], using: generator)
    }

    /// Elementwise draws from N(mean, std²); `mean` and `std` have the same length, std ≥ 0.
    public static func normal(mean: [Float], std: [Float], using generator: RandomGenerator = .shared) throws -> [Float] {
        guard mean.count == std.count else {
            throw DataError("Normal: mean has \(mean.count) values but std has \(std.count)")
        }
        guard std.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw DataError("Normal: std must be finite and ≥ 0") }
        return zip(mean, std).map { m, s in m + s * Float(generator.nextNormal()) }
    }

    private static func rowsAndClasses(count: Int, shape: [Int]) throws -> (Int, Int) {
        guard (shape.count == 1 || shape.count == 2), checkedElementCount(shape) == count,
              let classes = shape.last, classes > 0 else {
            throw DataError("Categorical: expected probabilities of shape [classes] or [rows, classes], got \(shape)")
        }
        return (shape.count == 2 ? shape[0] : 1, classes)
    }
}
