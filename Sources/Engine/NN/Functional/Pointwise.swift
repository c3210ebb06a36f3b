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
}
