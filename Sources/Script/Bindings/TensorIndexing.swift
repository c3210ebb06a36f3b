import Engine

/// `t[key]` and `t[key] = value`: ints, slices with steps, None, `...`, tuples of those, int64 tensors
/// and lists of ints (advanced indexing), and bool masks, as in PyTorch.
extension TensorBindings {
    static func installIndexing() {
        type.getItem = { obj, key in
            guard let t = obj.payload as? Tensor else { throw ScriptError(.typeError, "not a tensor") }
            if case .int(let i) = key { return wrap(try t.index([.int(i)])) }
            return wrap(try t.index(try indices(key)))
        }
        type.setItem = { obj, key, value in
            guard let t = obj.payload as? Tensor else { throw ScriptError(.typeError, "not a tensor") }
            guard let v = try operand(value) else {
                throw ScriptError(.typeError, "can't assign a \(typeName(value)) to a tensor; use a number, a list or a tensor")
            }
            try t.indexPut(try indices(key), v)
        }
    }

    /// A subscript as engine indices (a tuple spreads into several).
    static func indices(_ key: Value) throws -> [TensorIndex] {
        if let items = key.asTuple?.items { return try items.map(index) }
        return [try index(key)]
    }

    private static func index(_ v: Value) throws -> TensorIndex {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .tensor(Tensor(scalar: b))
        case .none: return .newAxis
        case .float:
            throw ScriptError(.indexError, "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean tensors are valid indices (got float)")
        case .obj(let o):
            if o.kind == .slice {
                let s = unsafeDowncast(o, to: SliceObj.self)
                return .slice(start: try bound(s.lower), end: try bound(s.upper), step: try bound(s.step))
            }
            if o.kind == .ellipsis { return .ellipsis }
            if let t = tensor(in: v) {
                switch t.dtype {
                case .int64: return t.ndim == 0 ? .int(Int(try t.itemInt())) : .tensor(t)
                case .bool: return .tensor(t)
                case .float32:
                    throw ScriptError(.indexError, "tensors used as indices must be long (int64) or bool tensors, got float32; convert with .long()")
                }
            }
            if v.asList != nil {
                let t = try tensorArgument(v, "index")
                guard t.dtype != .float32 else { throw ScriptError(.indexError, "a list used as an index must hold ints or bools, not floats") }
                if t.count == 0 { return .tensor(try t.to(.int64)) }
                return .tensor(t)
            }
            throw ScriptError(.indexError, "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean tensors are valid indices (got \(typeName(v)))")
        }
    }

    private static func bound(_ v: Value) throws -> Int? {
        if v.isNone { return nil }
        if let n = v.intValue { return n }
        if let t = tensor(in: v), t.count == 1, t.dtype != .float32 { return Int(try t.itemInt()) }
        throw ScriptError(.typeError, "slice indices must be integers or None, not \(typeName(v))")
    }
}
