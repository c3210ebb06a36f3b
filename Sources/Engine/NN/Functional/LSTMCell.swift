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
        // The projected input is only read here; whh is copied so an in-place update before backward
        // cannot change the saved weights.
        let xp = try projected.to(.float32).contiguousCopyIfNeeded(), w = try whh.contiguousCopy()
        let bias = try bhh.map { try $0.to(.float32).contiguousCopyIfNeeded() }
        let out = try Tensor(uninitialized: [T, N, 2 * H], op: "lstm")
        // Saved per step: activated gates and tanh(c′) [T, N, 5H]; h and c before the step [T, N, H].
        let acts = try Tensor(uninitialized: [T, N, 5 * H], op: "lstm")
        let hPrev = try Tensor(uninitialized: [T, N, H], op: "lstm"), cPrev = try Tensor(uninitialized: [T, N, H], op: "lstm")
        let o = out.storage.floats(), a = acts.storage.floats(), hp = hPrev.storage.floats(), cp = cPrev.storage.floats()
        let x = xp.storage.floats() + xp.offset, wp = w.storage.floats()
        let state = UnsafeMutablePointer<Float>.allocate(capacity: 2 * N * H + N * 4 * H)
        defer { state.deallocate() }
        let h = state, c = state + N * H, gates = state + 2 * N * H
        h0.withFloats { if let b = $0.baseAddress { h.update(from: b, count: N * H) } }
        c0.withFloats { if let b = $0.baseAddress { c.update(from: b, count: N * H) } }
        let bp = bias.map { $0.storage.floats() + $0.offset }
        for s in 0..<T {
            if Interruption.isRequested { throw Interrupted() }
            let t = reverse ? T - 1 - s : s
            (hp + t * N * H).update(from: h, count: N * H)
            (cp + t * N * H).update(from: c, count: N * H)
            // gates = projected[t] + bhh + h Whhᵀ
            let xt = x + t * N * 4 * H
            if let bp {
                for b in 0..<N { addRows(xt + b * 4 * H, bp, gates + b * 4 * H, 4 * H) }
            } else {
                gates.update(from: xt, count: N * 4 * H)
            }
            BLASThreads.choose(work: N * 4 * H * H)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(N), Int32(4 * H), Int32(H), 1,
                        h, Int32(H), wp, Int32(H), 1, gates, Int32(4 * H))
            for b in 0..<N {
                lstmCellForward(gates + b * 4 * H, c + b * H, h + b * H, o + (t * N + b) * 2 * H, a + (t * N + b) * 5 * H, H)
            }
        }
        let inputs: [Tensor] = [projected, whh, h0, c0] + (bhh.map { [$0] } ?? [])
        guard Tensor.needsGrad(projected, whh, h0, c0) || (bhh?.requiresGrad ?? false) && GradMode.isEnabled else { return out }
        return Tensor.record(out, "LstmBackward0", inputs) { grad in
            let a = acts.storage.floats(), cp = cPrev.storage.floats(), wp = w.storage.floats()
            let gOut = try grad.contiguousCopyIfNeeded()
            let go = gOut.storage.floats() + gOut.offset
            let dProjected = try Tensor(uninitialized: [T, N, 4 * H]), dW = try Tensor(zeros: [4 * H, H])
            let dh0 = try Tensor(uninitialized: [N, H]), dc0 = try Tensor(uninitialized: [N, H])
            let dg = dProjected.storage.floats()
            let dhNext = dh0.storage.floats(), dcNext = dc0.storage.floats()
            dhNext.update(repeating: 0, count: N * H); dcNext.update(repeating: 0, count: N * H)
            for s in 0..<T {
                if Interruption.isRequested { throw Interrupted() }
                let t = reverse ? s : T - 1 - s
                for b in 0..<N {
                    let r = t * N + b
                    lstmCellBackward(a + r * 5 * H, cp + r * H, go + r * 2 * H, dhNext + b * H, dcNext + b * H, dg + r * 4 * H, H)
                }
                // dh for the previous step = dGates Whh
                BLASThreads.choose(work: N * 4 * H * H)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(N), Int32(H), Int32(4 * H), 1,
                            dg + t * N * 4 * H, Int32(4 * H), wp, Int32(H), 0, dhNext, Int32(H))
            }
            // dWhh = Σₜ dGatesₜᵀ hₜ₋₁ as one GEMM over all T·N rows.
            BLASThreads.choose(work: T * N * 4 * H * H)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(4 * H), Int32(H), Int32(T * N), 1,
                        dg, Int32(4 * H), hPrev.storage.floats(), Int32(H), 0, dW.storage.floats(), Int32(H))
            var grads: [Tensor?] = [projected.requiresGrad ? dProjected : nil, whh.requiresGrad ? dW : nil,
                                    h0.requiresGrad ? dh0 : nil, c0.requiresGrad ? dc0 : nil]
            if let bhh {
                let db = try Tensor(zeros: [4 * H])
                let dbp = db.storage.floats()
                for r in 0..<(T * N) { accumulateRow(dg + r * 4 * H, into: dbp, 4 * H) }
                grads.append(bhh.requiresGrad ? db : nil)
            }
            return grads
        }
    }

    /// out[k] = x[k] + y[k] for k < n.
    @inline(__always) static func addRows(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for k in 0..<n { out[k] = x[k] + y[k] }
    }

    /// acc[k] += x[k] for k < n.
    @inline(__always) static func accumulateRow(_ x: UnsafePointer<Float>, into acc: UnsafeMutablePointer<Float>, _ n: Int) {
        for k in 0..<n { acc[k] += x[k] }
    }

    /// One sample's cell update from its pre-activation gates (i, f, g, o rows of H): updates c and h
    /// in place, writes (h′ | c′) to `out` and (σi, σf, tanh g, σo, tanh c′) to `acts`. Eight lanes at a
    /// time (the scalar tail computes the same values lane for lane).
    @inline(__always)
    static func lstmCellForward(_ gates: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>,
                                _ out: UnsafeMutablePointer<Float>, _ acts: UnsafeMutablePointer<Float>, _ H: Int) {
        let head = H / 8 * 8
        for j in stride(from: 0, to: head, by: 8) {
            let i = fsigmoid8(load8(gates + j)), f = fsigmoid8(load8(gates + H + j))
            let g = ftanh8(load8(gates + 2 * H + j)), og = fsigmoid8(load8(gates + 3 * H + j))
            let cNew = f * load8(c + j) + i * g
            let tc = ftanh8(cNew), hNew = og * tc
            store8(cNew, c + j); store8(hNew, h + j)
            store8(hNew, out + j); store8(cNew, out + H + j)
            store8(i, acts + j); store8(f, acts + H + j); store8(g, acts + 2 * H + j); store8(og, acts + 3 * H + j)
            store8(tc, acts + 4 * H + j)
        }
        for j in head..<H {
            let i = fsigmoid(gates[j]), f = fsigmoid(gates[H + j])
            let g = ftanhFast(gates[2 * H + j]), og = fsigmoid(gates[3 * H + j])
            let cNew = f * c[j] + i * g
            let tc = ftanhFast(cNew)
            c[j] = cNew
            h[j] = og * tc
            out[j] = og * tc; out[H + j] = cNew
            acts[j] = i; acts[H + j] = f; acts[2 * H + j] = g; acts[3 * H + j] = og; acts[4 * H + j] = tc
        }
    }

    /// One sample's step of BPTT: from the saved activations, the previous cell state, the incoming
    /// gradient (dh | dc) and the carried dh, dc, writes the gate gradients and carries dc back.
    @inline(__always)
    static func lstmCellBackward(_ acts: UnsafePointer<Float>, _ cPrev: UnsafePointer<Float>, _ gOut: UnsafePointer<Float>,
                                 _ dhNext: UnsafePointer<Float>, _ dcNext: UnsafeMutablePointer<Float>,
                                 _ dGates: UnsafeMutablePointer<Float>, _ H: Int) {
        let head = H / 8 * 8
        for j in stride(from: 0, to: head, by: 8) {
            let i = load8(acts + j), f = load8(acts + H + j), g = load8(acts + 2 * H + j)
            let og = load8(acts + 3 * H + j), tc = load8(acts + 4 * H + j)
            let dh = load8(gOut + j) + load8(dhNext + j)
            let dcell = load8(gOut + H + j) + load8(dcNext + j) + dh * og * (1 - tc * tc)
            store8(dcell * g * i * (1 - i), dGates + j)
            store8(dcell * load8(cPrev + j) * f * (1 - f), dGates + H + j)
            store8(dcell * i * (1 - g * g), dGates + 2 * H + j)
            store8(dh * tc * og * (1 - og), dGates + 3 * H + j)
            store8(dcell * f, dcNext + j)
        }
        for j in head..<H {
            let i = acts[j], f = acts[H + j], g = acts[2 * H + j], og = acts[3 * H + j], tc = acts[4 * H + j]
            let dh = gOut[j] + dhNext[j]
            let dcell = gOut[H + j] + dcNext[j] + dh * og * (1 - tc * tc)
            dGates[j] = dcell * g * i * (1 - i)
            dGates[H + j] = dcell * cPrev[j] * f * (1 - f)
            dGates[2 * H + j] = dcell * i * (1 - g * g)
            dGates[3 * H + j] = dh * tc * og * (1 - og)
            dcNext[j] = dcell * f
        }
    }

    @inline(__always) static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    @inline(__always) static func sigmoidValue(_ x: Float) -> Float { fsigmoid(x) }
}
