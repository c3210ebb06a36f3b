/// 2-D max and average pooling over [N, C, H, W] (or [C, H, W]).
extension Functional {
    public static func maxPool2d(_ input: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil,
                                 padding: (Int, Int) = (0, 0)) throws -> Tensor {
        try pool2d(input, kernel: kernel, stride: stride ?? kernel, padding: padding, isMax: true)
    }

    /// Average pooling; padded zeros count in the average (PyTorch's `count_include_pad=True`).
    public static func avgPool2d(_ input: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil,
                                 padding: (Int, Int) = (0, 0)) throws -> Tensor {
        try pool2d(input, kernel: kernel, stride: stride ?? kernel, padding: padding, isMax: false)
    }

    /// `fast` lets unpadded max pooling take `maxPoolUnpadded`; the general loop below stays the
    /// reference the tests compare it with.
    static func pool2d(_ input: Tensor, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), isMax: Bool,
                       fast: Bool = true) throws -> Tensor {
        let op = isMax ? "max_pool2d" : "avg_pool2d"
        if input.ndim == 3 {
            return try pool2d(input.unsqueeze(0), kernel: kernel, stride: stride, padding: padding, isMax: isMax, fast: fast).squeeze(0)
        }
        guard input.ndim == 4 else { throw EngineError.shape("\(op): expected input [N, C, H, W], got \(describe(input.shape))") }
        let (kh, kw, sh, sw, ph, pw) = (kernel.0, kernel.1, stride.0, stride.1, padding.0, padding.1)
        guard kh > 0, kw > 0, sh > 0, sw > 0 else { throw EngineError.value("\(op): kernel size and stride must be positive") }
        guard [kh, kw, sh, sw, ph, pw].allSatisfy({ $0 < 1 << 30 }) else {
            throw EngineError.value("\(op): kernel size, stride and padding must be below 2^30")
        }
        guard ph >= 0, pw >= 0, ph <= kh / 2, pw <= kw / 2 else {
            throw EngineError.value("\(op): padding should be at most half of the kernel size, got padding \(describe([ph, pw])) for kernel \(describe([kh, kw]))")
        }
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1
        guard h + 2 * ph >= kh, w + 2 * pw >= kw, oh > 0, ow > 0 else {
            throw EngineError.shape("\(op): input of shape \(describe(input.shape)) is smaller than the kernel \(describe([kh, kw]))")
        }
        let x = try input.to(.float32).contiguousCopyIfNeeded()
        let out = try Tensor(uninitialized: [n, c, oh, ow], op: op)
        let planes = n * c
        var argmax = [Int](repeating: -1, count: isMax ? planes * oh * ow : 0)
        let xp = x.storage.floats() + x.offset, op_ = out.storage.floats()
        defer { withExtendedLifetime(x) {} }
        let area = Float(kh * kw)
        if isMax && fast && ph == 0 && pw == 0 {
            try argmax.withUnsafeMutableBufferPointer { am in
                try maxPoolUnpadded(xp, op_, am, planes: planes, h: h, w: w, oh: oh, ow: ow, kernel: (kh, kw), stride: (sh, sw))
            }
        } else {
            for p in 0..<planes {
                if Interruption.isRequested { throw Interrupted() }
                let plane = xp + p * h * w
                for i in 0..<oh { for j in 0..<ow {
                    var best = -Float.infinity, bestAt = -1, sum: Float = 0
                    for a in 0..<kh {
                        let y = i * sh - ph + a
                        guard y >= 0 && y < h else { continue }
                        for b in 0..<kw {
                            let xx = j * sw - pw + b
                            guard xx >= 0 && xx < w else { continue }
                            let v = plane[y * w + xx]
                            if v > best || bestAt < 0 || v.isNaN { best = v; bestAt = y * w + xx }
                            sum += v
                        }
                    }
                    let o = (p * oh + i) * ow + j
                    if isMax { op_[o] = best; argmax[o] = bestAt } else { op_[o] = sum / area }
                } }
            }
        }
        let geometry = (n: n, c: c, h: h, w: w, oh: oh, ow: ow)
        return Tensor.record(out, isMax ? "MaxPool2DWithIndicesBackward0" : "AvgPool2DBackward0", [input]) { g in
            let gx = try Tensor.zeros([geometry.n, geometry.c, geometry.h, geometry.w])
            let gp = gx.storage.floats(), gv = g.floatArray()
            if isMax {
                // argmax holds each window's winner (or −1): scatter without the window loops.
                for p in 0..<planes {
                    let plane = gp + p * h * w
                    for o in (p * oh * ow)..<((p + 1) * oh * ow) where argmax[o] >= 0 { plane[argmax[o]] += gv[o] }
                }
                return [gx]
            }
            for p in 0..<planes {
                let plane = gp + p * h * w
                for i in 0..<oh { for j in 0..<ow {
                    let o = (p * oh + i) * ow + j
                    if isMax {
                        if argmax[o] >= 0 { plane[argmax[o]] += gv[o] }
                        continue
                    }
                    let share = gv[o] / area
                    for a in 0..<kh {
                        let y = i * sh - ph + a
                        guard y >= 0 && y < h else { continue }
                        for b in 0..<kw {
                            let xx = j * sw - pw + b
                            if xx >= 0 && xx < w { plane[y * w + xx] += share }
                        }
                    }
                } }
            }
            return [gx]
        }
    }
}

extension Functional {
    /// Max pooling without padding: every window lies inside the plane, so the loops need no bounds
    /// tests. Same rule as the general loop: the first element wins ties, a NaN wins and stays.
    static func maxPoolUnpadded(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutableBufferPointer<Int>,
                                planes: Int, h: Int, w: Int, oh: Int, ow: Int, kernel: (Int, Int), stride: (Int, Int)) throws {
        let (kh, kw, sh, sw) = (kernel.0, kernel.1, stride.0, stride.1)
        guard let argmaxBase = argmax.baseAddress else { return }  // no outputs
        for p in 0..<planes {
            if Interruption.isRequested { throw Interrupted() }
            let plane = x + p * h * w
            for i in 0..<oh {
                let o = (p * oh + i) * ow
                let vectorEnd = kh == 2 && kw == 2 && sh == 2 && sw == 2 ? ow / 4 * 4 : 0
                for j in Swift.stride(from: 0, to: vectorEnd, by: 4) {
                    maxPool2x2Four(plane, corner: 2 * i * w + 2 * j, w: w, out + o + j, argmaxBase + o + j)
                }
                for j in vectorEnd..<ow {
                    let corner = i * sh * w + j * sw
                    var best = plane[corner], bestAt = corner
                    for a in 0..<kh {
                        let rowAt = corner + a * w
                        for b in 0..<kw {
                            let v = plane[rowAt + b]
                            if v > best || v.isNaN { best = v; bestAt = rowAt + b }
                        }
                    }
                    out[o + j] = best
                    argmax[o + j] = bestAt
                }
            }
        }
    }

    /// Four adjacent 2×2, stride-2 windows whose top-left corners start at `corner`, lane by lane. The
    /// scalar rule (first maximum wins, a NaN wins and a later NaN replaces it) as a tournament:
    /// (top-left vs top-right) vs (bottom-left vs bottom-right), each won by the second only when it is
    /// greater or NaN — the same winner as scanning the four in order.
    @inline(__always)
    static func maxPool2x2Four(_ plane: UnsafePointer<Float>, corner: Int, w: Int, _ out: UnsafeMutablePointer<Float>,
                               _ argmax: UnsafeMutablePointer<Int>) {
        let top = UnsafeRawPointer(plane + corner).loadUnaligned(as: SIMD8<Float>.self)
        let bottom = UnsafeRawPointer(plane + corner + w).loadUnaligned(as: SIMD8<Float>.self)
        let (a, b, c, d) = (top.evenHalf, top.oddHalf, bottom.evenHalf, bottom.oddHalf)
        let bWins = (b .> a) .| (b .!= b), dWins = (d .> c) .| (d .!= d)
        let upper = a.replacing(with: b, where: bWins), lower = c.replacing(with: d, where: dWins)
        let upperAt = SIMD4<Int32>(repeating: 0).replacing(with: 1, where: bWins)
        let lowerAt = SIMD4<Int32>(repeating: 2).replacing(with: 3, where: dWins)
        let lowerWins = (lower .> upper) .| (lower .!= lower)
        let best = upper.replacing(with: lower, where: lowerWins), at = upperAt.replacing(with: lowerAt, where: lowerWins)
        UnsafeMutableRawPointer(out).storeBytes(of: best, as: SIMD4<Float>.self)
        for lane in 0..<4 {
            let k = Int(at[lane])
            argmax[lane] = corner + 2 * lane + (k & 1) + (k >> 1) * w
        }
    }
}
