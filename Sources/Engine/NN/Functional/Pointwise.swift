extension NNFunctional {
    /// A float elementwise op with its own backward: `f` maps x to y, `df(x, y)` is dy/dx.
    static func pointwise(_ x: Tensor, _ op: String, _ backwardName: String,
                          _ f: (Float) -> Float, _ df: @escaping (Float, Float) -> Float) throws -> Tensor {
        guard x.dtype == .float32 else { throw EngineError.type("\(op): expected a float tensor, got \(x.dtype)") }
        let out = try Tensor(zeros: x.shape, op: op)
        let o = out.storage.floats()
        x.withFloats { p in for i in 0..<p.count { o[i] = f(p[i]) } }
        guard Tensor.needsGrad(x) else { return out }
        let y = out.detach()
        return Tensor.record(out, backwardName, [x], saving: [x]) { g in
            let gx = try g.contiguousCopy()
            let gp = gx.storage.floats(), yp = y.storage.floats()
            x.withFloats { xp in for i in 0..<xp.count { gp[i] *= df(xp[i], yp[i]) } }
            return [gx]
        }
    }

    /// `leaky_relu(x, negative_slope)`.
    public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor {
        let s = Float(negativeSlope)
        return try pointwise(x, "leaky_relu", "LeakyReluBackward0", { $0 > 0 ? $0 : $0 * s }, { x, _ in x > 0 ? 1 : s })
    }

    /// `selu(x)` = scale·(max(0, x) + min(0, α(eˣ − 1))) with PyTorch's constants.
    public static func selu(_ x: Tensor) throws -> Tensor {
        let alpha: Float = 1.6732632423543772848170429916717
        let scale: Float = 1.0507009873554804934193349852946
        return try pointwise(x, "selu", "EluBackward0", { $0 > 0 ? scale * $0 : scale * alpha * (fexp($0) - 1) },
                             { x, y in x > 0 ? scale : y + scale * alpha })
    }

    /// The Heaviside step (1 where x > 0, else 0) of a perceptron; its gradient is zero everywhere.
    public static func step(_ x: Tensor) throws -> Tensor {
        try pointwise(x, "step", "StepBackward0", { $0 > 0 ? 1 : 0 }, { _, _ in 0 })
    }

    /// `softmax(x, dim)`: exp(x − max) / Σ exp(x − max) along `dim`, as one recorded op.
    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor {
        try softmaxCore(x, dim: dim, log: false)
    }

    /// `log_softmax(x, dim)` computed stably (x − max − log Σ exp(x − max)).
    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor {
        try softmaxCore(x, dim: dim, log: true)
    }

    static func softmaxCore(_ x: Tensor, dim: Int, log: Bool) throws -> Tensor {
        let op = log ? "log_softmax" : "softmax"
        guard x.dtype == .float32 else { throw EngineError.type("\(op): expected a float tensor, got \(x.dtype)") }
        let nd = Swift.max(x.ndim, 1)
        guard dim >= -nd && dim < nd else {
            throw EngineError.index("\(op): dimension out of range (expected to be in range of [\(-nd), \(nd - 1)], but got \(dim))")
        }
        let d = x.ndim == 0 ? 0 : (dim + nd) % nd
        let n = x.ndim == 0 ? 1 : x.shape[d]
        let inner = x.ndim == 0 ? 1 : x.shape[(d + 1)...].reduce(1, *)
        let outer = n * inner == 0 ? 0 : x.count / (n * inner)
        let out = try Tensor(zeros: x.shape, op: op)
        let o = out.storage.floats()
        x.withFloats { p in
            for a in 0..<outer { for c in 0..<inner {
                let base = a * n * inner + c
                var m = -Float.infinity
                for k in 0..<n { m = Swift.max(m, p[base + k * inner]) }
                var s: Float = 0
                for k in 0..<n { let e = fexp(p[base + k * inner] - m); o[base + k * inner] = e; s += e }
                if log {
                    let ls = flog(s)
                    for k in 0..<n { o[base + k * inner] = p[base + k * inner] - m - ls }
                } else {
                    for k in 0..<n { o[base + k * inner] /= s }
                }
            } }
        }
        guard Tensor.needsGrad(x) else { return out }
        let y = out.detach()
        return Tensor.record(out, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", [x]) { g in
            let gx = try g.contiguousCopy()
            let gp = gx.storage.floats(), yp = y.storage.floats()
            for a in 0..<outer { for c in 0..<inner {
                let base = a * n * inner + c
                var s: Float = 0
                if log {
                    for k in 0..<n { s += gp[base + k * inner] }
                    for k in 0..<n { let i = base + k * inner; gp[i] -= fexp(yp[i]) * s }
                } else {
                    for k in 0..<n { let i = base + k * inner; s += gp[i] * yp[i] }
                    for k in 0..<n { let i = base + k * inner; gp[i] = yp[i] * (gp[i] - s) }
                }
            } }
            return [gx]
        }
    }

    /// `dropout(x, p, training)`: zeroes elements with probability p and scales the rest by 1/(1−p).
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true,
                               generator: RandomGenerator = .shared) throws -> Tensor {
        guard p >= 0, p <= 1 else { throw EngineError.value("dropout: probability has to be between 0 and 1, but got \(p)") }
        guard training, p > 0 else { return x }
        let mask = try Tensor(zeros: x.shape, op: "dropout")
        let m = mask.storage.floats(), keep = Float(1 / (1 - p)), threshold = Float(p)
        for i in 0..<mask.count { m[i] = p < 1 && generator.nextFloat() >= threshold ? keep : 0 }
        return try x.mul(mask)
    }
}
