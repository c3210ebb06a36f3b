import Engine

/// Conversions between script values and engine tensors, shared by every binding file:
/// a binding takes tensors with `tensorArgument` and returns them with `TensorBindings.wrap`.
extension TensorBindings {
    /// The `Tensor` type scripts see; methods, operators and hooks are filled in by `install`.
    static let type = NativeType(name: "Tensor", doc: "An n-dimensional array of float32, int64 or bool, with reverse-mode autodiff.")

    /// A tensor as a script value.
    static func wrap(_ t: Tensor) -> Value { type.wrap(t) }

    /// The tensor inside `v`, if `v` is one (also the native part of a script subclass instance).
    static func tensor(in v: Value) -> Tensor? {
        if let n = v.asNative { return n.payload as? Tensor }
        if let i = v.asInstance { return i.native?.payload as? Tensor }
        return nil
    }

    /// `v` as a tensor: tensors pass through, numbers and (nested) lists/tuples become new tensors
    /// (float32 when any element is a float, else int64, else bool — as `torch.tensor` infers).
    static func tensorArgument(_ v: Value, _ what: String, dtype: DType? = nil) throws -> Tensor {
        if let t = tensor(in: v) { return t }
        return try Tensor.from(literal(v, what, depth: 0), dtype: dtype)
    }

    /// A nested list/tuple/number as a tensor literal; a clear TypeError for anything else.
    static func literal(_ v: Value, _ what: String, depth: Int) throws -> TensorLiteral {
        guard depth < 64 else { throw ScriptError(.valueError, "\(what): nesting deeper than 64 levels") }
        switch v {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .float(let d): return .float(d)
        case .none: throw ScriptError(.typeError, "\(what): expected a number, list or tensor, got None")
        case .obj:
            if let items = v.asList?.items ?? v.asTuple?.items {
                return .list(try items.map { try literal($0, what, depth: depth + 1) })
            }
            if let t = tensor(in: v) {
                guard t.ndim == 0 else {
                    throw ScriptError(.typeError, "\(what): a list of tensors must hold scalars only; use stack() for tensors with dimensions")
                }
                switch t.dtype {
                case .float32: return .float(try t.item())
                case .int64: return .int(try t.itemInt())
                case .bool: return .bool(try t.item() != 0)
                }
            }
            throw ScriptError(.typeError, "\(what): expected a number, list or tensor, got \(typeName(v))")
        }
    }

    /// A Python number or a tensor argument as a Double scalar (for `lr=`, `value=` and the like).
    static func scalar(_ v: Value, _ what: String) throws -> Double {
        if let d = v.doubleValue { return d }
        if let t = tensor(in: v), t.count == 1 { return try t.item() }
        throw ScriptError(.typeError, "\(what) must be a number, not \(typeName(v))")
    }

    /// A shape given as ints (`zeros(2, 3)`) or as one list/tuple (`zeros((2, 3))`).
    static func shape(_ values: [Value], _ what: String) throws -> [Int] {
        if values.count == 1, let items = values[0].asList?.items ?? values[0].asTuple?.items {
            return try shape(items, what)
        }
        return try values.map { v in
            guard let n = v.intValue else { throw ScriptError(.typeError, "\(what): sizes must be ints, not \(typeName(v))") }
            guard n >= 0 else { throw ScriptError(.valueError, "\(what): negative dimension \(n)") }
            return n
        }
    }

    /// Nested Python lists of the tensor's elements (floats, ints or bools by dtype).
    static func listValue(_ t: Tensor) -> Value {
        func convert(_ a: Any) -> Value {
            switch a {
            case let xs as [Any]: return .list(xs.map(convert))
            case let d as Double: return .float(d)
            case let f as Float: return .float(Double(f))
            case let i as Int64: return .int(Int(i))
            case let i as Int: return .int(i)
            case let b as Bool: return .bool(b)
            default: return .none
            }
        }
        return convert(t.tolist())
    }
}
