import Engine

/// Argument conversions for tensor bindings: dtypes, dims, operands and the receiver of a method.
extension TensorBindings {
    /// A dtype as scripts name it: the globals `float32 int64 long bool`-likes, the strings
    /// `'float32' 'float' 'int64' 'long' 'int' 'bool'`, or the builtin types `float int bool`.
    /// None gives nil (the caller's default).
    static func dtypeArgument(_ v: Value?, _ what: String) throws -> DType? {
        guard let v, !v.isNone else { return nil }
        if let box = v.asNative?.payload as? DTypeBox { return box.dtype }
        if let s = v.stringValue {
            switch s.hasPrefix("torch.") ? String(s.dropFirst(6)) : s {
            case "float32", "float": return .float32
            case "int64", "long", "int": return .int64
            case "bool": return .bool
            default:
                throw ScriptError(.typeError, "\(what): unknown dtype '\(s)'; use float32, int64 or bool")
            }
        }
        if let c = v.asClass {
            if c === BuiltinTypes.float { return .float32 }
            if c === BuiltinTypes.bool { return .bool }
            if c === BuiltinTypes.int { return .int64 }
        }
        throw ScriptError(.typeError, "\(what): dtype must be float32, int64 or bool (or 'float32', float, int, bool), not \(typeName(v))")
    }

    /// The tensor a method was called on (`positional[0]`).
    @inline(__always)
    static func receiver(_ a: Arguments) throws -> Tensor {
        if let first = a.positional.first, let t = tensor(in: first) { return t }
        throw ScriptError(.typeError, "Tensor.\(a.functionName)() must be called on a tensor")
    }

    /// A tensor argument at position `i` / keyword `name`; numbers and lists are converted.
    static func tensorArg(_ a: Arguments, _ i: Int, _ name: String) throws -> Tensor {
        try tensorArgument(try a.required(i, name), "\(a.functionName)() argument '\(name)'")
    }

    /// An operand of an arithmetic operator: tensors as they are, Python numbers as 0-d tensors of the
    /// matching dtype (int → int64, float → float32, bool → bool), lists as new tensors; nil otherwise.
    @inline(__always)
    static func operand(_ v: Value) throws -> Tensor? {
        switch v {
        case .int(let i): return Tensor(scalar: Int64(i))
        case .float(let d): return Tensor(scalar: Float(d))
        case .bool(let b): return Tensor(scalar: b)
        case .none: return nil
        case .obj:
            if let t = tensor(in: v) { return t }
            if v.asList != nil || v.asTuple != nil { return try tensorArgument(v, "operand") }
            return nil
        }
    }

    /// `dim=` as nil (all), one int, or a tuple/list of ints.
    static func dims(_ v: Value?, _ what: String) throws -> [Int]? {
        guard let v, !v.isNone else { return nil }
        if let n = v.intValue, !v.isBool { return [n] }
        if let items = v.asList?.items ?? v.asTuple?.items {
            return try items.map { x in
                guard let n = x.intValue, !x.isBool else { throw ScriptError(.typeError, "\(what): dims must be ints, not \(typeName(x))") }
                return n
            }
        }
        throw ScriptError(.typeError, "\(what): dim must be an int or a tuple of ints, not \(typeName(v))")
    }

    /// Sizes given as ints (`reshape(2, 3)`) or one list/tuple (`reshape((2, 3))`); -1 allowed.
    static func sizes(_ values: ArraySlice<Value>, _ what: String) throws -> [Int] {
        if values.count == 1, let items = values.first?.asList?.items ?? values.first?.asTuple?.items {
            return try sizes(items[...], what)
        }
        return try values.map { v in
            guard let n = v.intValue, !v.isBool else { throw ScriptError(.typeError, "\(what): sizes must be ints, not \(typeName(v))") }
            return n
        }
    }

    /// The `size`/`shape` tuple scripts see.
    static func shapeValue(_ shape: [Int]) -> Value { .tuple(shape.map { .int($0) }) }
}

/// A dtype as a script value (`float32`, `t.dtype`); prints as PyTorch does (`torch.float32`).
final class DTypeBox {
    let dtype: DType
    private init(_ d: DType) { dtype = d }
    static let float32 = DTypeBox(.float32), int64 = DTypeBox(.int64), bool = DTypeBox(.bool)
    static func of(_ d: DType) -> DTypeBox {
        switch d { case .float32: return float32; case .int64: return int64; case .bool: return bool }
    }

    static let type: NativeType = {
        let t = NativeType(name: "dtype", doc: "A tensor element type: float32, int64 or bool.")
        t.repr = { ($0.payload as? DTypeBox)?.dtype.description ?? "dtype" }
        t.compare = { op, a, b in
            guard op == .eq || op == .ne else { return nil }
            let x = a.asNative?.payload as? DTypeBox, y = b.asNative?.payload as? DTypeBox
            let same = x != nil && x === y
            return .bool(op == .eq ? same : !same)
        }
        t.properties["is_floating_point"] = NativeProperty("is_floating_point", doc: "True for float32.") { o in
            .bool((o.payload as? DTypeBox)?.dtype == .float32)
        }
        return t
    }()
    static func value(_ d: DType) -> Value { type.wrap(of(d)) }
}
