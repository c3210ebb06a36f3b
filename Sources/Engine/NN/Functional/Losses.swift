/// How a loss folds its per-element values, PyTorch's `reduction=` argument.
public enum Reduction: String, Sendable {
    case none, mean, sum
    /// `kl_div` only: the sum divided by the batch size.
    case batchmean

    /// Parses `'mean'`, `'sum'`, `'none'` (and `'batchmean'` where allowed).
    public init(parsing s: String, allowBatchmean: Bool = false) throws {
        guard let r = Reduction(rawValue: s), r != .batchmean || allowBatchmean else {
            throw EngineError.value("\(s) is not a valid value for reduction (use 'mean', 'sum' or 'none'\(allowBatchmean ? " or 'batchmean'" : ""))")
        }
        self = r
    }
}

/// The loss functions of `nn.functional`, PyTorch's formulas and reductions.
public enum Losses {
    /// `mse_loss(input, target)`: (input − target)².
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try sameShape("mse_loss", input, target)
        let d = try input.sub(target)
        return try reduce(d.mul(d), reduction, "mse_loss")
    }

    /// `binary_cross_entropy(input, target)`: −(t·log p + (1 − t)·log(1 − p)), logs clamped at −100.
    public static func bceLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try sameShape("binary_cross_entropy", input, target)
        let bad = input.floatArray().contains { !($0 >= 0 && $0 <= 1) }
        guard !bad else {
            throw EngineError.value("binary_cross_entropy: all elements of input should be between 0 and 1 (apply sigmoid first, or use bce_with_logits)")
        }
        let t = try target.to(.float32)
        let out = try Tensor(zeros: input.shape, op: "binary_cross_entropy")
        let o = out.storage.floats()
        let tv = t.floatArray()
        input.withFloats { p in
            for i in 0..<p.count {
                let lp = Swift.max(flog(p[i]), -100), lq = Swift.max(flog(1 - p[i]), -100)
                o[i] = -(tv[i] * lp + (1 - tv[i]) * lq)
            }
        }
        let recorded = Tensor.record(out, "BinaryCrossEntropyBackward0", [input], saving: [input, t]) { g in
            let gx = try g.contiguousCopy()
            let gp = gx.storage.floats()
            // PyTorch's gradient: (p − t) / max((1 − p)·p, ε), ε = 1e-12.
            input.withFloats { p in
                for i in 0..<p.count { gp[i] *= (p[i] - tv[i]) / Swift.max((1 - p[i]) * p[i], 1e-12) }
            }
            return [gx]
        }
        return try reduce(recorded, reduction, "binary_cross_entropy")
    }

    /// `binary_cross_entropy_with_logits(x, t)`: max(x, 0) − x·t + log(1 + e^(−|x|)), gradient σ(x) − t.
    public static func bceWithLogits(_ input: Tensor, _ target: Tensor, posWeight: Tensor? = nil,
                                     reduction: Reduction = .mean) throws -> Tensor {
        try sameShape("binary_cross_entropy_with_logits", input, target)
        guard posWeight == nil else { throw EngineError.value("binary_cross_entropy_with_logits: pos_weight is not supported yet") }
        let tv = try target.to(.float32).floatArray()
        let out = try Tensor(zeros: input.shape, op: "binary_cross_entropy_with_logits")
        let o = out.storage.floats()
        input.withFloats { x in
            for i in 0..<x.count {
                let v = x[i]
                o[i] = Swift.max(v, 0) - v * tv[i] + log1pf(fexp(-Swift.abs(v)))
            }
        }
        let recorded = Tensor.record(out, "BinaryCrossEntropyWithLogitsBackward0", [input], saving: [input]) { g in
            let gx = try g.contiguousCopy()
            let gp = gx.storage.floats()
            input.withFloats { x in
                for i in 0..<x.count {
                    let v = x[i]
                    let s = v >= 0 ? 1 / (1 + fexp(-v)) : fexp(v) / (1 + fexp(v))
                    gp[i] *= s - tv[i]
                }
            }
            return [gx]
        }
        return try reduce(recorded, reduction, "binary_cross_entropy_with_logits")
    }

    /// `cross_entropy(logits, target)`: log_softmax over dim 1 then `nll_loss`. Targets are class
    /// indices (int64, shape [N] for logits [N, C], or [] for [C]); `ignoreIndex` targets add nothing.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean,
                                    ignoreIndex: Int = -100, labelSmoothing: Double = 0) throws -> Tensor {
        if input.ndim > 2 && target.dtype == .int64 {
            // [N, C, d1, …] with targets [N, d1, …]: classes moved last, flattened, reshaped back.
            let c = input.shape[1]
            guard target.shape == [input.shape[0]] + Array(input.shape[2...]) else {
                throw EngineError.shape("cross_entropy: expected target of shape \(describe([input.shape[0]] + Array(input.shape[2...]))) for input of shape \(describe(input.shape)), got \(describe(target.shape))")
            }
            var order = [0] + Array(2..<input.ndim); order.append(1)
            let flat = try input.permute(order).reshape([-1, c])
            let loss = try crossEntropy(flat, target.reshape([-1]), reduction: reduction, ignoreIndex: ignoreIndex,
                                        labelSmoothing: labelSmoothing)
            return reduction == .none ? try loss.reshape(target.shape) : loss
        }
        guard input.ndim == 1 || input.ndim == 2 else {
            throw EngineError.shape("cross_entropy: expected logits of shape [N, C], [C] or [N, C, d1, …], got \(describe(input.shape))")
        }
        if target.dtype == .float32 && target.shape == input.shape {
            // Class probabilities as targets: −Σ p·log_softmax(x).
            let lsm = try input.logSoftmax(dim: -1)
            let per = try lsm.mul(target).sum(dim: -1).neg()
            return try reduce(per, reduction == .mean && input.ndim == 2 ? .mean : reduction, "cross_entropy")
        }
        let lsm = try input.logSoftmax(dim: -1)
        let nll = try nllLoss(lsm, target, reduction: reduction, ignoreIndex: ignoreIndex, op: "cross_entropy")
        guard labelSmoothing > 0 else { return nll }
        guard labelSmoothing <= 1 else { throw EngineError.value("cross_entropy: label_smoothing must be between 0.0 and 1.0, got \(labelSmoothing)") }
        // PyTorch: (1 − ε)·nll + ε·mean over classes of −log_softmax.
        let c = Float(input.shape[input.ndim - 1])
        let smooth = try reduce(lsm.sum(dim: -1).neg().div(Tensor(scalar: c)), reduction, "cross_entropy")
        return try nll.mul(Tensor(scalar: Float(1 - labelSmoothing))).add(smooth.mul(Tensor(scalar: Float(labelSmoothing))))
    }

    /// `nll_loss(log_probs, target)`: −log_probs[i, target[i]], averaged over non-ignored targets.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean,
                               ignoreIndex: Int = -100) throws -> Tensor {
        try nllLoss(input, target, reduction: reduction, ignoreIndex: ignoreIndex, op: "nll_loss")
    }

    static func nllLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction, ignoreIndex: Int, op: String) throws -> Tensor {
        guard reduction != .batchmean else { throw EngineError.value("\(op): 'batchmean' is only for kl_div") }
        guard target.dtype == .int64 else {
            throw EngineError.type("\(op): expected target of class indices with dtype int64, got \(target.dtype) (use y.long() or a tensor of ints)")
        }
        let batched = input.ndim == 2
        guard input.ndim == 1 || batched else {
            throw EngineError.shape("\(op): expected input of shape [N, C] or [C], got \(describe(input.shape))")
        }
        let n = batched ? input.shape[0] : 1, c = input.shape[input.ndim - 1]
        guard target.shape == (batched ? [n] : []) else {
            throw EngineError.shape("\(op): expected target of shape \(describe(batched ? [n] : [])) for input of shape \(describe(input.shape)), got \(describe(target.shape))")
        }
        let t = target.int64Array()
        for v in t where v != Int64(ignoreIndex) && !(v >= 0 && v < Int64(c)) {
            throw EngineError.index("\(op): target \(v) is out of bounds for \(c) classes")
        }
        let x = try input.contiguousCopy()
        let xp = x.storage.floats()
        var losses = [Float](repeating: 0, count: n)
        var counted = 0
        for i in 0..<n where t[i] != Int64(ignoreIndex) { losses[i] = -xp[i * c + Int(t[i])]; counted += 1 }
        let out: Tensor
        let scale: Float
        switch reduction {
        case .none: out = try Tensor(losses, shape: batched ? [n] : []); scale = 1
        case .sum: out = Tensor(scalar: losses.reduce(0, +)); scale = 1
        default:
            // A mean over zero targets is NaN, as in PyTorch.
            scale = 1 / Float(counted)
            out = Tensor(scalar: losses.reduce(0, +) * scale)
        }
        return Tensor.record(out, "NllLossBackward0", [input]) { g in
            let gx = try Tensor(zeros: input.shape)
            let gp = gx.storage.floats()
            let gv = g.floatArray()
            for i in 0..<n where t[i] != Int64(ignoreIndex) {
                gp[i * c + Int(t[i])] = -(reduction == .none ? gv[i] : gv[0] * scale)
            }
            return [gx]
        }
    }

    /// `kl_div(input, target)` with `input` log-probabilities: target·(log target − input), zero where
    /// target is 0 (or exp(t)·(t − input) with `logTarget`). Use `reduction: .batchmean` for the true KL.
    public static func klDiv(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean,
                             logTarget: Bool = false) throws -> Tensor {
        try sameShape("kl_div", input, target)
        let tv = try target.to(.float32).floatArray()
        let out = try Tensor(zeros: input.shape, op: "kl_div")
        let o = out.storage.floats()
        input.withFloats { x in
            for i in 0..<x.count {
                if logTarget { o[i] = fexp(tv[i]) * (tv[i] - x[i]) } else { o[i] = tv[i] > 0 ? tv[i] * (flog(tv[i]) - x[i]) : 0 }
            }
        }
        let recorded = Tensor.record(out, "KlDivBackward0", [input]) { g in
            let gx = try g.contiguousCopy()
            let gp = gx.storage.floats()
            for i in 0..<gx.count { gp[i] *= -(logTarget ? fexp(tv[i]) : tv[i]) }
            return [gx]
        }
        if reduction == .batchmean {
            let batch = input.ndim > 0 ? input.shape[0] : 1
            return try recorded.sum().div(Tensor(scalar: Float(batch)))
        }
        return try reduce(recorded, reduction, "kl_div")
    }

    static func sameShape(_ op: String, _ input: Tensor, _ target: Tensor) throws {
        guard input.shape == target.shape else {
            throw EngineError.shape("\(op): target shape \(describe(target.shape)) differs from input shape \(describe(input.shape)); reshape one of them (e.g. y.reshape(\(describe(input.shape)))) so they match")
        }
        guard input.dtype == .float32 else { throw EngineError.type("\(op): expected a float input, got \(input.dtype)") }
    }

    static func reduce(_ t: Tensor, _ r: Reduction, _ op: String) throws -> Tensor {
        switch r {
        case .none: return t
        case .sum: return try t.sum()
        case .mean: return try t.mean()
        case .batchmean: throw EngineError.value("\(op): 'batchmean' is only for kl_div")
        }
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
