/// Binary arithmetic and comparisons with NumPy broadcasting and PyTorch type promotion.
extension Tensor {
    /// Runs a promoting arithmetic kernel: float32 if either side is float, else int64.
    @inline(__always)
    private func arith(_ other: Tensor, op: String, _ ff: (Float, Float) -> Float, _ fi: (Int64, Int64) -> Int64) throws -> Tensor {
        if DType.promote(dtype, other.dtype) == .float32 {
            return try Kernels.binary(self, other, op: op, as: Float.self, ff)
        }
        return try Kernels.binary(self, other, op: op, as: Int64.self, fi)
    }

    /// `self + other`.
    public func add(_ other: Tensor) throws -> Tensor {
        let out = try arith(other, op: "add", +, &+)
        let (sa, sb) = (shape, other.shape)
        return Tensor.record(out, "AddBackward0", [self, other]) { g in [try g.sumTo(sa), try g.sumTo(sb)] }
    }

    /// `self - other`.
    public func sub(_ other: Tensor) throws -> Tensor {
        let out = try arith(other, op: "sub", -, &-)
        let (sa, sb) = (shape, other.shape)
        return Tensor.record(out, "SubBackward0", [self, other]) { g in [try g.sumTo(sa), try g.neg().sumTo(sb)] }
    }

    /// `self * other`.
    public func mul(_ other: Tensor) throws -> Tensor {
        let out = try arith(other, op: "mul", *, &*)
        let (a, b) = (self, other)
        return Tensor.record(out, "MulBackward0", [a, b], saving: [a, b]) { g in
            [a.requiresGrad ? try g.mul(b).sumTo(a.shape) : nil,
             b.requiresGrad ? try g.mul(a).sumTo(b.shape) : nil]
        }
    }

    /// `self / other`, always float (true division, like PyTorch).
    public func div(_ other: Tensor) throws -> Tensor {
        let out = try Kernels.binary(self, other, op: "div", as: Float.self, /)
        let (a, b) = (self, other)
        return Tensor.record(out, "DivBackward0", [a, b], saving: [a, b]) { g in
            [a.requiresGrad ? try g.div(b).sumTo(a.shape) : nil,
             b.requiresGrad ? try Kernels.binary(g.mul(a), b, op: "div", as: Float.self) { ga, y in -ga / (y * y) }.sumTo(b.shape) : nil]
        }
    }

    /// `-self`.
    public func neg() throws -> Tensor {
        let out = dtype == .float32 ? try Kernels.unary(self, op: "neg", as: Float.self) { -$0 }
                                    : try Kernels.unary(self, op: "neg", as: Int64.self) { 0 &- $0 }
        return Tensor.record(out, "NegBackward0", [self]) { g in [try g.neg()] }
    }

    /// `self ** exponent` elementwise (float).
    public func pow(_ exponent: Tensor) throws -> Tensor {
        let out = try Kernels.binary(self, exponent, op: "pow", as: Float.self, fpow)
        let (a, b, y) = (self, exponent, out.detach())
        return Tensor.record(out, "PowBackward1", [a, b], saving: [a, b, y]) { g in
            let ga = a.requiresGrad ? try Kernels.binary(a, b, op: "pow", as: Float.self) { x, e in e * fpow(x, e - 1) }.mul(g).sumTo(a.shape) : nil
            let gb = b.requiresGrad ? try Kernels.binary(y, a, op: "pow", as: Float.self) { p, x in p * flog(x) }.mul(g).sumTo(b.shape) : nil
            return [ga, gb]
        }
    }

    /// `self ** exponent` for a number exponent (`x.pow(2)`).
    public func pow(_ exponent: Double) throws -> Tensor {
        let e = Float(exponent)
        if dtype != .float32 && exponent == exponent.rounded() && exponent >= 0 && exponent <= 64 {
            return try Kernels.unary(self, op: "pow", as: Int64.self) { (x: Int64) -> Int64 in
                var r: Int64 = 1
                for _ in 0..<Int(exponent) { r = r &* x }
                return r
            }
        }
        let out = try Kernels.unary(self, op: "pow", as: Float.self) { fpow($0, e) }
        let a = self
        return Tensor.record(out, "PowBackward0", [a], saving: [a]) { g in
            [try Kernels.binary(g, a, op: "pow", as: Float.self) { gv, x in gv * e * fpow(x, e - 1) }]
        }
    }

    /// Elementwise maximum (`torch.maximum`); ties send half the gradient to each side.
    public func maximum(_ other: Tensor) throws -> Tensor {
        let out = try arith(other, op: "maximum", { Swift.max($0, $1) }, { Swift.max($0, $1) })
        let (a, b) = (self, other)
        return Tensor.record(out, "MaximumBackward0", [a, b], saving: [a, b]) { g in try Tensor.selectGrad(g, a, b, larger: true) }
    }

    /// Elementwise minimum (`torch.minimum`).
    public func minimum(_ other: Tensor) throws -> Tensor {
        let out = try arith(other, op: "minimum", { Swift.min($0, $1) }, { Swift.min($0, $1) })
        let (a, b) = (self, other)
        return Tensor.record(out, "MinimumBackward0", [a, b], saving: [a, b]) { g in try Tensor.selectGrad(g, a, b, larger: false) }
    }

    /// Gradient split for maximum/minimum: `a` gets g where it was chosen, `b` the rest, half each on ties.
    private static func selectGrad(_ g: Tensor, _ a: Tensor, _ b: Tensor, larger: Bool) throws -> [Tensor?] {
        let chosen = try Kernels.binary(a, b, op: larger ? "maximum" : "minimum", as: Float.self) { x, y -> Float in
            x == y ? 0.5 : ((x > y) == larger ? 1 : 0)
        }
        let ga = a.requiresGrad ? try g.mul(chosen).sumTo(a.shape) : nil
        let gb = b.requiresGrad ? try g.mul(Kernels.unary(chosen, op: "select", as: Float.self) { 1 - $0 }).sumTo(b.shape) : nil
        return [ga, gb]
    }

    @inline(__always)
    private func compare(_ other: Tensor, op: String, _ ff: (Float, Float) -> Bool, _ fi: (Int64, Int64) -> Bool) throws -> Tensor {
        if DType.promote(dtype, other.dtype) == .float32 {
            return try Kernels.binary(self, other, op: op, as: Float.self, ff)
        }
        return try Kernels.binary(self, other, op: op, as: Int64.self, fi)
    }

    public func eq(_ other: Tensor) throws -> Tensor { try compare(other, op: "eq", ==, ==) }
    public func ne(_ other: Tensor) throws -> Tensor { try compare(other, op: "ne", !=, !=) }
    public func lt(_ other: Tensor) throws -> Tensor { try compare(other, op: "lt", <, <) }
    public func le(_ other: Tensor) throws -> Tensor { try compare(other, op: "le", <=, <=) }
    public func gt(_ other: Tensor) throws -> Tensor { try compare(other, op: "gt", >, >) }
    public func ge(_ other: Tensor) throws -> Tensor { try compare(other, op: "ge", >=, >=) }

    /// Elementwise logical and/or/not on truthiness, giving bool.
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try Kernels.binary(self, other, op: "logical_and", as: Bool.self) { $0 && $1 } }
    public func logicalOr(_ other: Tensor) throws -> Tensor { try Kernels.binary(self, other, op: "logical_or", as: Bool.self) { $0 || $1 } }
    public func logicalNot() throws -> Tensor { try Kernels.unary(self, op: "logical_not", as: Bool.self) { !$0 } }

    /// `self += other` in place (`add_`): for optimizers under `no_grad`, keeps this tensor's dtype.
    @discardableResult
    public func add_(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let scaled = alpha == 1 ? other : try other.mul(Tensor(scalar: Float(alpha)))
        let sum = try withNoGrad { try self.detach().add(scaled) }
        guard sum.shape == shape else {
            throw EngineError.shape("add_: cannot add shape \(describe(other.shape)) in place into shape \(describe(shape))")
        }
        return try copy_(sum)
    }

    /// `self *= other` in place (`mul_`).
    @discardableResult
    public func mul_(_ other: Tensor) throws -> Tensor {
        let product = try withNoGrad { try self.detach().mul(other) }
        guard product.shape == shape else {
            throw EngineError.shape("mul_: cannot multiply shape \(describe(other.shape)) in place into shape \(describe(shape))")
        }
        return try copy_(product)
    }
}

// Swift operator sugar (each throws, like the methods).
extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.add(b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.sub(b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.mul(b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.div(b) }
    public static func + (a: Tensor, b: Float) throws -> Tensor { try a.add(Tensor(scalar: b)) }
    public static func - (a: Tensor, b: Float) throws -> Tensor { try a.sub(Tensor(scalar: b)) }
    public static func * (a: Tensor, b: Float) throws -> Tensor { try a.mul(Tensor(scalar: b)) }
    public static func / (a: Tensor, b: Float) throws -> Tensor { try a.div(Tensor(scalar: b)) }
    public static func + (a: Float, b: Tensor) throws -> Tensor { try Tensor(scalar: a).add(b) }
    public static func - (a: Float, b: Tensor) throws -> Tensor { try Tensor(scalar: a).sub(b) }
    public static func * (a: Float, b: Tensor) throws -> Tensor { try Tensor(scalar: a).mul(b) }
    public static func / (a: Float, b: Tensor) throws -> Tensor { try Tensor(scalar: a).div(b) }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.neg() }
}
