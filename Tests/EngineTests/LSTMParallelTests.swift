import Dispatch
import Testing
@testable import Engine

/// The fused LSTM layer split across threads (batch rows in the recurrence, gate rows in the weight
/// gradient) against the same layer run as one range, and the `ParallelParts` runner it uses.
struct LSTMParallelTests {
    /// Forward output and every gradient of one `lstmLayer` call run in `parts` ranges.
    static func layerResults(_ projected: Tensor, _ whh: Tensor, _ bhh: Tensor?, _ h0: Tensor, _ c0: Tensor,
                             _ upstream: Tensor, reverse: Bool, parts: Int) throws -> [Tensor?] {
        let leaves = try [projected, whh, h0, c0].map { try $0.detach().contiguousCopy().requiresGrad_() }
        let bias = try bhh.map { try $0.detach().contiguousCopy().requiresGrad_() }
        let out = try NNFunctional.lstmLayer(leaves[0], leaves[1], bias, h0: leaves[2], c0: leaves[3], reverse: reverse, parts: parts)
        try out.mul(upstream).sum().backward()
        return [out] + leaves.map(\.grad) + [bias?.grad]
    }

    static func maxAbsDiff(_ a: Tensor?, _ b: Tensor?) -> Float {
        guard let a, let b else { return a == nil && b == nil ? 0 : .infinity }
        guard a.shape == b.shape else { return .infinity }
        return zip(a.floatArray(), b.floatArray()).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    /// maxAbsDiff relative to the reference's largest magnitude (at least 1).
    static func relativeDiff(_ a: Tensor?, _ reference: Tensor?) -> Float {
        let scale = reference.map { $0.floatArray().map { Swift.abs($0) }.max() ?? 0 } ?? 0
        return maxAbsDiff(a, reference) / Swift.max(scale, 1)
    }

    @Test(arguments: [1, 3, 33])
    func splitLayerMatchesOneRange(batch: Int) throws {
        let rng = RandomGenerator(seed: UInt64(100 + batch))
        for (hidden, steps) in [(5, 4), (16, 7)] {
            for reverse in [false, true] {
                for withBias in [true, false] {
                    let projected = try Tensor.randn([steps, batch, 4 * hidden], generator: rng)
                    let whh = try Tensor.randn([4 * hidden, hidden], generator: rng).mul(Tensor(scalar: 0.3))
                    let bhh = withBias ? try Tensor.randn([4 * hidden], generator: rng) : nil
                    let h0 = try Tensor.randn([batch, hidden], generator: rng), c0 = try Tensor.randn([batch, hidden], generator: rng)
                    let upstream = try Tensor.randn([steps, batch, 2 * hidden], generator: rng)
                    let one = try Self.layerResults(projected, whh, bhh, h0, c0, upstream, reverse: reverse, parts: 1)
                    for parts in [2, 3] {
                        let split = try Self.layerResults(projected, whh, bhh, h0, c0, upstream, reverse: reverse, parts: parts)
                        let label = "N \(batch) H \(hidden) T \(steps) reverse \(reverse) bias \(withBias) parts \(parts)"
                        // Each sample's rows go through the same steps; only OpenBLAS's blocking of the
                        // smaller GEMMs may round differently.
                        for (k, name) in ["output", "projected grad", "weight_hh grad", "h0 grad", "c0 grad", "bias_hh grad"].enumerated() {
                            #expect(Self.relativeDiff(split[k], one[k]) <= 2e-6, "\(label) \(name)")
                        }
                        #expect((split[5] == nil) == !withBias, "\(label) bias grad presence")
                    }
                }
            }
        }
    }

    /// A bidirectional LSTM big enough to take the threaded path by itself, against the same
    /// recurrence built from generic ops (`FastPathTests.referenceLSTM`), including odd batch sizes.
    @Test(arguments: [3, 33])
    func threadedModuleMatchesGenericOps(batch: Int) throws {
        let (input, hidden, steps) = (6, 96, 48)
        #expect(LSTMRecurrence.parts(T: steps, N: batch, H: hidden) == ParallelParts.threads)
        let lstm = try LSTM(input, hidden, bidirectional: true)
        let x = try Tensor.randn([steps, batch, input], generator: RandomGenerator(seed: 7)).requiresGrad_()
        let r = try lstm.forward(x, nil)
        let ro = try Tensor.randn(r.output.shape, generator: RandomGenerator(seed: 8))
        try r.output.mul(ro).sum().add(r.cN.sum()).backward()

        var refParams: [String: Tensor] = [:]
        for (name, t) in lstm.namedParameters() { refParams[name] = try FastPathTests.leaf(t) }
        guard let xr = try FastPathTests.leaf(x) else { Issue.record("no input"); return }
        var outs: [Tensor] = [], cs: [Tensor] = []
        for d in 0..<2 {
            let sfx = "_l0" + (d == 1 ? "_reverse" : "")
            guard let wih = refParams["weight_ih" + sfx], let whh = refParams["weight_hh" + sfx],
                  let bih = refParams["bias_ih" + sfx], let bhh = refParams["bias_hh" + sfx] else {
                Issue.record("missing parameters"); return
            }
            let (o, _, c) = try FastPathTests.referenceLSTM(xr, wih: wih, whh: whh, bih: bih, bhh: bhh, hidden: hidden, reverse: d == 1)
            outs.append(o); cs.append(c)
        }
        let refOut = try Tensor.cat(outs, dim: 2)
        try refOut.mul(ro).sum().add(Tensor.stack(cs, dim: 0).sum()).backward()
        #expect(Self.maxAbsDiff(r.output, refOut) <= 1e-5, "N \(batch) output")
        #expect(Self.relativeDiff(x.grad, xr.grad) <= 1e-4, "N \(batch) input grad")
        for (name, t) in lstm.namedParameters() {
            #expect(Self.relativeDiff(t.grad, refParams[name]?.grad) <= 1e-4, "N \(batch) \(name) grad")
        }
    }

    @Test func everyPartRunsOnceEvenWithManyCallers() {
        // Four callers at once: one gets the helper, the others run their parts serially.
        let callers = 4, slots = 8
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: callers * slots)
        defer { counts.deallocate() }
        for parts in [0, 1, 2, 5, 8] {
            counts.initialize(repeating: 0, count: callers * slots)
            DispatchQueue.concurrentPerform(iterations: callers) { caller in
                for _ in 0..<50 { ParallelParts.run(parts: parts) { p in counts[caller * slots + p] += 1 } }
            }
            for caller in 0..<callers {
                for k in 0..<slots {
                    #expect(counts[caller * slots + k] == (k < parts ? 50 : 0), "parts \(parts), caller \(caller), part \(k)")
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 7, 100])
    func rangesCoverTheCountOnce(count: Int) {
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
        hits.initialize(repeating: 0, count: count)
        defer { hits.deallocate() }
        let finished = ParallelParts.forEachRange(of: count, parts: 3) { range in
            for i in range { hits[i] += 1 }
            return true
        }
        #expect(finished)
        #expect((0..<count).allSatisfy { hits[$0] == 1 })
        #expect(!ParallelParts.forEachRange(of: count, parts: 2) { $0.lowerBound != 0 })
    }
}
