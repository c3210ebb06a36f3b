import Testing
@testable import Engine

/// Small, seeded end-to-end runs: the layers, losses and optimisers together must learn.
@Suite(.serialized) struct NNLearningTests {
    /// Re-draws every Linear's PyTorch default init from a private generator, so tests running in
    /// parallel on the shared generator cannot change these runs.
    static func seeded(_ model: Module, _ seed: UInt64) throws -> Module {
        let g = RandomGenerator(seed: seed)
        for (_, m) in model.namedModules() {
            guard let lin = m as? Linear else { continue }
            let b = 1 / Double(lin.inFeatures).squareRoot()
            for p in lin.parameters() { try Init.uniform_(p, -b, b, generator: g) }
        }
        return model
    }

    @Test func xorMLPReachesFullAccuracy() throws {
        let x = try Tensor([0, 0, 0, 1, 1, 0, 1, 1] as [Float], shape: [4, 2])
        let y = try Tensor([0, 1, 1, 0] as [Float], shape: [4, 1])
        let model = try Self.seeded(Sequential(try Linear(2, 8), Tanh(), try Linear(8, 1)), 0)
        let opt = try Adam(model.parameters(), lr: 0.05)
        var loss = Double.infinity
        for _ in 0..<300 {
            opt.zeroGrad()
            let l = try Losses.bceWithLogits(model(x), y)
            try l.backward()
            try opt.step()
            loss = try l.item()
        }
        let predicted = try model(x).floatArray().map { $0 > 0 ? Float(1) : 0 }
        #expect(predicted == [0, 1, 1, 0])
        #expect(loss < 0.05)
    }

    /// Two interleaved spirals (the classic benchmark), class k rotated by πk.
    static func spirals(perClass n: Int, noise: Double, generator: RandomGenerator) throws -> (Tensor, Tensor) {
        var xs: [Float] = [], ys: [Int64] = []
        for k in 0..<2 {
            for i in 0..<n {
                let t = 0.25 + 3.5 * Double.pi * Double(i) / Double(n)
                let r = t / (3.75 * Double.pi)
                let a = t + Double.pi * Double(k)
                xs.append(Float(r * cosValue(a) + noise * generator.nextNormal()))
                xs.append(Float(r * sinValue(a) + noise * generator.nextNormal()))
                ys.append(Int64(k))
            }
        }
        return (try Tensor(xs, shape: [2 * n, 2]), try Tensor(ys, shape: [2 * n]))
    }

    @Test func twoSpiralsMLPReaches95Percent() throws {
        let (x, y) = try Self.spirals(perClass: 150, noise: 0.01, generator: RandomGenerator(seed: 5))
        let model = try Self.seeded(Sequential(try Linear(2, 64), ReLU(), try Linear(64, 64), ReLU(), try Linear(64, 2)), 1)
        let opt = try Adam(model.parameters(), lr: 0.01)
        for _ in 0..<800 {
            opt.zeroGrad()
            try Losses.crossEntropy(model(x), y).backward()
            try opt.step()
        }
        let predicted = try withNoGrad { try model(x).argmax(dim: 1) }.int64Array()
        let correct = zip(predicted, y.int64Array()).filter { $0 == $1 }.count
        #expect(Double(correct) / 300 >= 0.95, "train accuracy \(correct)/300")
    }

    @Test func trainingStepsDoNotRetainGraphs() throws {
        // Each step's graph is freed by backward: parameters stay leaves and no node outlives its step.
        let model = Sequential(try Linear(2, 4), ReLU(), try Linear(4, 1))
        let opt = try SGD(model.parameters(), lr: 0.01, momentum: 0.9)
        let x = try Tensor.randn([8, 2]), y = try Tensor.randn([8, 1])
        weak var firstLoss: Tensor?
        for i in 0..<50 {
            opt.zeroGrad()
            let l = try Losses.mseLoss(model(x), y)
            if i == 0 { firstLoss = l }
            try l.backward()
            try opt.step()
        }
        #expect(firstLoss == nil)
        #expect(model.parameters().allSatisfy { $0.isLeaf && $0.gradFn == nil })
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
private func cosValue(_ x: Double) -> Double { cos(x) }
private func sinValue(_ x: Double) -> Double { sin(x) }
