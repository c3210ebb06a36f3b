import COpenBLAS

extension NNFunctional {
    /// A whole LSTM layer direction as one recorded op (the cuDNN approach): runs the recurrence over
    /// `projected` [T, N, 4H] (xₜWᵢₕᵀ + bᵢₕ, gate order i, f, g, o) with `whh` [4H, H], `bhh` [4H],
    /// from h0, c0 [N, H], in time order or `reverse`. Returns [T, N, 2H] = (hₜ | cₜ) per step.
    /// c′ = σ(f)·c + σ(i)·tanh(g), h′ = σ(o)·tanh(c′) — PyTorch's equations; backward is BPTT with
    /// one GEMM per step for dh and one for all of dWₕₕ, instead of ~15 graph nodes per step.
    static func lstmLayer(_ projected: Tensor, _ whh: Tensor, _ bhh: Tensor?, h0: Tensor, c0: Tensor,
                          reverse: Bool, parts requestedParts: Int? = nil) throws -> Tensor {
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
        let state = UnsafeMutablePointer<Float>.allocate(capacity: 2 * N * H + N * 4 * H)
        defer { state.deallocate() }
        h0.withFloats { if let b = $0.baseAddress { state.update(from: b, count: N * H) } }
        c0.withFloats { if let b = $0.baseAddress { (state + N * H).update(from: b, count: N * H) } }
        let r = LSTMRecurrence(T: T, N: N, H: H, reverse: reverse, x: xp.storage.floats() + xp.offset, w: w.storage.floats(),
                               bias: bias.map { $0.storage.floats() + $0.offset }, out: out.storage.floats(),
                               acts: acts.storage.floats(), hPrev: hPrev.storage.floats(), cPrev: cPrev.storage.floats(),
                               h: state, c: state + N * H, gates: state + 2 * N * H)
        // Batch rows split across threads when worth it; OpenBLAS stays single-threaded inside each range.
        let parts = Swift.max(1, requestedParts ?? LSTMRecurrence.parts(T: T, N: N, H: H))
        BLASThreads.choose(work: parts > 1 ? 0 : N * 4 * H * H)
        let finished = withExtendedLifetime((xp, w, bias, out, acts, hPrev, cPrev)) {
            ParallelParts.forEachRange(of: N, parts: parts) { r.forward(rows: $0) }
        }
        guard finished else { throw Interrupted() }
        let inputs: [Tensor] = [projected, whh, h0, c0] + (bhh.map { [$0] } ?? [])
        guard Tensor.needsGrad(projected, whh, h0, c0) || (bhh?.requiresGrad ?? false) && GradMode.isEnabled else { return out }
        let saved: [Tensor] = [w, acts, hPrev, cPrev]
        return Tensor.record(out, "LstmBackward0", inputs) { grad in
            try withExtendedLifetime(saved) {
                try lstmLayerBackward(r, grad, parts: parts, needs: inputs.map(\.requiresGrad), hasBias: bhh != nil)
            }
        }
    }

    /// BPTT for `lstmLayer`: gradients for (projected, whh, h0, c0, bhh) from the saved buffers of `forward`
    /// (whose running-state pointers died with the forward pass; backward does not use them).
    private static func lstmLayerBackward(_ forward: LSTMRecurrence, _ grad: Tensor, parts: Int, needs: [Bool],
                                          hasBias: Bool) throws -> [Tensor?] {
        let (T, N, H) = (forward.T, forward.N, forward.H)
        let gOut = try grad.contiguousCopyIfNeeded()
        let dProjected = try Tensor(uninitialized: [T, N, 4 * H]), dW = try Tensor(uninitialized: [4 * H, H])
        let dh0 = try Tensor(zeros: [N, H]), dc0 = try Tensor(zeros: [N, H])
        let db: Tensor? = hasBias ? try Tensor(uninitialized: [4 * H]) : nil
        var r = forward
        r.gradOut = UnsafePointer(gOut.storage.floats() + gOut.offset)
        r.dGates = dProjected.storage.floats()
        r.dh = dh0.storage.floats(); r.dc = dc0.storage.floats()
        r.caller = Interruption.currentThread
        let backward = r, dWp = dW.storage.floats(), dbp = db?.storage.floats()
        let finished: Bool = withExtendedLifetime((gOut, dProjected, dh0, dc0, dW, db)) {
            BLASThreads.choose(work: parts > 1 ? 0 : N * 4 * H * H)
            guard ParallelParts.forEachRange(of: N, parts: parts, { backward.backward(rows: $0) }) else { return false }
            // dWhh and dbhh over all T·N rows at once, split by gate rows when split at all.
            BLASThreads.choose(work: parts > 1 ? 0 : T * N * 4 * H * H)
            return ParallelParts.forEachRange(of: 4 * H, parts: parts) {
                backward.weightGradient(gateRows: $0, into: dWp, bias: dbp)
                return true
            }
        }
        guard finished else { throw Interrupted() }
        let all: [Tensor?] = [dProjected, dW, dh0, dc0] + (hasBias ? [db] : [])
        return zip(all, needs).map { $1 ? $0 : nil }
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
    /// in place, writes (h′ | c′) to `out` and (σi, σf, tanh g, σo, tanh c′) to `acts`. In passes over
    /// eight lanes at a time (the scalar tails compute the same values lane for lane); each activation
    /// pass is its own small function so the compiler inlines the vector exp into it.
    @inline(__always)
    static func lstmCellForward(_ gates: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>,
                                _ out: UnsafeMutablePointer<Float>, _ acts: UnsafeMutablePointer<Float>, _ H: Int) {
        sigmoidRow(gates, acts, 2 * H)
        tanhRow(gates + 2 * H, acts + 2 * H, H)
        sigmoidRow(gates + 3 * H, acts + 3 * H, H)
        let (i, f, g) = (UnsafePointer(acts), UnsafePointer(acts + H), UnsafePointer(acts + 2 * H))
        let cOut = out + H, head = H / 8 * 8
        for j in stride(from: 0, to: head, by: 8) {
            let cNew = load8(f + j) * load8(c + j) + load8(i + j) * load8(g + j)
            store8(cNew, c + j); store8(cNew, cOut + j)
        }
        for j in head..<H {
            let cNew = f[j] * c[j] + i[j] * g[j]
            c[j] = cNew; cOut[j] = cNew
        }
        tanhRow(c, acts + 4 * H, H)
        let og = UnsafePointer(acts + 3 * H), tc = UnsafePointer(acts + 4 * H)
        for j in stride(from: 0, to: head, by: 8) {
            let hNew = load8(og + j) * load8(tc + j)
            store8(hNew, h + j); store8(hNew, out + j)
        }
        for j in head..<H {
            h[j] = og[j] * tc[j]; out[j] = h[j]
        }
    }

    /// y[k] = σ(x[k]) for k < n, eight lanes at a time.
    @inline(never)
    static func sigmoidRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let head = n / 8 * 8
        for j in stride(from: 0, to: head, by: 8) { store8(fsigmoid8(load8(x + j)), y + j) }
        for j in head..<n { y[j] = fsigmoid(x[j]) }
    }

    /// y[k] = tanh(x[k]) for k < n, eight lanes at a time.
    @inline(never)
    static func tanhRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let head = n / 8 * 8
        for j in stride(from: 0, to: head, by: 8) { store8(ftanh8(load8(x + j)), y + j) }
        for j in head..<n { y[j] = ftanhFast(x[j]) }
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
