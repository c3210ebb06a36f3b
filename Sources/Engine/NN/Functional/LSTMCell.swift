import COpenBLAS

extension NNFunctional {
    /// A whole LSTM layer direction as one recorded op (the cuDNN approach): runs the recurrence over
    /// `projected` [T, N, 4H] (xₜWᵢₕᵀ + bᵢₕ, gate order i, f, g, o) with `whh` [4H, H], `bhh` [4H],
    /// from h0, c0 [N, H], in time order or `reverse`. Returns [T, N, 2H] = (hₜ | cₜ) per step.
    /// c′ = σ(f)·c + σ(i)·tanh(g), h′ = σ(o)·tanh(c′) — PyTorch's equations; backward is BPTT with
    /// one GEMM per step for dh and one for all of dWₕₕ, instead of ~15 graph nodes per step.
    static func lstmLayer(_ projected: Tensor, _ whh: Tensor, _ bhh: Tensor?, h0: Tensor, c0: Tensor,
                          reverse: Bool) throws -> Tensor {
        let (T, N) = (projected.shape[0], projected.shape[1]), H = whh.shape[1]
        guard projected.shape == [T, N, 4 * H], whh.shape == [4 * H, H], h0.shape == [N, H], c0.shape == [N, H] else {
            throw EngineError.shape("lstm: projected input \(describe(projected.shape)), weight_hh \(describe(whh.shape)) and states \(describe(h0.shape)) do not fit together")
        }
        let xp = try projected.contiguousCopy(), w = try whh.contiguousCopy()
        let bias = try bhh.map { try $0.contiguousCopy() }
        let out = try Tensor(zeros: [T, N, 2 * H], op: "lstm")
        // Saved per step: activated gates and tanh(c′) [T, N, 5H]; h and c before the step [T, N, H].
        let acts = try Tensor(zeros: [T, N, 5 * H], op: "lstm")
        let hPrev = try Tensor(zeros: [T, N, H], op: "lstm"), cPrev = try Tensor(zeros: [T, N, H], op: "lstm")
        let o = out.storage.floats(), a = acts.storage.floats(), hp = hPrev.storage.floats(), cp = cPrev.storage.floats()
        let x = xp.storage.floats(), wp = w.storage.floats()
        var h = h0.floatArray(), c = c0.floatArray()
        var gates = [Float](repeating: 0, count: N * 4 * H)
        let bv = bias?.floatArray()
        BLASThreads.choose(work: N * 4 * H * H)
        for s in 0..<T {
            if Interruption.isRequested { throw Interrupted() }
            let t = reverse ? T - 1 - s : s
            (hp + t * N * H).update(from: h, count: N * H)
            (cp + t * N * H).update(from: c, count: N * H)
            // gates = projected[t] + bhh + h Whhᵀ
            for k in 0..<(N * 4 * H) { gates[k] = x[t * N * 4 * H + k] + (bv?[k % (4 * H)] ?? 0) }
            h.withUnsafeBufferPointer { hb in gates.withUnsafeMutableBufferPointer { gb in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(N), Int32(4 * H), Int32(H), 1,
                            hb.baseAddress, Int32(H), wp, Int32(H), 1, gb.baseAddress, Int32(4 * H))
            } }
            for b in 0..<N {
                let gb = b * 4 * H, ab = (t * N + b) * 5 * H, ob = (t * N + b) * 2 * H
                for j in 0..<H {
                    let i = sigmoidValue(gates[gb + j]), f = sigmoidValue(gates[gb + H + j])
                    let g = ftanh(gates[gb + 2 * H + j]), og = sigmoidValue(gates[gb + 3 * H + j])
                    let cNew = f * c[b * H + j] + i * g
                    let tc = ftanh(cNew)
                    c[b * H + j] = cNew
                    h[b * H + j] = og * tc
                    o[ob + j] = og * tc; o[ob + H + j] = cNew
                    a[ab + j] = i; a[ab + H + j] = f; a[ab + 2 * H + j] = g; a[ab + 3 * H + j] = og; a[ab + 4 * H + j] = tc
                }
            }
        }
        let inputs: [Tensor] = [projected, whh, h0, c0] + (bhh.map { [$0] } ?? [])
        guard Tensor.needsGrad(projected, whh, h0, c0) || (bhh?.requiresGrad ?? false) && GradMode.isEnabled else { return out }
        return Tensor.record(out, "LstmBackward0", inputs) { grad in
            let a = acts.storage.floats(), cp = cPrev.storage.floats(), wp = w.storage.floats()
            let gOut = try grad.contiguousCopy()
            let go = gOut.storage.floats()
            let dProjected = try Tensor(zeros: [T, N, 4 * H]), dW = try Tensor(zeros: [4 * H, H])
            let dh0 = try Tensor(zeros: [N, H]), dc0 = try Tensor(zeros: [N, H])
            let dg = dProjected.storage.floats()
            BLASThreads.choose(work: N * 4 * H * H)
            var dhNext = [Float](repeating: 0, count: N * H), dcNext = [Float](repeating: 0, count: N * H)
            for s in 0..<T {
                if Interruption.isRequested { throw Interrupted() }
                let t = reverse ? s : T - 1 - s
                for b in 0..<N {
                    let ab = (t * N + b) * 5 * H, ob = (t * N + b) * 2 * H, gb = (t * N + b) * 4 * H
                    for j in 0..<H {
                        let i = a[ab + j], f = a[ab + H + j], g = a[ab + 2 * H + j], og = a[ab + 3 * H + j], tc = a[ab + 4 * H + j]
                        let dh = go[ob + j] + dhNext[b * H + j]
                        let dcell = go[ob + H + j] + dcNext[b * H + j] + dh * og * (1 - tc * tc)
                        dg[gb + j] = dcell * g * i * (1 - i)
                        dg[gb + H + j] = dcell * cp[(t * N + b) * H + j] * f * (1 - f)
                        dg[gb + 2 * H + j] = dcell * i * (1 - g * g)
                        dg[gb + 3 * H + j] = dh * tc * og * (1 - og)
                        dcNext[b * H + j] = dcell * f
                    }
                }
                // dh for the previous step = dGates Whh
                dhNext.withUnsafeMutableBufferPointer { d in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(N), Int32(H), Int32(4 * H), 1,
                                dg + t * N * 4 * H, Int32(4 * H), wp, Int32(H), 0, d.baseAddress, Int32(H))
                }
            }
            // dWhh = Σₜ dGatesₜᵀ hₜ₋₁ as one GEMM over all T·N rows.
            BLASThreads.choose(work: T * N * 4 * H * H)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(4 * H), Int32(H), Int32(T * N), 1,
                        dg, Int32(4 * H), hPrev.storage.floats(), Int32(H), 0, dW.storage.floats(), Int32(H))
            dh0.storage.floats().update(from: dhNext, count: N * H)
            dc0.storage.floats().update(from: dcNext, count: N * H)
            var grads: [Tensor?] = [projected.requiresGrad ? dProjected : nil, whh.requiresGrad ? dW : nil,
                                    h0.requiresGrad ? dh0 : nil, c0.requiresGrad ? dc0 : nil]
            if let bhh {
                let db = try Tensor(zeros: [4 * H])
                let dbp = db.storage.floats()
                for r in 0..<(T * N) { for k in 0..<(4 * H) { dbp[k] += dg[r * 4 * H + k] } }
                grads.append(bhh.requiresGrad ? db : nil)
            }
            return grads
        }
    }

    @inline(__always) static func sigmoidValue(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + fexp(-x)) : fexp(x) / (1 + fexp(x))
    }
}
