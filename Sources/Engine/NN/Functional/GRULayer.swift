import COpenBLAS

extension NNFunctional {
    /// A whole GRU layer direction as one recorded op: `projected` [T, N, 3H] (xₜWᵢₕᵀ + bᵢₕ, gate
    /// order r, z, n), `whh` [3H, H], `bhh` [3H], h0 [N, H]. Returns hₜ for every step, [T, N, H].
    /// r = σ(xᵣ + hᵣ), z = σ(x_z + h_z), n = tanh(xₙ + r·hₙ), h′ = (1 − z)·n + z·h (PyTorch's equations).
    static func gruLayer(_ projected: Tensor, _ whh: Tensor, _ bhh: Tensor?, h0: Tensor, reverse: Bool) throws -> Tensor {
        let (T, N) = (projected.shape[0], projected.shape[1]), H = whh.shape[1]
        guard projected.shape == [T, N, 3 * H], whh.shape == [3 * H, H], h0.shape == [N, H] else {
            throw EngineError.shape("gru: projected input \(describe(projected.shape)), weight_hh \(describe(whh.shape)) and h0 \(describe(h0.shape)) do not fit together")
        }
        let xp = try projected.contiguousCopy(), w = try whh.contiguousCopy()
        let bv = bhh?.floatArray()
        let out = try Tensor(zeros: [T, N, H], op: "gru")
        // Saved per step: r, z, n and the hidden projection's n part [T, N, 4H]; h before the step [T, N, H].
        let acts = try Tensor(zeros: [T, N, 4 * H], op: "gru"), hPrev = try Tensor(zeros: [T, N, H], op: "gru")
        let o = out.storage.floats(), a = acts.storage.floats(), hp = hPrev.storage.floats()
        let x = xp.storage.floats(), wp = w.storage.floats()
        var h = h0.floatArray()
        var hg = [Float](repeating: 0, count: N * 3 * H)
        BLASThreads.choose(work: N * 3 * H * H)
        for s in 0..<T {
            if Interruption.isRequested { throw Interrupted() }
            let t = reverse ? T - 1 - s : s
            (hp + t * N * H).update(from: h, count: N * H)
            for k in 0..<(N * 3 * H) { hg[k] = bv?[k % (3 * H)] ?? 0 }
            h.withUnsafeBufferPointer { hb in hg.withUnsafeMutableBufferPointer { gb in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(N), Int32(3 * H), Int32(H), 1,
                            hb.baseAddress, Int32(H), wp, Int32(H), 1, gb.baseAddress, Int32(3 * H))
            } }
            for b in 0..<N {
                let xb = (t * N + b) * 3 * H, gb = b * 3 * H, ab = (t * N + b) * 4 * H
                for j in 0..<H {
                    let r = sigmoidValue(x[xb + j] + hg[gb + j])
                    let z = sigmoidValue(x[xb + H + j] + hg[gb + H + j])
                    let hn = hg[gb + 2 * H + j]
                    let n = ftanh(x[xb + 2 * H + j] + r * hn)
                    let hNew = n + z * (h[b * H + j] - n)
                    h[b * H + j] = hNew
                    o[(t * N + b) * H + j] = hNew
                    a[ab + j] = r; a[ab + H + j] = z; a[ab + 2 * H + j] = n; a[ab + 3 * H + j] = hn
                }
            }
        }
        let inputs: [Tensor] = [projected, whh, h0] + (bhh.map { [$0] } ?? [])
        guard Tensor.needsGrad(projected, whh, h0) || (bhh?.requiresGrad ?? false) && GradMode.isEnabled else { return out }
        return Tensor.record(out, "GruBackward0", inputs) { grad in
            let a = acts.storage.floats(), hp = hPrev.storage.floats(), wp = w.storage.floats()
            let gOut = try grad.contiguousCopy()
            let go = gOut.storage.floats()
            let dX = try Tensor(zeros: [T, N, 3 * H]), dHg = try Tensor(zeros: [T, N, 3 * H])
            let dW = try Tensor(zeros: [3 * H, H]), dh0 = try Tensor(zeros: [N, H])
            let dx = dX.storage.floats(), dhg = dHg.storage.floats()
            var dhNext = [Float](repeating: 0, count: N * H)
            BLASThreads.choose(work: N * 3 * H * H)
            for s in 0..<T {
                if Interruption.isRequested { throw Interrupted() }
                let t = reverse ? s : T - 1 - s
                var direct = [Float](repeating: 0, count: N * H)
                for b in 0..<N {
                    let ab = (t * N + b) * 4 * H, gb = (t * N + b) * 3 * H
                    for j in 0..<H {
                        let r = a[ab + j], z = a[ab + H + j], n = a[ab + 2 * H + j], hn = a[ab + 3 * H + j]
                        let dh = go[(t * N + b) * H + j] + dhNext[b * H + j]
                        let hPrevV = hp[(t * N + b) * H + j]
                        let dan = dh * (1 - z) * (1 - n * n)
                        let dar = dan * hn * r * (1 - r)
                        let daz = dh * (hPrevV - n) * z * (1 - z)
                        dx[gb + j] = dar; dx[gb + H + j] = daz; dx[gb + 2 * H + j] = dan
                        dhg[gb + j] = dar; dhg[gb + H + j] = daz; dhg[gb + 2 * H + j] = dan * r
                        direct[b * H + j] = dh * z
                    }
                }
                // dh for the previous step = direct path + dHgates Whh
                direct.withUnsafeMutableBufferPointer { d in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(N), Int32(H), Int32(3 * H), 1,
                                dhg + t * N * 3 * H, Int32(3 * H), wp, Int32(H), 1, d.baseAddress, Int32(H))
                }
                dhNext = direct
            }
            BLASThreads.choose(work: T * N * 3 * H * H)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(3 * H), Int32(H), Int32(T * N), 1,
                        dhg, Int32(3 * H), hp, Int32(H), 0, dW.storage.floats(), Int32(H))
            dh0.storage.floats().update(from: dhNext, count: N * H)
            var grads: [Tensor?] = [projected.requiresGrad ? dX : nil, whh.requiresGrad ? dW : nil, h0.requiresGrad ? dh0 : nil]
            if let bhh {
                let db = try Tensor(zeros: [3 * H])
                let dbp = db.storage.floats()
                for r in 0..<(T * N) { for k in 0..<(3 * H) { dbp[k] += dhg[r * 3 * H + k] } }
                grads.append(bhh.requiresGrad ? db : nil)
            }
            return grads
        }
    }
}
