import Foundation
import Testing
@testable import Engine

/// linalg against NumPy (fixtures/linalg/linalg.json, written by fixtures/linalg/make_linalg.py in
/// float64), identities, and central-difference gradchecks.
@Suite struct LinalgTests {
    static let fixtures: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixtures/linalg/linalg.json")
        guard let data = try? Data(contentsOf: url), let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return obj
    }()

    static func cases(_ name: String) -> [[String: Any]] { fixtures[name] as? [[String: Any]] ?? [] }

    static func matrix(_ v: Any?) throws -> Tensor {
        let rows = (v as? [[Double]]) ?? []
        return try Tensor(rows.flatMap { $0.map(Float.init) }, shape: [rows.count, rows.first?.count ?? 0])
    }
    static func vector(_ v: Any?) throws -> Tensor {
        let xs = (v as? [Double]) ?? []
        return try Tensor(xs.map(Float.init), shape: [xs.count])
    }

    /// Largest |a - b| over all elements (shapes must match).
    static func gap(_ a: Tensor, _ b: Tensor) -> Double {
        guard a.shape == b.shape else { return .infinity }
        return zip(a.doubleArray(), b.doubleArray()).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    @Test func fixturesArePresent() {
        #expect(Self.cases("svd").count == 3 && Self.cases("eigh").count == 2 && Self.cases("solve").count == 2)
    }

    @Test func svdMatchesNumPyAndReconstructs() throws {
        for c in Self.cases("svd") {
            let a = try Self.matrix(c["a"])
            let (u, s, vt) = try Linalg.svd(a, fullMatrices: false)
            #expect(Self.gap(s, try Self.vector(c["s"])) < 1e-4)
            let k = s.count
            let rebuilt = try u.mul(s.reshape([1, k])).matmul(vt)
            #expect(Self.gap(rebuilt, a) < 1e-4)
            #expect(Self.gap(try u.transpose(0, 1).matmul(u), try Tensor.eye(k)) < 1e-5)
            #expect(Self.gap(try vt.matmul(vt.transpose(0, 1)), try Tensor.eye(k)) < 1e-5)
            let full = try Linalg.svd(a, fullMatrices: true)
            let (m, n) = (a.shape[0], a.shape[1])
            #expect(full.u.shape == [m, m] && full.vt.shape == [n, n] && full.s.shape == [k])
            #expect(Self.gap(try full.u.transpose(0, 1).matmul(full.u), try Tensor.eye(m)) < 1e-5)
            #expect(Self.gap(try full.vt.matmul(full.vt.transpose(0, 1)), try Tensor.eye(n)) < 1e-5)
        }
    }

    @Test func eighMatchesNumPyUpToSign() throws {
        for c in Self.cases("eigh") {
            let a = try Self.matrix(c["a"]), expected = try Self.matrix(c["vectors"])
            let (w, v) = try Linalg.eigh(a)
            #expect(Self.gap(w, try Self.vector(c["values"])) < 1e-4)
            let n = a.shape[0]
            for j in 0..<n {
                let got = try v.index([.all, .int(j)]), want = try expected.index([.all, .int(j)])
                let sign: Float = try got.dot(want).item() < 0 ? -1 : 1
                #expect(Self.gap(try got.mul(Tensor(scalar: sign)), want) < 1e-4)
            }
            // A V = V diag(w)
            #expect(Self.gap(try a.matmul(v), try v.mul(w.reshape([1, n]))) < 1e-4)
        }
        // Only the lower triangle is read (PyTorch's UPLO='L').
        let lower = try Tensor([2, 99, 1, 2] as [Float], shape: [2, 2])
        #expect(Self.gap(try Linalg.eigh(lower).values, try Tensor([1, 3] as [Float], shape: [2])) < 1e-5)
        #expect(Self.gap(try Linalg.eigh(try Tensor([2, 1, 99, 2] as [Float], shape: [2, 2]), upper: true).values, try Tensor([1, 3] as [Float], shape: [2])) < 1e-5)
    }

    @Test func invAndSolveMatchNumPy() throws {
        for c in Self.cases("inv") {
            let a = try Self.matrix(c["a"])
            let i = try Linalg.inv(a)
            #expect(Self.gap(i, try Self.matrix(c["inv"])) < 1e-4)
            #expect(Self.gap(try a.matmul(i), try Tensor.eye(a.shape[0])) < 1e-4)
        }
        for c in Self.cases("solve") {
            let a = try Self.matrix(c["a"])
            if let b = c["b"] as? [Double] {
                #expect(Self.gap(try Linalg.solve(a, try Self.vector(b)), try Self.vector(c["x"])) < 1e-4)
            } else {
                #expect(Self.gap(try Linalg.solve(a, try Self.matrix(c["b"])), try Self.matrix(c["x"])) < 1e-4)
            }
        }
    }

    @Test func normsMatchNumPy() throws {
        guard let c = Self.cases("norm").first else { Issue.record("no norm fixture"); return }
        let m = try Self.matrix(c["a"])
        func close(_ t: Tensor, _ key: String) throws -> Bool { Swift.abs(try t.item() - ((c[key] as? Double) ?? .nan)) < 1e-4 }
        #expect(try close(Linalg.matrixNorm(m, ord: "fro"), "fro"))
        #expect(try close(Linalg.matrixNorm(m, ord: "nuc"), "nuc"))
        #expect(try close(Linalg.matrixNorm(m, ord: "2"), "two"))
        #expect(try close(Linalg.matrixNorm(m, ord: "1"), "one"))
        #expect(try close(Linalg.matrixNorm(m, ord: "inf"), "inf"))
        #expect(try close(Linalg.vectorNorm(m, ord: 1), "vec1"))
        #expect(try close(Linalg.vectorNorm(m, ord: .infinity), "vecinf"))
        #expect(Self.gap(try Linalg.vectorNorm(m, dims: [1]), try Self.vector(c["rows2"])) < 1e-4)
        #expect(Self.gap(try Linalg.vectorNorm(m, ord: 3, dims: [1]), try Self.vector(c["rows3"])) < 1e-4)
        #expect(try Linalg.vectorNorm(m, dims: [1], keepdim: true).shape == [3, 1])
    }

    @Test func badInputsAreClearErrors() throws {
        let singular = try Tensor([1, 2, 2, 4] as [Float], shape: [2, 2])
        #expect(throws: EngineError.self) { try Linalg.inv(singular) }
        do { _ = try Linalg.inv(singular) } catch let e as EngineError { #expect(e.kind == .runtime && e.message.contains("singular")) }
        do { _ = try Linalg.solve(singular, try Tensor([1, 1] as [Float], shape: [2])) } catch let e as EngineError { #expect(e.message.contains("singular")) }
        do { _ = try Linalg.inv(try Tensor.zeros([2, 3])) } catch let e as EngineError { #expect(e.kind == .shape && e.message.contains("[2, 3]")) }
        do { _ = try Linalg.solve(try Tensor.eye(2), try Tensor.zeros([3])) } catch let e as EngineError { #expect(e.kind == .shape && e.message.contains("[3]")) }
        do { _ = try Linalg.svd(try Tensor.zeros([4])) } catch let e as EngineError { #expect(e.kind == .shape) }
        do { _ = try Linalg.eigh(try Tensor([1, 2] as [Int64], shape: [1, 2])) } catch let e as EngineError { #expect(e.kind == .type) }
    }

    typealias Case = (name: String, shapes: [[Int]], f: ([Tensor]) throws -> Tensor)
    static let gradCases: [Case] = [
        ("inv", [[3, 3]], { try Linalg.inv($0[0].add(Tensor.eye(3).mul(Tensor(scalar: Float(3))))) }),
        ("solve vector", [[3, 3], [3]], { try Linalg.solve($0[0].add(Tensor.eye(3).mul(Tensor(scalar: Float(3)))), $0[1]) }),
        ("solve matrix", [[2, 2], [2, 3]], { try Linalg.solve($0[0].add(Tensor.eye(2).mul(Tensor(scalar: Float(3)))), $0[1]) }),
        ("vector norm 2", [[2, 3]], { try Linalg.vectorNorm($0[0]) }),
        ("vector norm dims", [[2, 3]], { try Linalg.vectorNorm($0[0], ord: 2, dims: [1]) }),
        ("vector norm 1 and 3", [[4]], { try Linalg.vectorNorm($0[0], ord: 1).add(Linalg.vectorNorm($0[0], ord: 3)) }),
        ("frobenius", [[3, 2]], { try Linalg.matrixNorm($0[0], ord: "fro") }),
        ("spectral and nuclear", [[3, 2]], { try Linalg.matrixNorm($0[0], ord: "2").add(Linalg.matrixNorm($0[0], ord: "nuc")) }),
    ]

    @Test(arguments: 0..<gradCases.count)
    func gradientsMatchFiniteDifferences(_ i: Int) throws {
        let c = Self.gradCases[i]
        let inputs = try c.shapes.enumerated().map { k, s in
            try Tensor.rand(s, generator: RandomGenerator(seed: UInt64(40 + k))).mul(Tensor(scalar: Float(2))).sub(Tensor(scalar: Float(1))).requiresGrad_()
        }
        let report = try gradcheck(c.f, inputs)
        #expect(report.passed, "\(c.name): \(report)")
    }

    @Test func zeroVectorNormHasZeroGradient() throws {
        let x = try Tensor.zeros([3]).requiresGrad_()
        try Linalg.vectorNorm(x).backward()
        #expect(x.grad?.doubleArray() == [0, 0, 0])
    }
}
