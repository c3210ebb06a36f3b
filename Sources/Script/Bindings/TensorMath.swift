import Engine

/// Math shared by global functions and methods (`exp(x)` and `x.exp()`): elementwise functions,
/// reductions, products, softmax, clamp. Each is registered once as a function and once as a method.
extension TensorBindings {
    /// Registers `name` as a global function `name(input, …)` and a method `t.name(…)`; the body gets
    /// the tensor and the arguments with the tensor at position 0.
    static func both(_ table: BindingTable, _ name: String, _ params: String, _ doc: String,
                     global: Bool = true, _ body: @escaping (Tensor, Arguments) throws -> Value) {
        let f = NativeFunction(name, "\(name)(input\(params.isEmpty ? "" : ", " + params))", doc: doc) { a in
            guard let first = a.optional(0, "input") else {
                throw ScriptError(.typeError, "\(name)() missing required argument: 'input' (a tensor)")
            }
            let t = try tensorArgument(first, "\(name)() argument 'input'")
            if a.positional.isEmpty { var b = a; b.positional = [first]; b.keywords.removeAll { $0.0 == "input" }; return try body(t, b) }
            return try body(t, a)
        }
        if global { table.add(f) }
        method(name, "\(name)(\(params))", doc) { t, a in try body(t, a) }
    }

    /// Registers a method whose body gets the receiver tensor and the arguments (receiver at 0).
    static func method(_ name: String, _ sig: String, _ doc: String, _ body: @escaping (Tensor, Arguments) throws -> Value) {
        type.methods[name] = NativeFunction(name, sig, doc: doc) { a in try body(try receiver(a), a) }
    }

    static func installMath(_ table: BindingTable) {
        func unary(_ name: String, _ doc: String, _ f: @escaping (Tensor) throws -> Tensor) {
            both(table, name, "", doc) { t, a in try a.check(max: 1); return wrap(try f(t)) }
        }
        unary("exp", "e to the power of each element.") { try $0.exp() }
        unary("log", "Natural logarithm of each element.") { try $0.log() }
        unary("sqrt", "Square root of each element.") { try $0.sqrt() }
        unary("sin", "Sine of each element (radians).") { try $0.sin() }
        unary("cos", "Cosine of each element (radians).") { try $0.cos() }
        unary("tanh", "Hyperbolic tangent of each element.") { try $0.tanh() }
        unary("sigmoid", "The logistic function 1 / (1 + exp(-x)) of each element.") { try $0.sigmoid() }
        unary("relu", "max(x, 0) of each element.") { try $0.relu() }
        unary("neg", "-x of each element.") { try $0.neg() }
        unary("square", "x ** 2 of each element.") { try $0.pow(2) }
        both(table, "abs", "", "Absolute value of each element.", global: false) { t, _ in wrap(try t.abs()) }
        unary("sign", "-1, 0 or 1 by the sign of each element (not differentiable).") { try $0.sign() }
        unary("floor", "The largest integer <= each element (not differentiable).") { try $0.floor() }
        unary("ceil", "The smallest integer >= each element (not differentiable).") { try $0.ceil() }
        both(table, "round", "", "Each element rounded to the nearest integer, half to even (not differentiable).", global: false) { t, _ in wrap(try t.round()) }
        unary("bernoulli", "1.0 with probability p (each element of input), else 0.0, from the seeded generator.") { try $0.bernoulli() }
        unary("logical_not", "A bool tensor: True where the element is zero/False.") { try $0.logicalNot() }
        unary("isnan", "A bool tensor: True where the element is NaN.") { try $0.ne($0) }

        both(table, "pow", "exponent", "Each element raised to exponent (a number or a tensor, broadcast).") { t, a in
            try a.check(max: 2, keywords: ["input", "exponent"])
            let e = try a.required(1, "exponent")
            if let d = e.doubleValue { return wrap(try t.pow(d)) }
            return wrap(try t.pow(try tensorArgument(e, "pow() exponent")))
        }
        for name in ["clamp", "clip"] {
            both(table, name, "min=None, max=None", "Limits each element to [min, max]; either bound may be None. The gradient is 0 where clamped.") { t, a in
                try a.check(max: 3, keywords: ["input", "min", "max"])
                let lo = try a.optional(1, "min").flatMap { $0.isNone ? nil : try scalar($0, "clamp() min") }
                let hi = try a.optional(2, "max").flatMap { $0.isNone ? nil : try scalar($0, "clamp() max") }
                return wrap(try t.clamp(min: lo, max: hi))
            }
        }
        both(table, "softmax", "dim=-1", "exp(x) / sum(exp(x)) along dim (numerically stable); each slice sums to 1.") { t, a in
            try a.check(max: 2, keywords: ["input", "dim"])
            return wrap(try t.softmax(dim: try a.int(1, "dim", default: -1)))
        }
        both(table, "log_softmax", "dim=-1", "log(softmax(x, dim)), computed stably.") { t, a in
            try a.check(max: 2, keywords: ["input", "dim"])
            return wrap(try t.logSoftmax(dim: try a.int(1, "dim", default: -1)))
        }
        installBinaryMath(table)
        installReductions(table)
    }

    private static func installBinaryMath(_ table: BindingTable) {
        func binary(_ name: String, _ doc: String, _ f: @escaping (Tensor, Tensor) throws -> Tensor) {
            both(table, name, "other", doc) { t, a in
                try a.check(max: 2, keywords: ["input", "other"])
                return wrap(try f(t, try tensorArg(a, 1, "other")))
            }
        }
        binary("matmul", "Matrix product with broadcasting batch dimensions (the @ operator): 1-D·1-D is a dot product.") { try matmul($0, $1) }
        binary("mm", "Matrix product of two 2-D tensors.") { a, b in
            guard a.ndim == 2, b.ndim == 2 else { throw ScriptError(.shapeError, "mm: expects two 2-D tensors, got shapes \(a.shape) and \(b.shape)") }
            return try matmul(a, b)
        }
        binary("dot", "Dot product of two 1-D tensors.") { try $0.dot($1) }
        binary("outer", "Outer product of two 1-D tensors: out[i, j] = a[i] * b[j].") { try $0.outer($1) }
        binary("maximum", "Elementwise maximum of two tensors (broadcast).") { try $0.maximum($1) }
        binary("minimum", "Elementwise minimum of two tensors (broadcast).") { try $0.minimum($1) }
        binary("add", "input + other (broadcast).") { try $0.add($1) }
        binary("sub", "input - other (broadcast).") { try $0.sub($1) }
        binary("mul", "input * other (broadcast).") { try $0.mul($1) }
        binary("div", "input / other (true division, float).") { try $0.div($1) }
        binary("eq", "A bool tensor: input == other elementwise.") { try $0.eq($1) }
        binary("ne", "A bool tensor: input != other elementwise.") { try $0.ne($1) }
        binary("lt", "A bool tensor: input < other elementwise.") { try $0.lt($1) }
        binary("le", "A bool tensor: input <= other elementwise.") { try $0.le($1) }
        binary("gt", "A bool tensor: input > other elementwise.") { try $0.gt($1) }
        binary("ge", "A bool tensor: input >= other elementwise.") { try $0.ge($1) }
        binary("logical_and", "A bool tensor: both elements are nonzero.") { try $0.logicalAnd($1) }
        binary("logical_or", "A bool tensor: either element is nonzero.") { try $0.logicalOr($1) }
        both(table, "allclose", "other, rtol=1e-05, atol=1e-08", "True when |input - other| <= atol + rtol * |other| everywhere.") { t, a in
            try a.check(max: 4, keywords: ["input", "other", "rtol", "atol"])
            let o = try tensorArg(a, 1, "other")
            let rtol = try a.double(2, "rtol", default: 1e-5), atol = try a.double(3, "atol", default: 1e-8)
            let x = try t.to(.float32).detach(), y = try o.to(.float32).detach()
            let gap = try x.sub(y).abs(), tol = try y.abs().mul(Tensor(scalar: Float(rtol))).add(Tensor(scalar: Float(atol)))
            return .bool(try gap.le(tol).boolArray().allSatisfy { $0 })
        }
    }

    private static func installReductions(_ table: BindingTable) {
        both(table, "sum", "dim=None, keepdim=False", "Sum of all elements, or along dim (an int or a tuple of ints).", global: false) { t, a in
            try a.check(max: 3, keywords: ["input", "dim", "keepdim", "dtype"])
            let x = try dtypeArgument(a.keyword("dtype"), "sum()").map { try t.to($0) } ?? t
            guard let dims = try dims(a.optional(1, "dim"), "sum()") else { return wrap(try x.sum()) }
            return wrap(try x.sum(dims: dims, keepdim: a.bool(2, "keepdim", default: false)))
        }
        both(table, "mean", "dim=None, keepdim=False", "Mean of all elements, or along dim (an int or a tuple of ints).") { t, a in
            try a.check(max: 3, keywords: ["input", "dim", "keepdim", "dtype"])
            guard t.dtype == .float32 || a.keyword("dtype") != nil else {
                throw ScriptError(.runtimeError, "mean(): could not infer output dtype. Input dtype must be floating point (float32), but got \(t.dtype); use .float() first")
            }
            let x = try dtypeArgument(a.keyword("dtype"), "mean()").map { try t.to($0) } ?? t
            guard let dims = try dims(a.optional(1, "dim"), "mean()") else { return wrap(try x.mean()) }
            return wrap(try x.mean(dims: dims, keepdim: a.bool(2, "keepdim", default: false)))
        }
        for (name, isStd) in [("var", false), ("std", true)] {
            both(table, name, "dim=None, unbiased=True, keepdim=False, correction=None",
                 isStd ? "Standard deviation over all elements or along dim; unbiased (N-1) unless unbiased=False or correction=0."
                       : "Variance over all elements or along dim; unbiased (N-1) unless unbiased=False or correction=0.") { t, a in
                try a.check(max: 4, keywords: ["input", "dim", "unbiased", "keepdim", "correction"])
                var dimValue = a.optional(1, "dim"), unbiased = a.bool(2, "unbiased", default: true)
                // var(False) in PyTorch means unbiased=False.
                if let d = dimValue, d.isBool, a.positional.count == 2 { unbiased = truthy(d); dimValue = nil }
                var correction = unbiased ? 1 : 0
                if let c = a.keyword("correction"), !c.isNone {
                    guard let n = c.intValue else { throw ScriptError(.typeError, "\(name)() correction must be an int") }
                    correction = n
                }
                let dims = try dims(dimValue, "\(name)()")
                let keep = a.bool(3, "keepdim", default: false)
                return wrap(isStd ? try t.std(dims: dims, correction: correction, keepdim: keep)
                                  : try t.variance(dims: dims, correction: correction, keepdim: keep))
            }
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            both(table, name, "dim=None, keepdim=False",
                 "With no dim: the \(name)imum element as a 0-d tensor. With dim: a (values, indices) tuple along dim. With a tensor: the elementwise \(name)imum.",
                 global: false) { t, a in
                try a.check(max: 3, keywords: ["input", "dim", "keepdim", "other"])
                guard let d = a.optional(1, "dim") ?? a.keyword("other"), !d.isNone else { return wrap(isMax ? try t.max() : try t.min()) }
                if d.intValue == nil || d.isBool {
                    let o = try tensorArgument(d, "\(name)() other")
                    return wrap(isMax ? try t.maximum(o) : try t.minimum(o))
                }
                let dim = d.intValue ?? 0, keep = a.bool(2, "keepdim", default: false)
                let r = isMax ? try t.max(dim: dim, keepdim: keep) : try t.min(dim: dim, keepdim: keep)
                return .tuple([wrap(r.values), wrap(r.indices)])
            }
        }
        for (name, isMax) in [("argmax", true), ("argmin", false)] {
            both(table, name, "dim=None, keepdim=False", "The int64 index of the \(isMax ? "largest" : "smallest") element (of the flattened tensor, or along dim).") { t, a in
                try a.check(max: 3, keywords: ["input", "dim", "keepdim"])
                let dim = try a.optional(1, "dim").flatMap { $0.isNone ? nil : try a.int(1, "dim") }
                let keep = a.bool(2, "keepdim", default: false)
                return wrap(isMax ? try t.argmax(dim: dim, keepdim: keep) : try t.argmin(dim: dim, keepdim: keep))
            }
        }
        for (name, isAll) in [("all", true), ("any", false)] {
            both(table, name, "dim=None", isAll ? "True when every element is nonzero (a 0-d bool tensor)." : "True when some element is nonzero (a 0-d bool tensor).") { t, a in
                try a.check(max: 2, keywords: ["input", "dim", "keepdim"])
                let b = try t.to(.bool)
                if let dims = try dims(a.optional(1, "dim"), "\(name)()") {
                    let s = try b.to(.int64).sum(dims: dims, keepdim: a.bool(2, "keepdim", default: false))
                    let n = try dims.map { try t.ndim == 0 ? 1 : t.shape[Self.normalized($0, t.ndim)] }.reduce(1, *)
                    return wrap(isAll ? try s.eq(Tensor(scalar: Int64(n))) : try s.gt(Tensor(scalar: Int64(0))))
                }
                let values = b.boolArray()
                return wrap(Tensor(scalar: isAll ? values.allSatisfy { $0 } : values.contains(true)))
            }
        }
        both(table, "norm", "p=2, dim=None, keepdim=False", "The p-norm (p=2: Euclidean/Frobenius) of all elements or along dim; differentiable.") { t, a in
            try a.check(max: 4, keywords: ["input", "p", "dim", "keepdim"])
            let p = try a.optional(1, "p").flatMap { $0.isNone ? nil : $0 }
            let order: Double
            if let s = p?.stringValue {
                guard s == "fro" else { throw ScriptError(.valueError, "norm(): p must be a number or 'fro', got '\(s)'") }
                order = 2
            } else { order = try p.map { try scalar($0, "norm() p") } ?? 2 }
            let dims = try dims(a.optional(2, "dim"), "norm()")
            return wrap(try Linalg.vectorNorm(t, ord: order, dims: dims, keepdim: a.bool(3, "keepdim", default: false)))
        }
    }

    static func normalized(_ d: Int, _ ndim: Int) throws -> Int {
        guard d >= -ndim, d < ndim else { throw ScriptError(.indexError, "dimension \(d) is out of range for a tensor with \(ndim) dimensions") }
        return d < 0 ? d + ndim : d
    }

}
