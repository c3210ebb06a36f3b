import Engine

/// Operators on tensors: arithmetic both ways with numbers and lists, comparisons giving bool tensors,
/// unary `- + ~ abs`, augmented assignment in place, truthiness, `len`, iteration and `format`.
extension TensorBindings {
    static func installOperators() {
        type.binaryOperator = { op, lhs, rhs, reflected in
            guard let a = try operand(lhs), let b = try operand(rhs) else { return nil }
            return wrap(try binary(op, a, b))
        }
        type.compare = { op, lhs, rhs in
            guard let a = try operand(lhs), let b = try operand(rhs) else { return nil }
            switch op {
            case .eq: return wrap(try a.eq(b))
            case .ne: return wrap(try a.ne(b))
            case .lt: return wrap(try a.lt(b))
            case .le: return wrap(try a.le(b))
            case .gt: return wrap(try a.gt(b))
            case .ge: return wrap(try a.ge(b))
            }
        }
        type.unaryOperator = { op, obj in
            guard let t = obj.payload as? Tensor else { throw ScriptError(.typeError, "bad operand for unary \(op.rawValue)") }
            switch op {
            case .neg:
                if t.dtype == .bool { throw ScriptError(.typeError, "negation, the `-` operator, on a bool tensor is not supported; use `~` or logical_not() instead") }
                return wrap(try t.neg())
            case .pos: return .obj(obj)
            case .invert: return wrap(try t.bitwiseNot())
            case .abs: return wrap(try t.abs())
            }
        }
        type.inplaceOperator = { op, lhs, rhs in
            guard let a = tensor(in: lhs), let b = try operand(rhs) else { return nil }
            return try inPlace(op, a, b) ? lhs : wrap(try binary(op, a, b))
        }
        type.truthiness = { obj in
            guard let t = obj.payload as? Tensor else { return true }
            guard t.count == 1 else {
                throw ScriptError(.runtimeError, t.count == 0
                    ? "Boolean value of Tensor with no values is ambiguous"
                    : "Boolean value of Tensor with more than one value is ambiguous; use .any() or .all(), or compare one element")
            }
            return try t.item() != 0
        }
        type.length = { obj in
            guard let t = obj.payload as? Tensor else { return 0 }
            guard t.ndim > 0 else { throw ScriptError(.typeError, "len() of a 0-d tensor") }
            return t.shape[0]
        }
        type.iterate = { obj in
            guard let t = obj.payload as? Tensor else { return { nil } }
            guard t.ndim > 0 else { throw ScriptError(.typeError, "iteration over a 0-d tensor") }
            var i = 0
            let n = t.shape[0]
            return {
                guard i < n else { return nil }
                defer { i += 1 }
                return wrap(try t.index([.int(i)]))
            }
        }
        type.format = { obj, spec in
            guard let t = obj.payload as? Tensor else { return "" }
            if spec.isEmpty { return t.text }
            guard t.count == 1 else {
                throw ScriptError(.typeError, "unsupported format string passed to Tensor.__format__ (only one-element tensors take a format spec like '.3f')")
            }
            return try formatWithSpec(scalarValue(t), spec)
        }
    }

    /// `a op b` for two tensors (numbers already converted).
    static func binary(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch op {
        case .add: return try a.add(b)
        case .sub:
            if a.dtype == .bool && b.dtype == .bool {
                throw ScriptError(.typeError, "subtraction, the `-` operator, with two bool tensors is not supported; use `^` or logical_xor() instead")
            }
            return try a.sub(b)
        case .mul: return try a.mul(b)
        case .div: return try a.div(b)
        case .floorDiv: return try a.floorDivide(b)
        case .mod: return try a.remainder(b)
        case .pow:
            if b.ndim == 0 && !b.requiresGrad { return try a.pow(b.item()) }
            return try a.pow(b)
        case .matmul: return try matmul(a, b)
        case .and: return try a.bitwise(.and, b)
        case .or: return try a.bitwise(.or, b)
        case .xor: return try a.bitwise(.xor, b)
        case .lshift, .rshift:
            throw ScriptError(.typeError, "the shift operator \(op.rawValue) is not supported on tensors")
        }
    }

    /// `a @ b`; integer operands give int64 like PyTorch (the GEMM itself runs in float32).
    static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let r = try a.matmul(b)
        return a.dtype != .float32 && b.dtype != .float32 ? try r.to(.int64) : r
    }

    /// `a op= b` in place when PyTorch would update `a`'s memory and the result is the same: no graph
    /// is being recorded through it. Returns false when the caller should rebind `a` to `a op b`
    /// instead (`total += loss` while recording, an int tensor divided, …).
    static func inPlace(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor) throws -> Bool {
        let recording = GradMode.isEnabled && (a.requiresGrad || b.requiresGrad)
        if recording && a.isLeaf && a.requiresGrad {
            throw ScriptError(.runtimeError, "a leaf Variable that requires grad is being used in an in-place operation; wrap the update in `with no_grad():` (e.g. `w -= lr * w.grad`)")
        }
        if recording { return false }
        switch op {
        case .add: try a.applyInPlace(.add, b)
        case .sub: try a.applyInPlace(.sub, b)
        case .mul: try a.applyInPlace(.mul, b)
        case .div: try a.applyInPlace(.div, b)
        case .matmul: return false
        default:
            let r = try withNoGrad { try binary(op, a, b) }
            guard r.shape == a.shape else {
                throw ScriptError(.shapeError, "\(op.rawValue)=: output with shape \(a.shape) doesn't match the broadcast shape \(r.shape)")
            }
            if a.dtype != .float32 && r.dtype == .float32 {
                throw ScriptError(.runtimeError, "\(op.rawValue)=: result type float32 can't be cast to the desired output type \(a.dtype.rawValue)")
            }
            try a.copy_(r)
        }
        return true
    }

    /// A one-element tensor's value as a Python number of its dtype.
    static func scalarValue(_ t: Tensor) throws -> Value {
        switch t.dtype {
        case .float32: return .float(try t.item())
        case .int64: return .int(Int(try t.itemInt()))
        case .bool: return .bool(try t.item() != 0)
        }
    }
}
