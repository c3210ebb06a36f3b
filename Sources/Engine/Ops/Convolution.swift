import COpenBLAS

/// 2-D convolution geometry, checked once before any work starts.
struct Conv2DGeometry {
    let n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow: Int
    var cg: Int { c / groups }
    var og: Int { o / groups }
    /// Rows of the unfolded patch matrix: C/g · kh · kw.
    var patch: Int { cg * kh * kw }
    var positions: Int { oh * ow }
    /// 1×1, stride 1, no padding: the input already is the patch matrix.
    var isPointwise: Bool { kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 }
}

extension Functional {
    /// `conv2d(input, weight, bias, stride, padding, dilation, groups)` by im2col + GEMM.
    /// `input` is [N, C, H, W] (or [C, H, W]); `weight` is [O, C/groups, kh, kw]. Pairs are (height, width).
    public static func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil,
                              stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                              dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        try conv2d(input, weight, bias, stride: stride, padding: padding, dilation: dilation, groups: groups,
                   path: .batched(maxSamples: .max))
    }

    /// How `conv2d` runs: one unfold and GEMM per chunk of at most `maxSamples` samples (ConvolutionBatched.swift),
    /// or one small GEMM per sample, the plain reference the tests compare the batched path with.
    enum ConvPath { case perSample, batched(maxSamples: Int) }

    static func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?, stride: (Int, Int), padding: (Int, Int),
                       dilation: (Int, Int), groups: Int, path: ConvPath) throws -> Tensor {
        if input.ndim == 3 {
            return try conv2d(input.unsqueeze(0), weight, bias, stride: stride, padding: padding,
                              dilation: dilation, groups: groups, path: path).squeeze(0)
        }
        guard input.ndim == 4 else { throw EngineError.shape("conv2d: expected input [N, C, H, W], got \(describe(input.shape))") }
        guard weight.ndim == 4 else { throw EngineError.shape("conv2d: expected weight [O, C/groups, kh, kw], got \(describe(weight.shape))") }
        guard groups > 0, stride.0 > 0, stride.1 > 0, dilation.0 > 0, dilation.1 > 0, padding.0 >= 0, padding.1 >= 0 else {
            throw EngineError.value("conv2d: stride, dilation and groups must be positive and padding non-negative")
        }
        guard [stride.0, stride.1, padding.0, padding.1, dilation.0, dilation.1].allSatisfy({ $0 < 1 << 30 }) else {
            throw EngineError.value("conv2d: stride, padding and dilation must be below 2^30")
        }
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        guard c % groups == 0, o % groups == 0, cg * groups == c else {
            throw EngineError.shape("conv2d: input of shape \(describe(input.shape)) with groups=\(groups) does not match weight of shape \(describe(weight.shape)) (expected weight dim 1 = \(c / Swift.max(groups, 1)))")
        }
        if let bias, bias.shape != [o] {
            throw EngineError.shape("conv2d: bias of shape \(describe(bias.shape)) does not match \(o) output channels")
        }
        let oh = (h + 2 * padding.0 - dilation.0 * (kh - 1) - 1) / stride.0 + 1
        let ow = (w + 2 * padding.1 - dilation.1 * (kw - 1) - 1) / stride.1 + 1
        guard oh > 0, ow > 0 else {
            throw EngineError.shape("conv2d: input of shape \(describe(input.shape)) is smaller than the kernel \(describe([kh, kw])) (after padding and dilation)")
        }
        let limit = Int(Int32.max)
        guard cg * kh * kw < limit, oh * ow < limit, o < limit else {
            throw EngineError.value("conv2d: this convolution is too large (a GEMM dimension exceeds 2^31)")
        }
        let geo = Conv2DGeometry(n: n, c: c, h: h, w: w, o: o, kh: kh, kw: kw, sh: stride.0, sw: stride.1,
                                 ph: padding.0, pw: padding.1, dh: dilation.0, dw: dilation.1, groups: groups, oh: oh, ow: ow)
        let x = try input.to(.float32).contiguousCopyIfNeeded(), wt = try weight.to(.float32).contiguousCopyIfNeeded()
        let out = try Tensor(uninitialized: [n, o, oh, ow], op: "conv2d")
        var chunk = 0
        if case .batched(let maxSamples) = path { chunk = Swift.min(geo.chunk, Swift.max(maxSamples, 1)) }
        // The weight gradient needs the patch matrix again: keep it (up to 8 MiB) when the whole batch is
        // one unfold, instead of unfolding the input a second time in backward.
        let keep = chunk >= n && groups == 1 && geo.patch * n * geo.positions <= 1 << 21 && weight.requiresGrad && GradMode.isEnabled
            ? try Tensor(uninitialized: [geo.patch * n * geo.positions], op: "conv2d") : nil
        if chunk > 0 { try convForwardBatched(geo, x, wt, bias, out, chunk: chunk, keep: keep) } else { try convForward(geo, x, wt, bias, out) }
        var inputs = [input, weight]
        if let bias { inputs.append(bias) }
        return Tensor.record(out, "ConvolutionBackward0", inputs, saving: inputs) { g in
            let gc = try g.contiguousCopyIfNeeded()
            if chunk > 0 {
                let (gx, gw, gb) = try convBackwardBatched(geo, x, wt, gc, chunk: chunk, needInput: input.requiresGrad,
                                                           needWeight: weight.requiresGrad, needBias: bias?.requiresGrad ?? false,
                                                           unfolded: keep)
                return bias == nil ? [gx, gw] : [gx, gw, gb]
            }
            let (gx, gw) = try convBackward(geo, x, wt, gc, needInput: input.requiresGrad, needWeight: weight.requiresGrad)
            var grads: [Tensor?] = [gx, gw]
            if let bias { grads.append(bias.requiresGrad ? try g.sum(dims: [0, 2, 3]) : nil) }
            return grads
        }
    }

    /// Unfolds one sample's group into `cols` [patch, positions].
    private static func im2col(_ g: Conv2DGeometry, _ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
        var row = 0
        for ci in 0..<g.cg {
            let plane = x + ci * g.h * g.w
            for ki in 0..<g.kh { for kj in 0..<g.kw {
                let dst = cols + row * g.positions
                for i in 0..<g.oh {
                    let y = i * g.sh - g.ph + ki * g.dh
                    for j in 0..<g.ow {
                        let xx = j * g.sw - g.pw + kj * g.dw
                        dst[i * g.ow + j] = (y >= 0 && y < g.h && xx >= 0 && xx < g.w) ? plane[y * g.w + xx] : 0
                    }
                }
                row += 1
            } }
        }
    }

    /// Adds `cols` [patch, positions] back into one sample's group of the input gradient.
    private static func col2im(_ g: Conv2DGeometry, _ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        var row = 0
        for ci in 0..<g.cg {
            let plane = dx + ci * g.h * g.w
            for ki in 0..<g.kh { for kj in 0..<g.kw {
                let src = cols + row * g.positions
                for i in 0..<g.oh {
                    let y = i * g.sh - g.ph + ki * g.dh
                    guard y >= 0 && y < g.h else { continue }
                    for j in 0..<g.ow {
                        let xx = j * g.sw - g.pw + kj * g.dw
                        if xx >= 0 && xx < g.w { plane[y * g.w + xx] += src[i * g.ow + j] }
                    }
                }
                row += 1
            } }
        }
    }

    private static func convForward(_ g: Conv2DGeometry, _ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ out: Tensor) throws {
        let xp = x.storage.floats() + x.offset, wp = w.storage.floats() + w.offset, op = out.storage.floats()
        var cols = [Float](repeating: 0, count: g.isPointwise ? 0 : g.patch * g.positions)
        BLASThreads.choose(work: g.og * g.positions * g.patch)
        for s in 0..<g.n {
            if Interruption.isRequested { throw Interrupted() }
            for gi in 0..<g.groups {
                let xs = xp + (s * g.c + gi * g.cg) * g.h * g.w
                let dst = op + (s * g.o + gi * g.og) * g.positions
                cols.withUnsafeMutableBufferPointer { buffer in
                    var b = UnsafePointer(xs)
                    if !g.isPointwise, let base = buffer.baseAddress { im2col(g, xs, base); b = UnsafePointer(base) }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(g.og), Int32(g.positions), Int32(g.patch),
                                1, wp + gi * g.og * g.patch, Int32(g.patch), b, Int32(g.positions), 0, dst, Int32(g.positions))
                }
            }
        }
        if let bias {
            let bv = bias.floatArray()
            for s in 0..<g.n { for oc in 0..<g.o {
                let dst = op + (s * g.o + oc) * g.positions
                for p in 0..<g.positions { dst[p] += bv[oc] }
            } }
        }
    }

    private static func convBackward(_ g: Conv2DGeometry, _ x: Tensor, _ w: Tensor, _ gout: Tensor,
                                     needInput: Bool, needWeight: Bool) throws -> (Tensor?, Tensor?) {
        let gx = needInput ? try Tensor.zeros([g.n, g.c, g.h, g.w]) : nil
        let gw = needWeight ? try Tensor.zeros([g.o, g.cg, g.kh, g.kw]) : nil
        let xp = x.storage.floats() + x.offset, wp = w.storage.floats() + w.offset, gp = gout.storage.floats() + gout.offset
        var cols = [Float](repeating: 0, count: g.patch * g.positions)
        BLASThreads.choose(work: g.og * g.positions * g.patch)
        for s in 0..<g.n {
            if Interruption.isRequested { throw Interrupted() }
            for gi in 0..<g.groups {
                let xs = xp + (s * g.c + gi * g.cg) * g.h * g.w
                let gs = gp + (s * g.o + gi * g.og) * g.positions
                try cols.withUnsafeMutableBufferPointer { buffer in
                    guard let colsBase = buffer.baseAddress else { throw EngineError.runtime("conv2d: empty patch buffer") }
                    if let gw {
                        let patches: UnsafePointer<Float>
                        if g.isPointwise { patches = UnsafePointer(xs) } else { im2col(g, xs, colsBase); patches = UnsafePointer(colsBase) }
                        // dW_g += gout_g [og, P] · colsᵀ [P, patch]
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(g.og), Int32(g.patch), Int32(g.positions),
                                    1, gs, Int32(g.positions), patches, Int32(g.positions), 1,
                                    gw.storage.floats() + gi * g.og * g.patch, Int32(g.patch))
                    }
                    if let gx {
                        // dcols = W_gᵀ [patch, og] · gout_g [og, P], folded back into dx.
                        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(g.patch), Int32(g.positions), Int32(g.og),
                                    1, wp + gi * g.og * g.patch, Int32(g.patch), gs, Int32(g.positions), 0, colsBase, Int32(g.positions))
                        let dx = gx.storage.floats() + (s * g.c + gi * g.cg) * g.h * g.w
                        if g.isPointwise {
                            for i in 0..<(g.patch * g.positions) { dx[i] += colsBase[i] }
                        } else {
                            col2im(g, UnsafePointer(colsBase), dx)
                        }
                    }
                }
            }
        }
        return (gx, gw)
    }
}

extension Tensor {
    /// Self if contiguous, else an unrecorded contiguous copy (for kernels that read raw memory).
    func contiguousCopyIfNeeded() throws -> Tensor { isContiguous ? self : try contiguousCopy() }
}
