import COpenBLAS

/// The batched convolution path: one im2col over a chunk of samples feeding one large GEMM per group,
/// instead of one small GEMM per sample (small GEMMs leave OpenBLAS's kernels and threads idle).
/// The per-sample path in Convolution.swift stays as the reference the tests compare against.
extension Conv2DGeometry {
    /// Samples one unfold covers at most: the whole batch unless the patch matrix would pass ~16 MiB.
    var chunk: Int {
        let perSample = Swift.max(patch * positions, 1)
        return Swift.max(1, Swift.min(n, (1 << 22) / perSample))
    }

    /// The output columns j whose input column j·sw − pw + kj·dw lies inside the image, as a range
    /// j0..<j1 (columns outside it read padding).
    func validColumns(_ kj: Int) -> (Int, Int) {
        let off = kj * dw - pw
        let j0 = Swift.min(off >= 0 ? 0 : (-off + sw - 1) / sw, ow)
        let j1 = w - off <= 0 ? 0 : (w - off + sw - 1) / sw
        return (j0, Swift.max(j0, Swift.min(j1, ow)))
    }
}

extension Functional {
    /// Unfolds one sample's group (`x` at its first channel) into `cols`, row r of the patch matrix at
    /// `cols + r·ld`. Rows are copied in runs; padding is written as zeros.
    static func unfold(_ g: Conv2DGeometry, _ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, ld: Int) {
        var row = 0
        for ci in 0..<g.cg {
            let plane = x + ci * g.h * g.w
            for ki in 0..<g.kh { for kj in 0..<g.kw {
                let (j0, j1) = g.validColumns(kj)
                let dstRow = cols + row * ld
                for i in 0..<g.oh {
                    let dst = dstRow + i * g.ow
                    let y = i * g.sh - g.ph + ki * g.dh
                    guard y >= 0 && y < g.h, j1 > j0 else { dst.update(repeating: 0, count: g.ow); continue }
                    if j0 > 0 { dst.update(repeating: 0, count: j0) }
                    let src = plane + y * g.w + j0 * g.sw - g.pw + kj * g.dw
                    if g.sw == 1 {
                        (dst + j0).update(from: src, count: j1 - j0)
                    } else {
                        for j in 0..<(j1 - j0) { dst[j0 + j] = src[j * g.sw] }
                    }
                    if j1 < g.ow { (dst + j1).update(repeating: 0, count: g.ow - j1) }
                }
                row += 1
            } }
        }
    }

    /// Adds the patch matrix `cols` (row stride `ld`) back into one sample's group of the input gradient.
    static func fold(_ g: Conv2DGeometry, _ cols: UnsafePointer<Float>, ld: Int, _ dx: UnsafeMutablePointer<Float>) {
        var row = 0
        for ci in 0..<g.cg {
            let plane = dx + ci * g.h * g.w
            for ki in 0..<g.kh { for kj in 0..<g.kw {
                let (j0, j1) = g.validColumns(kj)
                let srcRow = cols + row * ld
                row += 1
                guard j1 > j0 else { continue }
                for i in 0..<g.oh {
                    let y = i * g.sh - g.ph + ki * g.dh
                    guard y >= 0 && y < g.h else { continue }
                    let src = srcRow + i * g.ow + j0
                    let dst = plane + y * g.w + j0 * g.sw - g.pw + kj * g.dw
                    if g.sw == 1 {
                        for j in 0..<(j1 - j0) { dst[j] += src[j] }
                    } else {
                        for j in 0..<(j1 - j0) { dst[j * g.sw] += src[j] }
                    }
                }
            } }
        }
    }

    /// Forward: per chunk and group, unfold every sample side by side ([patch, count·positions]), one
    /// GEMM into [og, count·positions], then scatter rows into [N, O, positions] adding the bias.
    /// `keep` (when the batch is one chunk and one group) receives the patch matrix for the backward
    /// pass, which then skips unfolding the input again.
    static func convForwardBatched(_ g: Conv2DGeometry, _ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ out: Tensor, chunk: Int,
                                   keep: Tensor? = nil) throws {
        let xp = x.storage.floats() + x.offset, wp = w.storage.floats() + w.offset, op = out.storage.floats()
        let P = g.positions
        let kept = keep.flatMap { $0.count >= g.patch * chunk * P && chunk >= g.n && g.groups == 1 ? $0.storage.floats() : nil }
        let cols = kept ?? UnsafeMutablePointer<Float>.allocate(capacity: g.patch * chunk * P)
        let product = UnsafeMutablePointer<Float>.allocate(capacity: g.og * chunk * P)
        defer { if kept == nil { cols.deallocate() }; product.deallocate() }
        let bv = bias?.floatArray() ?? [Float](repeating: 0, count: g.o)
        BLASThreads.choose(work: g.og * chunk * P * g.patch)
        for s0 in stride(from: 0, to: g.n, by: chunk) {
            if Interruption.isRequested { throw Interrupted() }
            let count = Swift.min(chunk, g.n - s0), ld = count * P
            for gi in 0..<g.groups {
                for s in 0..<count { unfold(g, xp + ((s0 + s) * g.c + gi * g.cg) * g.h * g.w, cols + s * P, ld: ld) }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(g.og), Int32(ld), Int32(g.patch),
                            1, wp + gi * g.og * g.patch, Int32(g.patch), cols, Int32(ld), 0, product, Int32(ld))
                for s in 0..<count { for oc in 0..<g.og {
                    let dst = op + ((s0 + s) * g.o + gi * g.og + oc) * P, src = product + oc * ld + s * P
                    let b = bv[gi * g.og + oc]
                    for p in 0..<P { dst[p] = src[p] + b }
                } }
            }
        }
    }

    /// Backward: per chunk and group, gather the output gradient into [og, count·positions]; then
    /// dW_g += gout_g · colsᵀ (one GEMM), dcols = W_gᵀ · gout_g (one GEMM) folded into dx, and the bias
    /// gradient as row sums.
    /// `unfolded` is the patch matrix the forward pass kept (`convForwardBatched`'s `keep`), if any.
    static func convBackwardBatched(_ g: Conv2DGeometry, _ x: Tensor, _ w: Tensor, _ gout: Tensor, chunk: Int,
                                    needInput: Bool, needWeight: Bool, needBias: Bool,
                                    unfolded: Tensor? = nil) throws -> (Tensor?, Tensor?, Tensor?) {
        let gx = needInput ? try Tensor.zeros([g.n, g.c, g.h, g.w]) : nil
        let gw = needWeight ? try Tensor.zeros([g.o, g.cg, g.kh, g.kw]) : nil
        let gb = needBias ? try Tensor.zeros([g.o]) : nil
        let xp = x.storage.floats() + x.offset, wp = w.storage.floats() + w.offset, gp = gout.storage.floats() + gout.offset
        let P = g.positions
        let cols = UnsafeMutablePointer<Float>.allocate(capacity: g.patch * chunk * P)
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: g.og * chunk * P)
        defer { cols.deallocate(); gathered.deallocate() }
        BLASThreads.choose(work: g.og * chunk * P * g.patch)
        for s0 in stride(from: 0, to: g.n, by: chunk) {
            if Interruption.isRequested { throw Interrupted() }
            let count = Swift.min(chunk, g.n - s0), ld = count * P
            for gi in 0..<g.groups {
                for s in 0..<count { for oc in 0..<g.og {
                    (gathered + oc * ld + s * P).update(from: gp + ((s0 + s) * g.o + gi * g.og + oc) * P, count: P)
                } }
                if let gb {
                    let bp = gb.storage.floats() + gi * g.og
                    for oc in 0..<g.og { bp[oc] += sumOfFloats(gathered + oc * ld, ld) }
                }
                if let gw {
                    let patches: UnsafeMutablePointer<Float>
                    if let unfolded, unfolded.count >= g.patch * ld, count == g.n, g.groups == 1 {
                        patches = unfolded.storage.floats()
                    } else {
                        for s in 0..<count { unfold(g, xp + ((s0 + s) * g.c + gi * g.cg) * g.h * g.w, cols + s * P, ld: ld) }
                        patches = cols
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(g.og), Int32(g.patch), Int32(ld),
                                1, gathered, Int32(ld), patches, Int32(ld), 1, gw.storage.floats() + gi * g.og * g.patch, Int32(g.patch))
                }
                if let gx {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(g.patch), Int32(ld), Int32(g.og),
                                1, wp + gi * g.og * g.patch, Int32(g.patch), gathered, Int32(ld), 0, cols, Int32(ld))
                    for s in 0..<count {
                        fold(g, cols + s * P, ld: ld, gx.storage.floats() + ((s0 + s) * g.c + gi * g.cg) * g.h * g.w)
                    }
                }
            }
        }
        return (gx, gw, gb)
    }
}

/// Σ p[0..<n] in float32 with eight independent lanes (vectorises; the order differs from a serial sum
/// only by rounding).
func sumOfFloats(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    let head = n / 8 * 8
    let raw = UnsafeRawPointer(p)
    for k in stride(from: 0, to: head * 4, by: 32) { acc += raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Float>.self) }
    var s = acc.sum()
    for i in head..<n { s += p[i] }
    return s
}

