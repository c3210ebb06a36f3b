import Foundation
import Testing
@testable import Engine

/// Categorical and Normal over tensors: values against closed forms, gradients against finite differences.
@Suite struct RLDistributionTests {
    func close(_ a: [Float], _ b: [Double], tolerance: Double = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func categoricalFromProbsMatchesClosedForms() throws {
        let d = try Categorical(probs: try Tensor([1, 1, 2] as [Float], shape: [3])) // normalised to 0.25, 0.25, 0.5
        #expect(close(d.probs.floatArray(), [0.25, 0.25, 0.5]))
        #expect(close(try d.logProb(Tensor(scalar: Int64(2))).floatArray(), [log(0.5)]))
        let h = -(0.25 * log(0.25) * 2 + 0.5 * log(0.5))
        #expect(close(try d.entropy().floatArray(), [h]))
        #expect(try d.entropy().shape == [] && d.batchShape == [])
    }

    @Test func categoricalFromLogitsIsLogSoftmax() throws {
        let raw: [[Double]] = [[1, 2, 3], [0, 0, -1]]
        let d = try Categorical(logits: try Tensor(raw.flatMap { $0.map(Float.init) }, shape: [2, 3]))
        let lse = raw.map { row in log(row.map { exp($0) }.reduce(0, +)) }
        let lp = try d.logProb(try Tensor([2, 0] as [Int64], shape: [2]))
        #expect(close(lp.floatArray(), [3 - lse[0], 0 - lse[1]]))
        let entropies = raw.enumerated().map { r, row in -row.map { exp($0 - lse[r]) * ($0 - lse[r]) }.reduce(0, +) }
        #expect(close(try d.entropy().floatArray(), entropies))
        // One value broadcast over the batch, and a batch of values for one distribution.
        #expect(close(try d.logProb(Tensor(scalar: Int64(1))).floatArray(), [2 - lse[0], 0 - lse[1]]))
    }

    @Test func zeroProbabilitiesStayFinite() throws {
        let p = try Categorical(probs: try Tensor([0, 1] as [Float], shape: [2]))
        #expect(try p.entropy().item().isFinite && abs(try p.entropy().item()) < 1e-5)
        #expect(abs(try p.logProb(Tensor(scalar: Int64(1))).item()) < 1e-5)
        let l = try Categorical(logits: try Tensor([-Float.infinity, 0], shape: [2]))
        #expect(try l.entropy().item() == 0)
        #expect(try l.logProb(Tensor(scalar: Int64(1))).item() == 0)
    }

    @Test func categoricalGradientsMatchFiniteDifferences() throws {
        let logits = try Tensor([0.3, -1.2, 0.8, 0.1, 0.5, -0.4], shape: [2, 3]).requiresGrad_()
        let actions = try Tensor([2, 1] as [Int64], shape: [2])
        let viaLogits = try gradcheck({ try Categorical(logits: $0[0]).logProb(actions) }, [logits])
        #expect(viaLogits.passed, "\(viaLogits)")
        let entropy = try gradcheck({ try Categorical(logits: $0[0]).entropy() }, [logits])
        #expect(entropy.passed, "\(entropy)")
        let probs = try Tensor([0.2, 0.5, 0.3], shape: [3]).requiresGrad_()
        let viaProbs = try gradcheck({ try Categorical(probs: $0[0]).logProb(Tensor(scalar: Int64(1))) }, [probs])
        #expect(viaProbs.passed, "\(viaProbs)")
        // REINFORCE: -(log_prob * G).sum() sends -G * (onehot - p) to the logits.
        let l = try Tensor([0.0, 1.0], shape: [2]).requiresGrad_()
        let d = try Categorical(logits: l)
        try d.logProb(Tensor(scalar: Int64(0))).mul(Tensor(scalar: Float(-2))).sum().backward()
        let p0 = 1 / (1 + exp(1.0))
        #expect(close(try #require(l.grad).floatArray(), [-2 * (1 - p0), -2 * (0 - (1 - p0))]))
    }

    @Test func categoricalSamplesFollowProbabilities() throws {
        let d = try Categorical(probs: try Tensor([0.1, 0.0, 0.9], shape: [3]))
        let g = RandomGenerator(seed: 4)
        var counts = [0, 0, 0]
        for _ in 0..<5000 {
            let s = try d.sample(using: g)
            #expect(s.shape == [] && s.dtype == .int64)
            counts[Int(try s.itemInt())] += 1
        }
        #expect(counts[1] == 0 && abs(Double(counts[2]) / 5000 - 0.9) < 0.02)
        let batch = try Categorical(logits: try Tensor([0, 0, 0, 0] as [Float], shape: [2, 2])).sample(using: g)
        #expect(batch.shape == [2])
    }

    @Test func categoricalRejectsBadInput() throws {
        let d = try Categorical(probs: try Tensor([0.5, 0.5], shape: [2]))
        #expect(throws: EngineError.self) { try d.logProb(Tensor(scalar: Int64(2))) }
        #expect(throws: EngineError.self) { try Categorical(probs: try Tensor([-0.1, 1], shape: [2])) }
        #expect(throws: EngineError.self) { try Categorical(probs: try Tensor([0, 0] as [Float], shape: [2])) }
        #expect(throws: EngineError.self) { try Categorical(logits: Tensor(scalar: Float(1))) }
    }

    @Test func normalMatchesClosedForms() throws {
        let d = try Normal(mean: try Tensor([0.5, -1], shape: [2]), std: Tensor(scalar: Float(2)))
        #expect(d.batchShape == [2])
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        let lp = try d.logProb(try Tensor([1.5, 0], shape: [2]))
        #expect(close(lp.floatArray(), [-1.0 / 8 - log(2) - halfLog2Pi, -1.0 / 8 - log(2) - halfLog2Pi]))
        #expect(close(try d.entropy().floatArray(), [0.5 + halfLog2Pi + log(2), 0.5 + halfLog2Pi + log(2)]))
        #expect(throws: EngineError.self) { try Normal(mean: Tensor(scalar: Float(0)), std: Tensor(scalar: Float(0))) }
    }

    @Test func normalGradientsMatchFiniteDifferences() throws {
        let mean = try Tensor([0.2, -0.7, 1.1], shape: [3]).requiresGrad_()
        let std = try Tensor([0.9, 1.4, 0.6], shape: [3]).requiresGrad_()
        let x = try Tensor([0.5, 0.1, 0.8], shape: [3]).requiresGrad_()
        let lp = try gradcheck({ try Normal(mean: $0[0], std: $0[1]).logProb($0[2]) }, [mean, std, x])
        #expect(lp.passed, "\(lp)")
        let h = try gradcheck({ try Normal(mean: $0[0], std: $0[1]).entropy() }, [mean, std])
        #expect(h.passed, "\(h)")
    }

    @Test func normalSamplesHaveTheRightMomentsAndRsampleKeepsTheGraph() throws {
        let mean = try Tensor([3] as [Float], shape: [1]).requiresGrad_(), std = try Tensor([0.5], shape: [1]).requiresGrad_()
        let d = try Normal(mean: mean, std: std)
        let g = RandomGenerator(seed: 9)
        let draws = try (0..<4000).map { _ in try d.sample(using: g).item() }
        let m = draws.reduce(0, +) / 4000
        let v = draws.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 3999
        #expect(abs(m - 3) < 0.03 && abs(v.squareRoot() - 0.5) < 0.03)
        #expect(try d.sample(using: g).requiresGrad == false)
        let r = try d.rsample(using: RandomGenerator(seed: 1))
        try r.sum().backward()
        let eps = try Tensor.randn([1], generator: RandomGenerator(seed: 1)).item()
        let meanGrad = try #require(mean.grad).floatArray(), stdGrad = try #require(std.grad).floatArray()
        #expect(close(meanGrad, [1]) && close(stdGrad, [eps]))
    }
}
