import COpenBLAS

/// Activations a fused `linear` can apply before returning (one kernel pass, one graph node).
public enum FusedActivation: Sendable {
    case none, relu, sigmoid, tanh
}

/// The dedicated ops the `nn` layers build on.
public enum NNFunctional {
    /// `linear(x, weight, bias)` = x @ weightᵀ + bias, followed by `activation`, as one recorded op.
    /// x is [..., in], weight [out, in], bias [out]; GEMMs run in OpenBLAS. `layer` names the caller
    /// in shape errors.
    public static func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, activation: FusedActivation = .none,
                              layer: String? = nil) throws -> Tensor {
        guard weight.ndim == 2, weight.dtype == .float32 else {
            throw EngineError.shape("linear: weight must be a 2-D float tensor [out_features, in_features], got \(describe(weight.shape))")
        }
        let (outF, inF) = (weight.shape[0], weight.shape[1])
        guard x.ndim >= 1, x.shape[x.ndim - 1] == inF else {
            let who = layer ?? "linear"
            throw EngineError.shape("\(who) expects input of size \(inF) in its last dimension, got shape \(describe(x.shape))")
        }
        if let b = bias, b.shape != [outF] {
            throw EngineError.shape("linear: bias of shape \(describe(b.shape)) does not match weight of shape \(describe(weight.shape))")
        }
        let xf = try x.dtype == .float32 && x.isContiguous ? x : x.to(.float32).contiguousCopy()
        let rows = xf.count / Swift.max(inF, 1)
        var outShape = x.shape; outShape[outShape.count - 1] = outF
        // The GEMM (or the bias rows it adds to) writes every element unless there is nothing to sum.
        let out = inF > 0 || bias != nil ? try Tensor(uninitialized: outShape, op: "linear") : try Tensor(zeros: outShape, op: "linear")
        let w = try weight.isContiguous ? weight : weight.contiguousCopy()
        let y = out.storage.floats()
        if let b = bias {
            let bb = try b.isContiguous ? b : b.contiguousCopy()
            let bp = bb.storage.floats() + bb.offset
            for r in 0..<rows { (y + r * outF).update(from: bp, count: outF) }
        }
        SplitGEMM.sgemm(CblasNoTrans, CblasTrans, m: rows, n: outF, k: inF, alpha: 1,
                        a: xf.storage.floats() + xf.offset, lda: inF, b: w.storage.floats() + w.offset, ldb: inF,
                        beta: bias == nil ? 0 : 1, c: y, ldc: outF)
        applyActivation(activation, y, out.count)
        guard Tensor.needsGrad(x, weight) || (bias?.requiresGrad ?? false) && GradMode.isEnabled else { return out }
        let saved = out.detach()
        let inputs: [Tensor] = bias.map { [x, weight, $0] } ?? [x, weight]
        return Tensor.record(out, "AddmmBackward0", inputs, saving: [xf, w]) { g in
            let gy = try activationGradient(activation, g, saved)
            let gp = UnsafePointer(gy.storage.floats() + gy.offset)
            var grads: [Tensor?] = []
            if x.requiresGrad {
                let gx = outF > 0 ? try Tensor(uninitialized: xf.shape) : try Tensor(zeros: xf.shape)
                SplitGEMM.sgemm(CblasNoTrans, CblasNoTrans, m: rows, n: inF, k: outF, alpha: 1,
                                a: gp, lda: outF, b: w.storage.floats() + w.offset, ldb: inF, beta: 0, c: gx.storage.floats(), ldc: inF)
                grads.append(gx)
            } else { grads.append(nil) }
            if weight.requiresGrad {
                let gw = rows > 0 ? try Tensor(uninitialized: [outF, inF]) : try Tensor(zeros: [outF, inF])
                SplitGEMM.sgemm(CblasTrans, CblasNoTrans, m: outF, n: inF, k: rows, alpha: 1,
                                a: gp, lda: outF, b: xf.storage.floats() + xf.offset, ldb: inF, beta: 0, c: gw.storage.floats(), ldc: inF)
                grads.append(gw)
            } else { grads.append(nil) }
            if let b = bias {
                if b.requiresGrad {
                    let gb = try Tensor(zeros: [outF])
                    let bp = gb.storage.floats()
                    for r in 0..<rows { for j in 0..<outF { bp[j] += gp[r * outF + j] } }
                    grads.append(gb)
                } else { grads.append(nil) }
            }
            return grads
        }
    }

    @inline(__always)
    static func applyActivation(_ a: FusedActivation, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        switch a {
        case .none: break
        case .relu: for i in 0..<n { y[i] = Swift.max(y[i], 0) }
        case .sigmoid: for i in 0..<n { let v = y[i]; y[i] = v >= 0 ? 1 / (1 + fexp(-v)) : fexp(v) / (1 + fexp(v)) }
        case .tanh: for i in 0..<n { y[i] = ftanh(y[i]) }
        }
    }

    /// The gradient before the activation, contiguous float32 (read from `offset`), given the activated
    /// output: `g` itself when there is no activation and it is already so, else a fresh tensor.
    static func activationGradient(_ a: FusedActivation, _ g: Tensor, _ y: Tensor) throws -> Tensor {
        if case .none = a, g.dtype == .float32, g.isContiguous { return g }
        let out = try g.contiguousCopy()
        let n = out.count, gp = out.storage.floats(), yp = y.storage.floats() + y.offset
        switch a {
        case .none: break
        case .relu: for i in 0..<n where !(yp[i] > 0) { gp[i] = 0 }
        case .sigmoid: for i in 0..<n { gp[i] *= yp[i] * (1 - yp[i]) }
        case .tanh: for i in 0..<n { gp[i] *= 1 - yp[i] * yp[i] }
        }
        return out
    }
}
