import Foundation
import Testing
@testable import Engine

@Suite struct PolicySamplingTests {
    @Test func categoricalFrequenciesFollowProbabilities() throws {
        let g = RandomGenerator(seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 {
            for k in try PolicySampling.categorical(probs: [0.2, 0, 0.6], shape: [3], using: g) { counts[k] += 1 }
        }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[0]) / 30_000 - 0.25) < 0.01) // unnormalised: 0.2 / 0.8
        let rows = try PolicySampling.categorical(probs: [1, 0, 0, 0, 0, 1], shape: [2, 3], using: g)
        #expect(rows == [0, 2])
    }

    @Test func logitsAreSoftmaxed() throws {
        let g = RandomGenerator(seed: 2)
        var ones = 0
        for _ in 0..<20_000 {
            ones += try PolicySampling.categorical(logits: [0, Float(log(3.0))], shape: [1, 2], using: g)[0]
        }
        #expect(abs(Double(ones) / 20_000 - 0.75) < 0.01)
        #expect(try PolicySampling.categorical(logits: [1000, -1000], shape: [2], using: g) == [0])
        #expect(throws: DataError.self) { try PolicySampling.categorical(logits: [.nan, 0], shape: [2]) }
    }

    @Test func badProbabilitiesAreErrors() {
        #expect(throws: DataError.self) { try PolicySampling.categorical(probs: [0, 0], shape: [2]) }
        #expect(throws: DataError.self) { try PolicySampling.categorical(probs: [-1, 2], shape: [2]) }
        #expect(throws: DataError.self) { try PolicySampling.categorical(probs: [1, 2, 3], shape: [2, 2]) }
        #expect(throws: DataError.self) { try PolicySampling.normal(mean: [0], std: [-1]) }
        #expect(throws: DataError.self) { try PolicySampling.normal(mean: [0, 1], std: [1]) }
    }

    @Test func normalDrawsHaveTheRightMoments() throws {
        let g = RandomGenerator(seed: 3)
        let xs = try PolicySampling.normal(mean: [Float](repeating: 2, count: 50_000),
                                           std: [Float](repeating: 0.5, count: 50_000), using: g)
        let mean = xs.reduce(0.0) { $0 + Double($1) } / 50_000
        let variance = xs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 50_000
        #expect(abs(mean - 2) < 0.01)
        #expect(abs(variance - 0.25) < 0.01)
    }
}
