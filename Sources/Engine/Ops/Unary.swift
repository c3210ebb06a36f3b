/// Elementwise math functions; each records a fused backward kernel.
extension Tensor {
    /// A float unary op whose gradient is `g * dfdx(x, y)` (y the output).
    @inline(__always)
    private func floatUnary(_ name: String, _ backwardName: String, _ f: (Float) -> Float,
                            _ dfdx: @escaping (Float, Float) -> Float) throws -> Tensor {
        let out = try Kernels.unary(self, op: name, as: Float.self, f)
        guard Tensor.needsGrad(self) else { return out }
        let (x, y) = (self, out.detach())
        return Tensor.record(out, backwardName, [x], saving: [x, y]) { g in
            let xy = try Kernels.binary(x, y, op: name, as: Float.self) { a, b in dfdx(a, b) }
            return [try g.mul(xy)]
        }
    }

    public func exp() throws -> Tensor { try floatUnary("exp", "ExpBackward0", fexp) { _, y in y } }
    public func log() throws -> Tensor { try floatUnary("log", "LogBackward0", flog) { x, _ in 1 / x } }
    public func sqrt() throws -> Tensor { try floatUnary("sqrt", "SqrtBackward0", { $0.squareRoot() }) { _, y in 0.5 / y } }
    public func sin() throws -> Tensor { try floatUnary("sin", "SinBackward0", fsin) { x, _ in fcos(x) } }
    public func cos() throws -> Tensor { try floatUnary("cos", "CosBackward0", fcos) { x, _ in -fsin(x) } }
    public func tanh() throws -> Tensor { try floatUnary("tanh", "TanhBackward0", ftanh) { _, y in 1 - y * y } }

    public func sigmoid() throws -> Tensor {
        try floatUnary("sigmoid", "SigmoidBackward0", { x in
            // Split by sign so exp never overflows.
            x >= 0 ? 1 / (1 + fexp(-x)) : fexp(x) / (1 + fexp(x))
        }) { _, y in y * (1 - y) }
    }

    /// `relu`: max(x, 0); int tensors stay int.
    public func relu() throws -> Tensor {
        if dtype != .float32 { return try Kernels.unary(self, op: "relu", as: Int64.self) { Swift.max($0, 0) } }
        let out = try Kernels.unary(self, op: "relu", as: Float.self) { Swift.max($0, 0) }
        guard Tensor.needsGrad(self) else { return out }
        let x = self
        return Tensor.record(out, "ReluBackward0", [x], saving: [x]) { g in
            guard g.shape == x.shape, g.dtype == .float32, g.isContiguous, x.isContiguous else {
                return [try g.mul(Kernels.unary(x, op: "relu", as: Float.self) { $0 > 0 ? Float(1) : 0 })]
            }
            // g · 1[x > 0] in one pass (the same products as the general path above).
            let gx = try Tensor(uninitialized: x.shape, op: "relu")
            let gp = g.storage.floats() + g.offset, xp = x.storage.floats() + x.offset, o = gx.storage.floats()
            withExtendedLifetime((g, x)) {
                for i in 0..<gx.count { o[i] = gp[i] * (xp[i] > 0 ? 1 : 0) }
            }
            return [gx]
        }
    }

    /// `abs`; int tensors stay int. The gradient at 0 is 0, as in PyTorch.
    public func abs() throws -> Tensor {
        if dtype != .float32 { return try Kernels.unary(self, op: "abs", as: Int64.self) { $0 < 0 ? 0 &- $0 : $0 } }
        return try floatUnary("abs", "AbsBackward0", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }
    }

    /// `clamp(min, max)` (either bound optional); the gradient passes where min ≤ x ≤ max.
    public func clamp(min lo: Double? = nil, max hi: Double? = nil) throws -> Tensor {
        guard lo != nil || hi != nil else { throw EngineError.value("clamp: at least one of min and max must be given") }
        let integral = { (v: Double?) in v.map { $0 == $0.rounded() && Swift.abs($0) < 9e18 } ?? true }
        if dtype != .float32 && integral(lo) && integral(hi) {
            let l = lo.map { Int64($0) } ?? Int64.min, h = hi.map { Int64($0) } ?? Int64.max
            return try Kernels.unary(self, op: "clamp", as: Int64.self) { Swift.min(Swift.max($0, l), h) }
        }
        let l = Float(lo ?? -.infinity), h = Float(hi ?? .infinity)
        return try floatUnary("clamp", "ClampBackward1", { Swift.min(Swift.max($0, l), h) }) { x, _ in x >= l && x <= h ? 1 : 0 }
    }
}
