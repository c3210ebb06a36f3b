import COpenBLAS
import Testing
@testable import Engine

/// `SplitGEMM` runs mid-sized products as two row ranges: every transposition and `beta` a layer uses,
/// odd row counts and sizes on both sides of the split thresholds, against a Double reference.
struct SplitGEMMTests {
    /// C = alpha·op(A)·op(B) + beta·C0 in Double, row-major, for A stored as [m, k] or [k, m].
    static func reference(_ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                          a: [Float], b: [Float], beta: Double, c0: [Float]) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * m + i] : a[i * k + p]
                    let bv = transB ? b[j * k + p] : b[p * n + j]
                    s += Double(av) * Double(bv)
                }
                c[i * n + j] = alpha * s + beta * Double(c0[i * n + j])
            }
        }
        return c
    }

    @Test(arguments: [(1, 8, 8), (33, 512, 32), (64, 256, 784), (257, 96, 200), (1600, 512, 32), (2048, 256, 130)])
    func everyTranspositionMatchesTheReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SystemRandomNumberGenerator()
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
        let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &rng) }
        let c0 = (0..<(m * n)).map { _ in Float.random(in: -1...1, using: &rng) }
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            for (alpha, beta) in [(Float(1), Float(0)), (Float(1), Float(1)), (Float(0.5), Float(-2))] {
                var c = c0
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            SplitGEMM.sgemm(transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                                            m: m, n: n, k: k, alpha: alpha, a: ap.baseAddress!, lda: transA ? m : k,
                                            b: bp.baseAddress!, ldb: transB ? k : n, beta: beta,
                                            c: cp.baseAddress!, ldc: n)
                        }
                    }
                }
                let want = Self.reference(transA, transB, m: m, n: n, k: k, alpha: Double(alpha), a: a, b: b,
                                          beta: Double(beta), c0: c0)
                let worst = zip(c, want).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
                // float rounding grows with k; a wrong row range or leading dimension is off by O(1)
                #expect(worst < 3e-7 * Double(k) + 1e-6, "m \(m) n \(n) k \(k) transA \(transA) transB \(transB) alpha \(alpha) beta \(beta): \(worst)")
            }
        }
    }

    @Test func emptyProductsLeaveTheOutputAlone() {
        var c: [Float] = [1, 2, 3]
        let a: [Float] = [0], b: [Float] = [0]
        c.withUnsafeMutableBufferPointer { cp in
            SplitGEMM.sgemm(CblasNoTrans, CblasNoTrans, m: 3, n: 1, k: 0, alpha: 1, a: a, lda: 1, b: b, ldb: 1,
                            beta: 0, c: cp.baseAddress!, ldc: 1)
        }
        #expect(c == [1, 2, 3])
    }
}
