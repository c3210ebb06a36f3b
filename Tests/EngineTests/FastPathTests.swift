import Testing
@testable import Engine
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The fast paths of the training hot spots against the plain paths they replace: batched convolution
/// against one GEMM per sample, unpadded max pooling against the general window loop, the fused LSTM
/// layer against the same recurrence written with generic autodiff ops, and the vectorised activations
/// against their scalar forms and libm.
struct FastPathTests {
    static func maxAbsDiff(_ a: Tensor?, _ b: Tensor?) throws -> Float {
        guard let a, let b else { return a == nil && b == nil ? 0 : .infinity }
        guard a.shape == b.shape else { return .infinity }
        return zip(a.floatArray(), b.floatArray()).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    /// A fresh leaf sharing `t`'s values, so each path accumulates its own gradients.
    static func leaf(_ t: Tensor?) throws -> Tensor? { try t.map { try $0.detach().contiguousCopy().requiresGrad_() } }

    // MARK: convolution

    struct ConvCase {
        let input: [Int], weight: [Int], stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), groups: Int
        let bias: Bool, maxSamples: Int
    }

    static let convCases: [ConvCase] = [
        ConvCase(input: [3, 2, 7, 6], weight: [4, 2, 3, 3], stride: (1, 1), padding: (1, 1), dilation: (1, 1), groups: 1, bias: true, maxSamples: .max),
        ConvCase(input: [5, 4, 9, 8], weight: [6, 2, 3, 2], stride: (2, 1), padding: (1, 0), dilation: (1, 2), groups: 2, bias: true, maxSamples: 2),
        ConvCase(input: [1, 3, 5, 5], weight: [2, 3, 1, 1], stride: (1, 1), padding: (0, 0), dilation: (1, 1), groups: 1, bias: false, maxSamples: .max),
        ConvCase(input: [2, 1, 28, 28], weight: [6, 1, 5, 5], stride: (1, 1), padding: (2, 2), dilation: (1, 1), groups: 1, bias: true, maxSamples: .max),
        ConvCase(input: [3, 3, 8, 7], weight: [4, 3, 3, 3], stride: (3, 2), padding: (2, 1), dilation: (1, 1), groups: 1, bias: false, maxSamples: 1),
        ConvCase(input: [3, 2, 5, 5], weight: [2, 2, 5, 5], stride: (1, 1), padding: (0, 0), dilation: (1, 1), groups: 1, bias: true, maxSamples: 2),
        // Padding wider than the kernel: whole rows and columns of the patch matrix are padding.
        ConvCase(input: [2, 1, 3, 3], weight: [2, 1, 2, 2], stride: (2, 2), padding: (3, 3), dilation: (1, 1), groups: 1, bias: true, maxSamples: .max),
        ConvCase(input: [4, 6, 6, 5], weight: [3, 2, 2, 3], stride: (1, 3), padding: (1, 2), dilation: (2, 1), groups: 3, bias: true, maxSamples: 3),
    ]

    static func runConv(_ c: ConvCase, _ x: Tensor, _ w: Tensor, _ b: Tensor?, _ r: Tensor,
                        _ path: Functional.ConvPath) throws -> [Tensor?] {
        guard let xi = try leaf(x), let wi = try leaf(w) else { return [] }
        let bi = try leaf(b)
        let out = try Functional.conv2d(xi, wi, bi, stride: c.stride, padding: c.padding, dilation: c.dilation,
                                        groups: c.groups, path: path)
        try out.mul(r).sum().backward()
        return [out.detach(), xi.grad, wi.grad, bi?.grad]
    }

    @Test func batchedConvolutionMatchesPerSample() throws {
        for c in Self.convCases {
            let x = try Tensor.randn(c.input), w = try Tensor.randn(c.weight)
            let b = c.bias ? try Tensor.randn([c.weight[0]]) : nil
            let probe = try Functional.conv2d(x, w, b, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
            let r = try Tensor.randn(probe.shape)
            let plain = try Self.runConv(c, x, w, b, r, .perSample)
            let fast = try Self.runConv(c, x, w, b, r, .batched(maxSamples: c.maxSamples))
            #expect(plain.count == 4 && fast.count == 4)
            for (k, name) in ["output", "input grad", "weight grad", "bias grad"].enumerated() where k < plain.count && k < fast.count {
                let d = try Self.maxAbsDiff(plain[k], fast[k])
                #expect(d <= 1e-4, "\(c.input)∗\(c.weight) \(name): differs by \(d)")
            }
            #expect(c.bias == (fast[3] != nil))
        }
    }

    @Test func batchedConvolutionHandlesUnbatchedAndStridedInput() throws {
        let w = try Tensor.randn([3, 2, 3, 3]), b = try Tensor.randn([3])
        let x3 = try Tensor.randn([2, 6, 5])
        let fast3 = try Functional.conv2d(x3, w, b, padding: (1, 1))
        let plain3 = try Functional.conv2d(x3, w, b, stride: (1, 1), padding: (1, 1), dilation: (1, 1), groups: 1, path: .perSample)
        #expect(fast3.shape == [3, 6, 5])
        #expect(try Self.maxAbsDiff(fast3, plain3) <= 1e-4)
        let xt = try Tensor.randn([2, 2, 5, 7]).transpose(2, 3)  // not contiguous
        let fastT = try Functional.conv2d(xt, w, nil, stride: (2, 1))
        let plainT = try Functional.conv2d(xt, w, nil, stride: (2, 1), padding: (0, 0), dilation: (1, 1), groups: 1, path: .perSample)
        #expect(try Self.maxAbsDiff(fastT, plainT) <= 1e-4)
    }

    // MARK: max pooling

    @Test func unpaddedMaxPoolMatchesGeneralLoop() throws {
        let cases: [([Int], (Int, Int), (Int, Int))] = [
            ([2, 3, 8, 8], (2, 2), (2, 2)), ([1, 2, 7, 9], (3, 3), (2, 2)), ([2, 1, 6, 7], (2, 3), (1, 2)),
            ([3, 5, 4], (3, 2), (3, 1)), ([1, 1, 5, 5], (5, 5), (1, 1)),
        ]
        for (shape, kernel, stride) in cases {
            // Few distinct values (ties) and a NaN or two, where the winner rule matters.
            var values = try Tensor.randn(shape).floatArray().map { ($0 * 2).rounded() }
            values[values.count / 3] = .nan
            if values.count > 40 { values[values.count - 2] = .nan }
            let x = try Tensor(values, shape: shape)
            var results: [(Tensor, Tensor?)] = []
            for fast in [false, true] {
                guard let xi = try Self.leaf(x) else { continue }
                let out = try Functional.pool2d(xi, kernel: kernel, stride: stride, padding: (0, 0), isMax: true, fast: fast)
                try out.mul(Tensor.ones(out.shape)).sum().backward()
                results.append((out.detach(), xi.grad))
            }
            #expect(results.count == 2)
            guard results.count == 2 else { continue }
            let (a, b) = (results[0].0.floatArray(), results[1].0.floatArray())
            #expect(a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(shape) \(kernel) \(stride)")
            #expect(results[0].1?.floatArray() == results[1].1?.floatArray(), "\(shape) \(kernel) \(stride) gradient")
        }
    }

    @Test func maxPool2x2VectorMatchesGeneralLoop() throws {
        // Values from {−1, 0, 1, NaN}: every window sees ties and NaNs in many positions (the four-lane
        // 2×2 path's tournament must pick the scalar scan's winner); widths leave scalar tails.
        let rng = RandomGenerator(seed: 42)
        for shape in [[2, 3, 6, 11], [1, 2, 4, 16], [1, 1, 2, 9], [3, 1, 5, 8]] {
            let draws = try Tensor.rand(shape, generator: rng).floatArray()
            let values = draws.map { $0 < 0.2 ? Float.nan : ($0 * 3).rounded(.down) - 1 }
            let x = try Tensor(values, shape: shape)
            var results: [(out: [Float], grad: [Float]?)] = []
            for fast in [false, true] {
                guard let xi = try Self.leaf(x) else { continue }
                let out = try Functional.pool2d(xi, kernel: (2, 2), stride: (2, 2), padding: (0, 0), isMax: true, fast: fast)
                try out.mul(Tensor.rand(out.shape, generator: RandomGenerator(seed: 1))).sum().backward()
                results.append((out.detach().floatArray(), xi.grad?.floatArray()))
            }
            guard results.count == 2 else { Issue.record("missing results"); continue }
            let (a, b) = (results[0].out, results[1].out)
            #expect(a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(shape)")
            let (ga, gb) = (results[0].grad ?? [], results[1].grad ?? [])
            #expect(!ga.isEmpty && ga == gb, "\(shape) gradient (the winner's position)")
        }
    }

    @Test func reluBackwardMatchesMaskProduct() throws {
        let rng = RandomGenerator(seed: 5)
        var values = try Tensor.randn([4, 33], generator: rng).floatArray()
        values[3] = 0; values[7] = -0.0; values[11] = .nan; values[20] = .infinity
        for transposed in [false, true] {
            let base = try Tensor(values, shape: [4, 33])
            let x = transposed ? try base.transpose(0, 1).requiresGrad_() : try base.requiresGrad_()
            let upstream = try Tensor.randn(x.shape, generator: rng)
            try x.relu().mul(upstream).sum().backward()
            // The reference: upstream · 1[x > 0], elementwise.
            let mask = x.detach().floatArray().map { $0 > 0 ? Float(1) : 0 }
            let expected = zip(upstream.floatArray(), mask).map { $0 * $1 }
            let got = x.grad?.floatArray() ?? []
            #expect(got.count == expected.count && zip(got, expected).allSatisfy { $0.bitPattern == $1.bitPattern },
                    "transposed \(transposed)")
        }
    }

    // MARK: fused LSTM

    /// One LSTM layer, one direction, from generic ops (PyTorch's equations); returns outputs [T, N, H], h, c.
    static func referenceLSTM(_ x: Tensor, wih: Tensor, whh: Tensor, bih: Tensor, bhh: Tensor, hidden H: Int,
                              reverse: Bool) throws -> (Tensor, Tensor, Tensor) {
        let (T, N) = (x.shape[0], x.shape[1])
        var h = try Tensor.zeros([N, H]), c = try Tensor.zeros([N, H])
        var outs = [Tensor?](repeating: nil, count: T)
        for s in 0..<T {
            let t = reverse ? T - 1 - s : s
            let xt = try x.index([.int(t)])
            let gates = try xt.matmul(wih.transpose(0, 1)).add(bih).add(h.matmul(whh.transpose(0, 1))).add(bhh)
            let i = try gates.narrow(1, start: 0, length: H).sigmoid(), f = try gates.narrow(1, start: H, length: H).sigmoid()
            let g = try gates.narrow(1, start: 2 * H, length: H).tanh(), o = try gates.narrow(1, start: 3 * H, length: H).sigmoid()
            c = try f.mul(c).add(i.mul(g))
            h = try o.mul(c.tanh())
            outs[t] = h
        }
        return (try Tensor.stack(outs.compactMap { $0 }, dim: 0), h, c)
    }

    @Test func fusedLSTMMatchesGenericOps() throws {
        for (input, hidden, steps, batch, bidirectional) in [(3, 5, 4, 2, false), (4, 11, 6, 3, true), (2, 16, 3, 1, false)] {
            let lstm = try LSTM(input, hidden, bidirectional: bidirectional)
            let x = try Tensor.randn([steps, batch, input]).requiresGrad_()
            let r = try lstm.forward(x, nil)
            let dirs = bidirectional ? 2 : 1
            let ro = try Tensor.randn(r.output.shape), rh = try Tensor.randn(r.hN.shape), rc = try Tensor.randn(r.cN.shape)
            try r.output.mul(ro).sum().add(r.hN.mul(rh).sum()).add(r.cN.mul(rc).sum()).backward()

            // The same weights as fresh leaves for the generic recurrence.
            var refParams: [String: Tensor] = [:]
            for (name, t) in lstm.namedParameters() { refParams[name] = try Self.leaf(t) }
            guard let xr = try Self.leaf(x) else { continue }
            var outs: [Tensor] = [], hs: [Tensor] = [], cs: [Tensor] = []
            for d in 0..<dirs {
                let sfx = "_l0" + (d == 1 ? "_reverse" : "")
                guard let wih = refParams["weight_ih" + sfx], let whh = refParams["weight_hh" + sfx],
                      let bih = refParams["bias_ih" + sfx], let bhh = refParams["bias_hh" + sfx] else {
                    Issue.record("missing parameters"); continue
                }
                let (o, h, c) = try Self.referenceLSTM(xr, wih: wih, whh: whh, bih: bih, bhh: bhh, hidden: hidden, reverse: d == 1)
                outs.append(o); hs.append(h); cs.append(c)
            }
            let refOut = try Tensor.cat(outs, dim: 2), refH = try Tensor.stack(hs, dim: 0), refC = try Tensor.stack(cs, dim: 0)
            try refOut.mul(ro).sum().add(refH.mul(rh).sum()).add(refC.mul(rc).sum()).backward()

            let label = "LSTM(\(input), \(hidden)) T \(steps) N \(batch)\(bidirectional ? " bidirectional" : "")"
            #expect(try Self.maxAbsDiff(r.output, refOut) <= 1e-5, "\(label) output")
            #expect(try Self.maxAbsDiff(r.hN, refH) <= 1e-5, "\(label) h")
            #expect(try Self.maxAbsDiff(r.cN, refC) <= 1e-5, "\(label) c")
            #expect(try Self.maxAbsDiff(x.grad, xr.grad) <= 1e-4, "\(label) input grad")
            for (name, t) in lstm.namedParameters() {
                #expect(try Self.maxAbsDiff(t.grad, refParams[name]?.grad) <= 1e-4, "\(label) \(name) grad")
            }
        }
    }

    // MARK: activations

    static let probes: [Float] = [0, -0.0, 1e-30, -1e-30, 1e-7, 0.3, -0.6249, 0.625, 0.6251, 1, -2.5, 9.99, 10.01, -44.4, 44.4,
                                  87, -87.2, -87.4, 88.6, 88.8, -100, 100, .infinity, -.infinity, .nan]

    @Test func vectorActivationsEqualScalarOnesLaneForLane() {
        var xs = Self.probes
        for k in 0..<4000 { xs.append(Float(k - 2000) * 0.0137) }
        while xs.count % 8 != 0 { xs.append(0.5) }
        for start in stride(from: 0, to: xs.count, by: 8) {
            let v = SIMD8<Float>(xs[start..<(start + 8)])
            let (e, s, t) = (fexp8(v), fsigmoid8(v), ftanh8(v))
            for lane in 0..<8 {
                let x = v[lane]
                #expect(e[lane].bitPattern == fexp(x).bitPattern || (e[lane].isNaN && fexp(x).isNaN), "fexp8(\(x))")
                #expect(s[lane].bitPattern == fsigmoid(x).bitPattern || (s[lane].isNaN && x.isNaN), "fsigmoid8(\(x))")
                #expect(t[lane].bitPattern == ftanhFast(x).bitPattern || (t[lane].isNaN && x.isNaN), "ftanh8(\(x))")
            }
        }
    }

    @Test func tensorExpSigmoidAndSumMatchScalarForms() throws {
        for count in [0, 1, 7, 8, 9, 1003] {
            var values = try Tensor.randn([count]).floatArray().map { $0 * 30 }
            if count > 8 { values[3] = .nan; values[5] = -200; values[6] = 200 }
            let x = try Tensor(values, shape: [count])
            let e = try x.exp().floatArray(), s = try x.sigmoid().floatArray()
            for (k, v) in values.enumerated() {
                #expect(e[k].bitPattern == fexp(v).bitPattern, "exp(\(v))")
                let old = v >= 0 ? 1 / (1 + fexp(-v)) : fexp(v) / (1 + fexp(v))
                #expect(s[k].bitPattern == old.bitPattern || (v.isNaN && s[k].isNaN), "sigmoid(\(v))")
            }
            let finite = values.filter { $0.isFinite && Swift.abs($0) < 100 }
            let total = try Tensor(finite, shape: [finite.count]).sum().floatArray()
            let serial = finite.reduce(0.0) { $0 + Double($1) }, scale = finite.reduce(1.0) { $0 + Double(Swift.abs($1)) }
            #expect(total.count == 1 && Swift.abs(Double(total[0]) - serial) <= 1e-6 * scale, "sum of \(finite.count)")
        }
        // A strided view goes through the copying branch and still matches.
        let m = try Tensor.randn([5, 7]), mt = try m.transpose(0, 1)
        #expect(try mt.exp().floatArray() == mt.contiguousCopy().floatArray().map(fexp))
    }

    @Test func fastTanhIsCloseToLibm() {
        var worstAbs: Float = 0, worstRel: Float = 0
        for k in -24_000...24_000 {
            let x = Float(k) * 5e-4
            worstAbs = Swift.max(worstAbs, Swift.abs(ftanhFast(x) - tanhf(x)))
        }
        for k in 0..<2000 {  // small arguments, where only a relative error is meaningful
            let x = Float(1e-8) * powf(1.01, Float(k))
            if x > 0.7 { break }
            worstRel = Swift.max(worstRel, Swift.abs(ftanhFast(x) - tanhf(x)) / tanhf(x))
        }
        #expect(worstAbs <= 3e-7, "max |ftanhFast − tanhf| = \(worstAbs)")
        #expect(worstRel <= 1e-6, "max relative error near 0 = \(worstRel)")
        #expect(ftanhFast(.infinity) == 1 && ftanhFast(-.infinity) == -1 && ftanhFast(.nan).isNaN)
        #expect(ftanhFast(-0.0).sign == .minus && ftanhFast(-3) == -ftanhFast(3))
        // The branch-free logistic keeps the old two-sided formula exactly.
        for x in Self.probes where !x.isNaN {
            let old = x >= 0 ? 1 / (1 + fexp(-x)) : fexp(x) / (1 + fexp(x))
            #expect(fsigmoid(x) == old, "fsigmoid(\(x))")
        }
    }
}
