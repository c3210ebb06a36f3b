import COpenBLAS

/// The buffers of one fused LSTM layer direction (`NNFunctional.lstmLayer`) and its loops over them.
/// Samples of a batch never meet in the recurrence, so the forward and the BPTT loops run on any split
/// of the batch rows (each range its own small GEMM per step, no synchronisation between steps), and
/// the weight gradient on any split of the gate rows: `ParallelParts` runs the ranges on two threads.
/// Every range reads shared inputs and writes only its own rows, so results do not depend on the split.
struct LSTMRecurrence {
    let T: Int, N: Int, H: Int, reverse: Bool
    /// Projected input [T, N, 4H], weight_hh [4H, H], bias_hh [4H].
    let x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?
    /// (h | c) per step [T, N, 2H]; saved σi, σf, tanh g, σo, tanh c′ [T, N, 5H]; h, c before each step [T, N, H].
    let out: UnsafeMutablePointer<Float>, acts: UnsafeMutablePointer<Float>
    let hPrev: UnsafeMutablePointer<Float>, cPrev: UnsafeMutablePointer<Float>
    /// Running state [N, H], [N, H] and the gates of one step [N, 4H].
    let h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>
    /// Backward only: incoming gradient [T, N, 2H], gate gradients [T, N, 4H], carried dh, dc [N, H].
    var gradOut: UnsafePointer<Float>?, dGates: UnsafeMutablePointer<Float>?
    var dh: UnsafeMutablePointer<Float>?, dc: UnsafeMutablePointer<Float>?
    /// The thread whose interrupt stops the loops (they may run on a helper thread).
    var caller: UInt = Interruption.currentThread

    /// How many batch ranges to run in parallel: two when there is a second core and the layer has
    /// enough work (≥ 2^22 multiply-adds in its recurrent GEMMs) to hide waking the helper, else one.
    static func parts(T: Int, N: Int, H: Int) -> Int {
        return N >= 2 && T * N * 4 * H * H >= 1 << 22 ? ParallelParts.threads : 1
    }

    /// The forward recurrence for batch rows `rows`, every step; false when interrupted.
    func forward(rows: Range<Int>) -> Bool {
        let lo = rows.lowerBound, m = rows.count, G = 4 * H
        for s in 0..<T {
            if Interruption.isRequested(for: caller) { return false }
            let t = reverse ? T - 1 - s : s
            (hPrev + (t * N + lo) * H).update(from: h + lo * H, count: m * H)
            (cPrev + (t * N + lo) * H).update(from: c + lo * H, count: m * H)
            // gates = projected[t] + bhh + h Whhᵀ
            let xt = x + (t * N + lo) * G, g = gates + lo * G
            if let bias {
                for b in 0..<m { NNFunctional.addRows(xt + b * G, bias, g + b * G, G) }
            } else {
                g.update(from: xt, count: m * G)
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(G), Int32(H), 1,
                        h + lo * H, Int32(H), w, Int32(H), 1, g, Int32(G))
            for b in rows {
                NNFunctional.lstmCellForward(gates + b * G, c + b * H, h + b * H, out + (t * N + b) * 2 * H,
                                             acts + (t * N + b) * 5 * H, H)
            }
        }
        return true
    }

    /// BPTT for batch rows `rows`: gate gradients for every step, and dh, dc carried back to h0, c0
    /// (`dh`, `dc` start at zero); false when interrupted.
    func backward(rows: Range<Int>) -> Bool {
        guard let gradOut, let dGates, let dh, let dc else { return true }
        let lo = rows.lowerBound, m = rows.count, G = 4 * H
        for s in 0..<T {
            if Interruption.isRequested(for: caller) { return false }
            let t = reverse ? s : T - 1 - s
            for b in rows {
                let r = t * N + b
                NNFunctional.lstmCellBackward(acts + r * 5 * H, cPrev + r * H, gradOut + r * 2 * H, dh + b * H, dc + b * H,
                                              dGates + r * G, H)
            }
            // dh for the previous step = dGates Whh
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(H), Int32(G), 1,
                        dGates + (t * N + lo) * G, Int32(G), w, Int32(H), 0, dh + lo * H, Int32(H))
        }
        return true
    }

    /// Rows `gateRows` of dWhh = Σₜ dGatesₜᵀ hₜ₋₁ (one GEMM over all T·N samples) and of dbhh = Σ dGatesₜ.
    func weightGradient(gateRows: Range<Int>, into dW: UnsafeMutablePointer<Float>, bias db: UnsafeMutablePointer<Float>?) {
        guard let dGates else { return }
        let lo = gateRows.lowerBound, G = 4 * H
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(gateRows.count), Int32(H), Int32(T * N), 1,
                    dGates + lo, Int32(G), hPrev, Int32(H), 0, dW + lo * H, Int32(H))
        guard let db else { return }
        (db + lo).update(repeating: 0, count: gateRows.count)
        for r in 0..<(T * N) { NNFunctional.accumulateRow(dGates + r * G + lo, into: db + lo, gateRows.count) }
    }
}
