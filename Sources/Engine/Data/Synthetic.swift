#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Small synthetic data sets for the first course topics. All take an optional `seed`: with a seed
/// the result is a fixed function of it; without one, draws come from `RandomGenerator.shared`.
public enum Datasets {
    /// The four XOR points `[[0,0],[0,1],[1,0],[1,1]]` with labels `[0,1,1,0]`.
    public static func xor() -> Dataset {
        Dataset(features: [0, 0, 0, 1, 1, 0, 1, 1], shape: [4, 2], labels: [0, 1, 1, 0])
    }

    /// Two interleaved spirals (Lang & Witbrock 1988): `count` points, half per class (class 0
    /// first), each spiral three turns with radius shrinking from 6.5; class 1 is class 0 rotated by
    /// 180°. `count` = 194 with no noise gives the classic 97 points per spiral. Gaussian `noise`
    /// (standard deviation) is added to each coordinate. Shape `[count, 2]`.
    public static func spirals(count: Int = 194, noise: Double = 0, seed: UInt64? = nil) throws -> Dataset {
        try requireCount("spirals count", count, in: 2...10_000_000)
        try requireNonNegative("spirals noise", noise)
        let g = dataGenerator(seed: seed)
        let perClass = [count - count / 2, count / 2]
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(2 * count)
        for (label, m) in perClass.enumerated() {
            for i in 0..<m {
                let t = m > 1 ? Double(i) / Double(m - 1) : 0
                let phi = 6 * Double.pi * t
                let r = 6.5 * (104 - 96 * t) / 104
                let sign: Double = label == 0 ? 1 : -1
                let x = sign * r * sin(phi) + noise * g.nextNormal()
                let y = sign * r * cos(phi) + noise * g.nextNormal()
                features += [Float(x), Float(y)]
                labels.append(label)
            }
        }
        return Dataset(features: features, shape: [count, 2], labels: labels)
    }

    /// Two interleaving half circles, as scikit-learn's `make_moons` (unshuffled): the upper moon
    /// (label 0, `count / 2` points) centred at (0, 0), the lower (label 1) at (1, 0.5), radius 1.
    public static func moons(count: Int = 200, noise: Double = 0, seed: UInt64? = nil) throws -> Dataset {
        try requireCount("moons count", count, in: 2...10_000_000)
        try requireNonNegative("moons noise", noise)
        let g = dataGenerator(seed: seed)
        let outer = count / 2, inner = count - outer
        var features: [Float] = [], labels: [Int] = []
        func angle(_ i: Int, _ m: Int) -> Double { m > 1 ? Double.pi * Double(i) / Double(m - 1) : 0 }
        for i in 0..<outer {
            let a = angle(i, outer)
            features += [Float(cos(a) + noise * g.nextNormal()), Float(sin(a) + noise * g.nextNormal())]
            labels.append(0)
        }
        for i in 0..<inner {
            let a = angle(i, inner)
            features += [Float(1 - cos(a) + noise * g.nextNormal()),
                         Float(1 - sin(a) - 0.5 + noise * g.nextNormal())]
            labels.append(1)
        }
        return Dataset(features: features, shape: [count, 2], labels: labels)
    }

    /// Isotropic Gaussian blobs around the given centres (each a point of the same dimension);
    /// `count` points split as evenly as possible, the first centres getting the remainder. Label =
    /// centre index; points are grouped by centre.
    public static func blobs(count: Int = 300, centers: [[Float]], std: Double = 1,
                             seed: UInt64? = nil) throws -> Dataset {
        try requireCount("blobs count", count, in: 1...10_000_000)
        try requireNonNegative("blobs std", std)
        guard let dim = centers.first?.count, dim > 0 else {
            throw DataError("blobs needs at least one centre with at least one coordinate")
        }
        guard centers.allSatisfy({ $0.count == dim }) else {
            throw DataError("blobs centres must all have \(dim) coordinates")
        }
        let g = dataGenerator(seed: seed)
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(count * dim)
        for (k, centre) in centers.enumerated() {
            let m = count / centers.count + (k < count % centers.count ? 1 : 0)
            for _ in 0..<m {
                for c in centre { features.append(c + Float(std * g.nextNormal())) }
                labels.append(k)
            }
        }
        return Dataset(features: features, shape: [count, dim], labels: labels)
    }

    /// Blobs around `centerCount` centres drawn uniformly from the box [-10, 10]^`dimensions`
    /// (scikit-learn's default `center_box`).
    public static func blobs(count: Int = 300, centerCount: Int = 3, dimensions: Int = 2, std: Double = 1,
                             seed: UInt64? = nil) throws -> Dataset {
        try requireCount("blobs centerCount", centerCount, in: 1...100_000)
        try requireCount("blobs dimensions", dimensions, in: 1...100_000)
        let g = dataGenerator(seed: seed)
        let centres = (0..<centerCount).map { _ in
            (0..<dimensions).map { _ in Float(-10 + 20 * g.nextDouble()) }
        }
        return try blobs(count: count, centers: centres, std: std, seed: seed.map { $0 &+ 1 })
    }

    /// Sine waves for next-value prediction: sequence i is `sin(ω_i t + φ_i)` sampled at
    /// t = 0, `step`, 2·`step`, …, with ω uniform in [0.5, 1.5] and φ uniform in [0, 2π), plus
    /// Gaussian `noise` on the inputs. Inputs are the first `length` values and targets the next
    /// `length` (shifted by one step); both `[count, length, 1]`.
    public static func sineWaves(count: Int = 100, length: Int = 50, step: Double = 0.1,
                                 noise: Double = 0, seed: UInt64? = nil) throws -> SequenceDataset {
        try requireCount("sine_waves count", count, in: 1...10_000_000)
        try requireCount("sine_waves length", length, in: 1...10_000_000)
        guard count * length <= 100_000_000 else { throw DataError("sine_waves: count × length is too large") }
        guard step > 0, step.isFinite else { throw DataError("sine_waves step must be > 0, got \(step)") }
        try requireNonNegative("sine_waves noise", noise)
        let g = dataGenerator(seed: seed)
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(count * length)
        targets.reserveCapacity(count * length)
        for _ in 0..<count {
            let omega = 0.5 + g.nextDouble(), phase = 2 * Double.pi * g.nextDouble()
            let wave = (0...length).map { sin(omega * Double($0) * step + phase) }
            for t in 0..<length {
                inputs.append(Float(wave[t] + noise * g.nextNormal()))
                targets.append(Float(wave[t + 1]))
            }
        }
        return SequenceDataset(inputs: inputs, inputShape: [count, length, 1],
                               targets: targets, targetShape: [count, length, 1])
    }
}
