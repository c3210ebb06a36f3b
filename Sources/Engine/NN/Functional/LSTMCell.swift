extension NNFunctional {
    /// One fused LSTM cell update as a single recorded op: given the projected input `xp` and hidden
    /// projection `hp` (both [N, 4H], gate order i, f, g, o) and the previous cell state [N, H],
    /// returns [N, 2H] = (h′ | c′) with c′ = σ(f)·c + σ(i)·tanh(g), h′ = σ(o)·tanh(c′).
    /// Same formulas as the op-by-op composition, in one node instead of about fifteen.
    static func lstmCell(_ xp: Tensor, _ hp: Tensor, _ c: Tensor) throws -> Tensor {
        let n = c.shape[0], h = c.shape[1]
        guard xp.shape == [n, 4 * h], hp.shape == [n, 4 * h] else {
            throw EngineError.shape("lstm_cell: gates \(describe(xp.shape)) and \(describe(hp.shape)) do not match cell state \(describe(c.shape))")
        }
        let out = try Tensor(zeros: [n, 2 * h], op: "lstm_cell")
        // Activated gates (i, f, g, o) and tanh(c′), kept for the backward pass.
        let acts = try Tensor(zeros: [n, 5 * h], op: "lstm_cell")
        let o = out.storage.floats(), a = acts.storage.floats()
        let cIn = try c.contiguousCopy()
        let cp = cIn.storage.floats()
        xp.withFloats { x in hp.withFloats { hh in
            for b in 0..<n {
                let gb = b * 4 * h, ab = b * 5 * h
                for j in 0..<h {
                    let i = sigmoidValue(x[gb + j] + hh[gb + j])
                    let f = sigmoidValue(x[gb + h + j] + hh[gb + h + j])
                    let g = ftanh(x[gb + 2 * h + j] + hh[gb + 2 * h + j])
                    let og = sigmoidValue(x[gb + 3 * h + j] + hh[gb + 3 * h + j])
                    let cNew = f * cp[b * h + j] + i * g
                    let tc = ftanh(cNew)
                    o[b * 2 * h + j] = og * tc
                    o[b * 2 * h + h + j] = cNew
                    a[ab + j] = i; a[ab + h + j] = f; a[ab + 2 * h + j] = g; a[ab + 3 * h + j] = og; a[ab + 4 * h + j] = tc
                }
            }
        } }
        guard Tensor.needsGrad(xp, hp, c) else { return out }
        return Tensor.record(out, "LstmCellBackward0", [xp, hp, c]) { grad in
            // Read the saved buffers through the tensors the closure owns (keeps them alive).
            let a = acts.storage.floats(), cp = cIn.storage.floats()
            let g = try grad.contiguousCopy()
            let gp = g.storage.floats()
            let dGates = try Tensor(zeros: [n, 4 * h]), dC = try Tensor(zeros: [n, h])
            let dg = dGates.storage.floats(), dc = dC.storage.floats()
            for b in 0..<n {
                let ab = b * 5 * h, gb = b * 4 * h
                for j in 0..<h {
                    let i = a[ab + j], f = a[ab + h + j], gg = a[ab + 2 * h + j], og = a[ab + 3 * h + j], tc = a[ab + 4 * h + j]
                    let dh = gp[b * 2 * h + j]
                    let dcell = gp[b * 2 * h + h + j] + dh * og * (1 - tc * tc)
                    dg[gb + j] = dcell * gg * i * (1 - i)
                    dg[gb + h + j] = dcell * cp[b * h + j] * f * (1 - f)
                    dg[gb + 2 * h + j] = dcell * i * (1 - gg * gg)
                    dg[gb + 3 * h + j] = dh * tc * og * (1 - og)
                    dc[b * h + j] = dcell * f
                }
            }
            return [xp.requiresGrad ? dGates : nil, hp.requiresGrad ? dGates : nil, c.requiresGrad ? dC : nil]
        }
    }

    @inline(__always) static func sigmoidValue(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + fexp(-x)) : fexp(x) / (1 + fexp(x))
    }
}
