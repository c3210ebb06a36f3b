/// The one seeded random source behind `seed(n)`, `rand`, `randn`, `randint`, dropout, shuffling,
/// initialisers and environments (DESIGN.md): same seed, same numbers, on every run and machine.
///
/// xoshiro256** seeded through splitmix64; normals by the Box–Muller transform (both values used).
/// Not thread-safe: it belongs to the execution thread, like the interpreter's state.
public final class RandomGenerator {
    /// The generator every random source uses unless it is handed another.
    nonisolated(unsafe) public static let shared = RandomGenerator(seed: 0x5EED)

    private var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
    private var spareNormal: Double?

    public init(seed: UInt64) { reseed(seed) }

    /// Restarts the sequence from `seed`.
    public func reseed(_ seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
        spareNormal = nil
    }

    @inline(__always)
    public func nextUInt64() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public func nextDouble() -> Double { Double(nextUInt64() >> 11) * 0x1.0p-53 }

    /// Uniform in [0, 1) with 24 random bits (never rounds up to 1).
    @inline(__always)
    public func nextFloat() -> Float { Float(nextUInt64() >> 40) * 0x1.0p-24 }

    /// Standard normal.
    public func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u1 = nextDouble()
        while u1 <= .leastNormalMagnitude { u1 = nextDouble() }
        let u2 = nextDouble()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = r * _sin(theta)
        return r * _cos(theta)
    }

    /// Uniform integer in `0..<bound` without modulo bias (Lemire's method). `bound` must be > 0;
    /// a non-positive bound returns 0 rather than trapping.
    public func nextInt(below bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        let n = UInt64(bound)
        var product = nextUInt64().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = nextUInt64().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// Uniform integer in `low..<high` (empty range gives `low`).
    public func nextInt(in range: Range<Int>) -> Int {
        range.isEmpty ? range.lowerBound : range.lowerBound + nextInt(below: range.count)
    }

    /// Fisher–Yates shuffle in place.
    public func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, nextInt(below: i + 1))
        }
    }

    /// A random permutation of `0..<n`.
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<max(n, 0))
        shuffle(&p)
        return p
    }
}

// Foundation-free libm access keeps Engine's Random usable without importing Foundation.
#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
