import Foundation

/// Largest container a single operation may build (elements); beyond it: MemoryError.
let maxContainerSize = 1 << 31
/// Largest list or tuple a single operation may build (each element takes 16 bytes or more).
let maxSequenceElements = maxContainerSize / 8

/// The MemoryError for a result of `size` elements/characters made by `what`.
func tooLarge(_ what: String, _ size: Int) -> ScriptError {
    ScriptError(.memoryError, "\(what) would make \(size) items, more than this kernel allows in one object")
}

/// Checks that `a.count + b.count` stays within `limit` before concatenating.
@inline(__always) func checkConcat(_ a: Int, _ b: Int, _ limit: Int, _ what: String) throws {
    let (n, o) = a.addingReportingOverflow(b)
    if o || n > limit { throw tooLarge(what, o ? Int.max : n) }
}

/// `a + b` for two strings (the compiled `+` calls this directly when both sides are strings).
@inline(__always) func concatStrings(_ a: String, _ b: String) throws -> Value {
    try checkConcat(a.utf8.count, b.utf8.count, maxContainerSize, "str + str")
    return .str(a + b)
}

extension VM {
    static let dunders: [BinOp: (String, String)] = [
        .add: ("__add__", "__radd__"), .sub: ("__sub__", "__rsub__"), .mul: ("__mul__", "__rmul__"),
        .div: ("__truediv__", "__rtruediv__"), .floordiv: ("__floordiv__", "__rfloordiv__"), .mod: ("__mod__", "__rmod__"),
        .pow: ("__pow__", "__rpow__"), .matmul: ("__matmul__", "__rmatmul__"), .and: ("__and__", "__rand__"),
        .or: ("__or__", "__ror__"), .xor: ("__xor__", "__rxor__"), .lshift: ("__lshift__", "__rlshift__"), .rshift: ("__rshift__", "__rrshift__"),
    ]

    /// `a + b` when the compiled `+` found no two ints or floats: two strings concatenated directly,
    /// anything else through `binary` (kept out of line so the int path's closure stays small).
    @inline(never)
    func add(_ a: consuming Value, _ b: consuming Value) throws -> Value {
        if a.objKind == .str, b.objKind == .str {
            // (taken apart with `consume`: binding the objects retained and released both)
            guard case .obj(let x) = consume a, case .obj(let y) = consume b else { return .none }  // (not reached)
            return try concatStrings(unsafeDowncast(x, to: StrObj.self).value, unsafeDowncast(y, to: StrObj.self).value)
        }
        return try binary(.add, a, b)
    }

    /// `a op b` for every type; ints and floats are handled inline by the compiled code first.
    func binary(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try intOp(op, x, y)
        case (.bool, _), (_, .bool):
            if let x = a.intValue, let y = b.intValue, !(op == .and || op == .or || op == .xor) || (a.isBool != b.isBool) {
                return try intOp(op, x, y)
            }
            if case .bool(let x) = a, case .bool(let y) = b {
                switch op { case .and: return .bool(x && y); case .or: return .bool(x || y); case .xor: return .bool(x != y); default: break }
            }
        default: break
        }
        if let x = a.floatOperand, let y = b.floatOperand, a.isNumber, b.isNumber { return try floatOp(op, x, y) }
        if case .obj(let oa) = a {
            switch (oa.kind, op) {
            case (.str, .add):
                if let sb = b.asStr { return try concatStrings(unsafeDowncast(oa, to: StrObj.self).value, sb.value) }
            case (.list, .add):
                if let lb = b.asList {
                    let la = unsafeDowncast(oa, to: ListObj.self).items
                    try checkConcat(la.count, lb.items.count, maxSequenceElements, "list + list")
                    return .list(la + lb.items)
                }
            case (.tuple, .add):
                if let tb = b.asTuple {
                    let ta = unsafeDowncast(oa, to: TupleObj.self).items
                    try checkConcat(ta.count, tb.items.count, maxSequenceElements, "tuple + tuple")
                    return .tuple(ta + tb.items)
                }
            case (.str, .mul), (.list, .mul), (.tuple, .mul):
                if let n = b.intValue { return try repeatSeq(a, n) }
            case (.str, .mod): return .str(try percentFormat(unsafeDowncast(oa, to: StrObj.self).value, b))
            case (.set, .or), (.set, .and), (.set, .sub), (.set, .xor):
                if let sb = b.asSet { return try setOp(op, unsafeDowncast(oa, to: SetObj.self), sb) }
            case (.dict, .or):
                if let db = b.asDict { let d = DictObj(); for (k, v) in unsafeDowncast(oa, to: DictObj.self).orderedItems { try d.set(k, v) }; for (k, v) in db.orderedItems { try d.set(k, v) }; return .obj(d) }
            default: break
            }
        }
        if case .obj(let ob) = b, op == .mul, ob.kind == .str || ob.kind == .list || ob.kind == .tuple, let n = a.intValue { return try repeatSeq(b, n) }
        // native types and user classes
        if let na = a.nativeObject, let f = na.type.binaryOperator, let r = try f(BinaryOperator(rawValue: op.rawValue) ?? .add, a, b, false) { return r }
        if let nb = b.nativeObject, let f = nb.type.binaryOperator, let r = try f(BinaryOperator(rawValue: op.rawValue) ?? .add, a, b, true) { return r }
        if let (l, r) = VM.dunders[op] {
            if let ia = a.asInstance, let m = ia.cls.lookup(l) {
                let res = try call(m, [a, b])
                if !res.isNotImplemented { return res }
            }
            if let ib = b.asInstance, let m = ib.cls.lookup(r) {
                let res = try call(m, [b, a])
                if !res.isNotImplemented { return res }
            }
        }
        if op == .add, a.asStr != nil { throw ScriptError(.typeError, "can only concatenate str (not \"\(typeName(b))\") to str") }
        if op == .add, a.asList != nil { throw ScriptError(.typeError, "can only concatenate list (not \"\(typeName(b))\") to list") }
        throw ScriptError(.typeError, "unsupported operand type(s) for \(op.rawValue): '\(typeName(a))' and '\(typeName(b))'")
    }

    func intOp(_ op: BinOp, _ x: Int, _ y: Int) throws -> Value {
        switch op {
        case .add: let (r, o) = x.addingReportingOverflow(y); if o { throw overflow() }; return .int(r)
        case .sub: let (r, o) = x.subtractingReportingOverflow(y); if o { throw overflow() }; return .int(r)
        case .mul: let (r, o) = x.multipliedReportingOverflow(by: y); if o { throw overflow() }; return .int(r)
        case .div:
            if y == 0 { throw ScriptError(.zeroDivisionError, "division by zero") }
            return .float(Double(x) / Double(y))
        case .floordiv:
            if y == 0 { throw ScriptError(.zeroDivisionError, "integer division or modulo by zero") }
            if x == Int.min && y == -1 { throw overflow() }
            let q = x / y
            return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
        case .mod:
            if y == 0 { throw ScriptError(.zeroDivisionError, "integer division or modulo by zero") }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
        case .pow:
            if y < 0 {
                if x == 0 { throw ScriptError(.zeroDivisionError, "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(x), Double(y)))
            }
            var result = 1, base = x, e = y
            while e > 0 {
                if e & 1 == 1 { let (r, o) = result.multipliedReportingOverflow(by: base); if o { throw overflow() }; result = r }
                e >>= 1
                if e > 0 { let (b2, o) = base.multipliedReportingOverflow(by: base); if o { throw overflow() }; base = b2 }
            }
            return .int(result)
        case .and: return .int(x & y)
        case .or: return .int(x | y)
        case .xor: return .int(x ^ y)
        case .lshift:
            if y < 0 { throw ScriptError(.valueError, "negative shift count") }
            if y >= 64 || (x << y) >> y != x { if x == 0 { return .int(0) }; throw overflow() }
            return .int(x << y)
        case .rshift:
            if y < 0 { throw ScriptError(.valueError, "negative shift count") }
            return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
        case .matmul: throw ScriptError(.typeError, "unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    func overflow() -> ScriptError { ScriptError(.overflowError, "integer result too large for a 64-bit int") }

    func floatOp(_ op: BinOp, _ x: Double, _ y: Double) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            if y == 0 { throw ScriptError(.zeroDivisionError, "float division by zero") }
            return .float(x / y)
        case .floordiv:
            if y == 0 { throw ScriptError(.zeroDivisionError, "float floor division by zero") }
            return .float((x / y).rounded(.down) == x / y ? x / y : Foundation.floor(x / y))
        case .mod:
            if y == 0 { throw ScriptError(.zeroDivisionError, "float modulo") }
            var r = fmod(x, y)
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .float(r)
        case .pow:
            if x == 0 && y < 0 { throw ScriptError(.zeroDivisionError, "0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() { throw ScriptError(.valueError, "negative number cannot be raised to a fractional power") }
            let r = Foundation.pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw ScriptError(.overflowError, "(34, 'Numerical result out of range')") }
            return .float(r)
        default: throw ScriptError(.typeError, "unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    func repeatSeq(_ s: Value, _ n: Int) throws -> Value {
        let k = max(n, 0)
        if let st = s.asStr {
            let (total, o) = st.count.multipliedReportingOverflow(by: k)
            if o || total > maxContainerSize { throw ScriptError(.memoryError, "repeating a str of length \(st.count) \(n) times is too large") }
            return .str(String(repeating: st.value, count: k))
        }
        let items = s.asList?.items ?? s.asTuple?.items ?? []
        let (total, o) = items.count.multipliedReportingOverflow(by: k)
        if o || total > maxSequenceElements { throw ScriptError(.memoryError, "repeating a sequence of length \(items.count) \(n) times is too large") }
        var out: [Value] = []
        if items.isEmpty { return s.asList != nil ? .list(out) : .tuple(out) }  // `[] * 10**12`: no 10¹² empty appends
        out.reserveCapacity(total)
        // hundreds of millions of items take minutes: Interrupt must still stop it
        var sincePoll = 0
        for _ in 0..<k {
            out.append(contentsOf: items)
            sincePoll += items.count
            if sincePoll >= 1 << 20 { sincePoll = 0; try poll() }
        }
        return s.asList != nil ? .list(out) : .tuple(out)
    }

    func setOp(_ op: BinOp, _ a: SetObj, _ b: SetObj) throws -> Value {
        let r = SetObj()
        switch op {
        case .or: for x in a.items { try r.add(x) }; for x in b.items { try r.add(x) }
        case .and: for x in a.items where try b.contains(x) { try r.add(x) }
        case .sub: for x in a.items where try !b.contains(x) { try r.add(x) }
        default:
            for x in a.items where try !b.contains(x) { try r.add(x) }
            for x in b.items where try !a.contains(x) { try r.add(x) }
        }
        return .obj(r)
    }

    func percentFormat(_ fmt: String, _ arg: Value) throws -> String {
        let args = arg.asTuple?.items ?? [arg]
        var out = "", k = 0
        var cs = Array(fmt)[...]
        while let c = cs.popFirst() {
            if c != "%" { out.append(c); continue }
            var spec = ""
            while let d = cs.first, !"sdrfgexXi%".contains(d) { spec.append(d); cs.removeFirst() }
            guard let t = cs.popFirst() else { throw ScriptError(.valueError, "incomplete format") }
            if t == "%" { out += "%"; continue }
            guard k < args.count else { throw ScriptError(.typeError, "not enough arguments for format string") }
            let v = args[k]; k += 1
            switch t {
            case "s": out += try formatWithSpec(.str(str(v)), spec)
            case "r": out += try formatWithSpec(.str(repr(v)), spec)
            case "i": out += try formatWithSpec(v, spec + "d")
            default: out += try formatWithSpec(v, spec + String(t))
            }
        }
        if k < args.count { throw ScriptError(.typeError, "not all arguments converted during string formatting") }
        return out
    }

    func unary(_ op: UnaryOp, _ v: Value) throws -> Value {
        switch (op, v) {
        case (.neg, .int(let i)): if i == Int.min { throw overflow() }; return .int(-i)
        case (.neg, .float(let d)): return .float(-d)
        case (.neg, .bool(let b)): return .int(b ? -1 : 0)
        case (.pos, .int), (.pos, .float): return v
        case (.pos, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(~(b ? 1 : 0))
        default: break
        }
        if let n = v.nativeObject, let f = n.type.unaryOperator { return try f(UnaryOperator(rawValue: op.rawValue) ?? .neg, n) }
        let name = op == .neg ? "__neg__" : op == .pos ? "__pos__" : "__invert__"
        if let r = try callDunder(v, name, []) { return r }
        throw ScriptError(.typeError, "bad operand type for unary \(op.rawValue): '\(typeName(v))'")
    }

    // MARK: comparisons

    func equal(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.none, .none): return true
        case (.obj(let x), .obj(let y)):
            if x === y && x.kind != .native { return true }
            switch (x.kind, y.kind) {
            case (.str, .str): return unsafeDowncast(x, to: StrObj.self).value == unsafeDowncast(y, to: StrObj.self).value
            case (.list, .list): return try seqEqual(unsafeDowncast(x, to: ListObj.self).items, unsafeDowncast(y, to: ListObj.self).items)
            case (.tuple, .tuple): return try seqEqual(unsafeDowncast(x, to: TupleObj.self).items, unsafeDowncast(y, to: TupleObj.self).items)
            case (.dict, .dict):
                let p = unsafeDowncast(x, to: DictObj.self), q = unsafeDowncast(y, to: DictObj.self)
                if p.count != q.count { return false }
                try enterNested(); defer { depth -= 1 }
                for (k, v) in p.orderedItems { guard let w = try q.get(k), try equal(v, w) else { return false } }
                return true
            case (.set, .set):
                let p = unsafeDowncast(x, to: SetObj.self), q = unsafeDowncast(y, to: SetObj.self)
                return try p.dict.count == q.dict.count && p.items.allSatisfy { try q.contains($0) }
            case (.range, .range):
                let p = unsafeDowncast(x, to: RangeObj.self), q = unsafeDowncast(y, to: RangeObj.self)
                return p.start == q.start && p.stop == q.stop && p.step == q.step
            default: break
            }
        default:
            if a.isNumber && b.isNumber, let x = a.numeric, let y = b.numeric { return x == y }
        }
        if a.nativeObject != nil || b.nativeObject != nil, let r = try richCompare(.eq, a, b) { return truthy(r) }
        if let ia = a.asInstance, let m = ia.cls.lookup("__eq__") { let r = try call(m, [a, b]); if !r.isNotImplemented { return truthy(r) } }
        if let ib = b.asInstance, let m = ib.cls.lookup("__eq__") { let r = try call(m, [b, a]); if !r.isNotImplemented { return truthy(r) } }
        if case .obj(let x) = a, case .obj(let y) = b { return x === y }
        return false
    }

    /// Counts one level of container recursion (comparisons of nested lists) against the recursion
    /// limit, so absurdly deep nesting raises RecursionError instead of overflowing the native stack.
    func enterNested() throws {
        if depth >= recursionLimit { throw ScriptException("RecursionError", "maximum recursion depth exceeded in comparison") }
        depth += 1
    }

    func seqEqual(_ p: [Value], _ q: [Value]) throws -> Bool {
        if p.count != q.count { return false }
        try enterNested(); defer { depth -= 1 }
        for i in p.indices { if try !equal(p[i], q[i]) { return false } }
        return true
    }

    func richCompare(_ op: ComparisonOperator, _ a: Value, _ b: Value) throws -> Value? {
        if let n = a.nativeObject, let f = n.type.compare, let r = try f(op, a, b) { return r }
        if let n = b.nativeObject, let f = n.type.compare {
            let flipped: ComparisonOperator = [.lt: .gt, .gt: .lt, .le: .ge, .ge: .le][op] ?? op
            if let r = try f(flipped, b, a) { return r }
        }
        return nil
    }

    /// `a < b` etc. Returns a Value so native types (tensors) may answer with non-bools.
    func compare(_ op: CmpOp, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .eq:
            if a.nativeObject != nil || b.nativeObject != nil, let r = try richCompare(.eq, a, b) { return r }
            return .bool(try equal(a, b))
        case .ne:
            if a.nativeObject != nil || b.nativeObject != nil, let r = try richCompare(.ne, a, b) { return r }
            if let ia = a.asInstance, let m = ia.cls.lookup("__ne__") { return try call(m, [a, b]) }
            return .bool(try !equal(a, b))
        case .is: return .bool(identical(a, b))
        case .isNot: return .bool(!identical(a, b))
        case .in: return .bool(try contains(b, a))
        case .notIn: return .bool(try !contains(b, a))
        default: break
        }
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op { case .lt: return .bool(x < y); case .le: return .bool(x <= y); case .gt: return .bool(x > y); default: return .bool(x >= y) }
        default: break
        }
        if a.isNumber && b.isNumber, let x = a.numeric, let y = b.numeric {
            switch op { case .lt: return .bool(x < y); case .le: return .bool(x <= y); case .gt: return .bool(x > y); default: return .bool(x >= y) }
        }
        let cop = ComparisonOperator(rawValue: op.rawValue) ?? .lt
        if a.nativeObject != nil || b.nativeObject != nil, let r = try richCompare(cop, a, b) { return r }
        if let sa = a.asStr, let sb = b.asStr {
            let x = Array(sa.value.unicodeScalars.map { $0.value }), y = Array(sb.value.unicodeScalars.map { $0.value })
            switch op { case .lt: return .bool(x.lexicographicallyPrecedes(y)); case .le: return .bool(!y.lexicographicallyPrecedes(x)); case .gt: return .bool(y.lexicographicallyPrecedes(x)); default: return .bool(!x.lexicographicallyPrecedes(y)) }
        }
        let sa = a.asList?.items ?? a.asTuple?.items, sb = b.asList?.items ?? b.asTuple?.items
        if let p = sa, let q = sb, (a.asList != nil) == (b.asList != nil) {
            try enterNested(); defer { depth -= 1 }
            for i in 0..<min(p.count, q.count) where try !equal(p[i], q[i]) { return try compare(op, p[i], q[i]) }
            return try compare(op, .int(p.count), .int(q.count))
        }
        let names: [CmpOp: (String, String)] = [.lt: ("__lt__", "__gt__"), .le: ("__le__", "__ge__"), .gt: ("__gt__", "__lt__"), .ge: ("__ge__", "__le__")]
        if let (l, r) = names[op] {
            if let ia = a.asInstance, let m = ia.cls.lookup(l) { let x = try call(m, [a, b]); if !x.isNotImplemented { return x } }
            if let ib = b.asInstance, let m = ib.cls.lookup(r) { let x = try call(m, [b, a]); if !x.isNotImplemented { return x } }
        }
        throw ScriptError(.typeError, "'\(op.rawValue)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
    }

    func lessThan(_ a: Value, _ b: Value) throws -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x < y }
        return truthy(try compare(.lt, a, b))
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
        case (.obj(let x), .obj(let y)): return x === y
        default: return false
        }
    }

    func contains(_ container: Value, _ x: Value) throws -> Bool {
        if case .obj(let o) = container {
            switch o.kind {
            case .list: for v in unsafeDowncast(o, to: ListObj.self).items where try equal(v, x) { return true }; return false
            case .tuple: for v in unsafeDowncast(o, to: TupleObj.self).items where try equal(v, x) { return true }; return false
            case .dict: return try unsafeDowncast(o, to: DictObj.self).get(x) != nil
            case .set: return try unsafeDowncast(o, to: SetObj.self).contains(x)
            case .str:
                guard let s = x.asStr else { throw ScriptError(.typeError, "'in <string>' requires string as left operand, not \(typeName(x))") }
                return s.value.isEmpty || unsafeDowncast(o, to: StrObj.self).value.contains(s.value)
            case .range:
                let r = unsafeDowncast(o, to: RangeObj.self)
                guard let i = x.intValue else { return false }
                return r.step > 0 ? (i >= r.start && i < r.stop && (i - r.start) % r.step == 0) : (i <= r.start && i > r.stop && (r.start - i) % (-r.step) == 0)
            case .instance:
                if let r = try callDunder(container, "__contains__", [x]) { return truthy(r) }
            default: break
            }
        }
        let it = try iterate(container)
        while let v = try it.next() { if try equal(v, x) { return true } }
        return false
    }

    // MARK: iteration, length, indexing

    func iterate(_ v: Value) throws -> IteratorObj {
        if case .obj(let o) = v {
            switch o.kind {
            case .list: return IteratorObj(.list(unsafeDowncast(o, to: ListObj.self), 0))
            case .tuple: return IteratorObj(.tuple(unsafeDowncast(o, to: TupleObj.self).items, 0))
            case .range: let r = unsafeDowncast(o, to: RangeObj.self); return IteratorObj(.range(r.start, r.stop, r.step))
            case .str: return IteratorObj(.str(unsafeDowncast(o, to: StrObj.self).scalars, 0))
            case .dict: return IteratorObj(.values(unsafeDowncast(o, to: DictObj.self).orderedKeys, 0))
            case .set: return IteratorObj(.values(unsafeDowncast(o, to: SetObj.self).items, 0))
            case .iterator: return unsafeDowncast(o, to: IteratorObj.self)
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let f = n.type.iterate { return IteratorObj(.native(try f(n))) }
                if let l = n.type.length, let g = n.type.getItem {
                    let count = try l(n); var i = 0
                    return IteratorObj(.native({ if i >= count { return nil }; i += 1; return try g(n, .int(i - 1)) }))
                }
            case .instance:
                let inst = unsafeDowncast(o, to: InstanceObj.self)
                if let it = inst.cls.lookup("__iter__") {
                    let iterObj = try call(it, [v])
                    if case .obj(let io) = iterObj, io.kind == .iterator { return unsafeDowncast(io, to: IteratorObj.self) }
                    guard let nextM = iterObj.asInstance?.cls.lookup("__next__") else { throw ScriptError(.typeError, "iter() returned non-iterator of type '\(typeName(iterObj))'") }
                    return IteratorObj(.native({ [unowned self] in
                        do { return try self.call(nextM, [iterObj]) } catch let e as ScriptException where e.typeName == "StopIteration" { return nil }
                    }))
                }
                if inst.cls.lookup("__getitem__") != nil {
                    var i = 0
                    return IteratorObj(.native({ [unowned self] in
                        do { i += 1; return try self.getItem(v, .int(i - 1)) } catch let e as ScriptException where e.typeName == "IndexError" || e.typeName == "StopIteration" { return nil }
                    }))
                }
                if let n = inst.native { return try iterate(.obj(n)) }
            default: break
            }
        }
        throw ScriptError(.typeError, "'\(typeName(v))' object is not iterable")
    }

    func toArray(_ v: Value) throws -> [Value] {
        if let l = v.asList { return l.items }
        if let t = v.asTuple { return t.items }
        if case .obj(let o) = v, o.kind == .range, unsafeDowncast(o, to: RangeObj.self).count > maxSequenceElements {
            throw tooLarge("a list of this range", unsafeDowncast(o, to: RangeObj.self).count)
        }
        let it = try iterate(v)
        var out: [Value] = []
        while let x = try it.next() {
            if out.count >= maxSequenceElements { throw tooLarge("collecting this iterable", out.count + 1) }
            out.append(x)
        }
        return out
    }

    func length(_ v: Value) throws -> Int {
        if case .obj(let o) = v {
            switch o.kind {
            case .str: return unsafeDowncast(o, to: StrObj.self).count
            case .list: return unsafeDowncast(o, to: ListObj.self).items.count
            case .tuple: return unsafeDowncast(o, to: TupleObj.self).items.count
            case .dict: return unsafeDowncast(o, to: DictObj.self).count
            case .set: return unsafeDowncast(o, to: SetObj.self).dict.count
            case .range: return unsafeDowncast(o, to: RangeObj.self).count
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let l = n.type.length { return try l(n) }
            case .instance:
                if let r = try callDunder(v, "__len__", []) { guard let i = r.intValue else { throw ScriptError(.typeError, "__len__ must return an int") }; return i }
                if let n = unsafeDowncast(o, to: InstanceObj.self).native { return try length(.obj(n)) }
            default: break
            }
        }
        throw ScriptError(.typeError, "object of type '\(typeName(v))' has no len()")
    }

    func normIndex(_ i: Int, _ n: Int, _ what: String) throws -> Int {
        let j = i < 0 ? i + n : i
        if j < 0 || j >= n { throw ScriptError(.indexError, "\(what) index out of range") }
        return j
    }

    /// Python's slice.indices(n).
    func sliceIndices(_ s: SliceObj, _ n: Int) throws -> (Int, Int, Int) {
        var step = 1
        if !s.step.isNone { guard let st = s.step.intValue else { throw ScriptError(.typeError, "slice indices must be integers or None") }; step = st }
        if step == 0 { throw ScriptError(.valueError, "slice step cannot be zero") }
        func clamp(_ v: Value, _ def: Int) throws -> Int {
            if v.isNone { return def }
            guard var i = v.intValue else { throw ScriptError(.typeError, "slice indices must be integers or None") }
            if i < 0 { i += n; if i < 0 { i = step < 0 ? -1 : 0 } } else if i >= n { i = step < 0 ? n - 1 : n }
            return i
        }
        return (try clamp(s.lower, step < 0 ? n - 1 : 0), try clamp(s.upper, step < 0 ? -1 : n), step)
    }

    func sliceArray<T>(_ xs: [T], _ s: SliceObj) throws -> [T] {
        let (a, b, st) = try sliceIndices(s, xs.count)
        var out: [T] = []
        if st == 1 { return a < b ? Array(xs[a..<b]) : [] }
        var i = a
        while st > 0 ? i < b : i > b { out.append(xs[i]); i += st }
        return out
    }

    func getItem(_ c: Value, _ k: Value) throws -> Value {
        if case .obj(let o) = c {
            switch o.kind {
            case .list:
                let l = unsafeDowncast(o, to: ListObj.self)
                if case .int(let i) = k { return l.items[try normIndex(i, l.items.count, "list")] }
                if case .obj(let so) = k, so.kind == .slice { return .list(try sliceArray(l.items, unsafeDowncast(so, to: SliceObj.self))) }
                if case .bool(let b) = k { return l.items[try normIndex(b ? 1 : 0, l.items.count, "list")] }
                throw ScriptError(.typeError, "list indices must be integers or slices, not \(typeName(k))")
            case .tuple:
                let t = unsafeDowncast(o, to: TupleObj.self)
                if let i = k.intValue { return t.items[try normIndex(i, t.items.count, "tuple")] }
                if case .obj(let so) = k, so.kind == .slice { return .tuple(try sliceArray(t.items, unsafeDowncast(so, to: SliceObj.self))) }
                throw ScriptError(.typeError, "tuple indices must be integers or slices, not \(typeName(k))")
            case .dict:
                let d = unsafeDowncast(o, to: DictObj.self)
                if let v = try d.get(k) { return v }
                var e = ScriptError(.keyError, repr(k)); e.payload = k; throw e
            case .str:
                let s = unsafeDowncast(o, to: StrObj.self)
                if let i = k.intValue { let cs = s.scalars; return .str(String(cs[try normIndex(i, cs.count, "string")])) }
                if case .obj(let so) = k, so.kind == .slice {
                    var u = String.UnicodeScalarView(); u.append(contentsOf: try sliceArray(s.scalars, unsafeDowncast(so, to: SliceObj.self))); return .str(String(u))
                }
                throw ScriptError(.typeError, "string indices must be integers, not '\(typeName(k))'")
            case .range:
                let r = unsafeDowncast(o, to: RangeObj.self)
                if let i = k.intValue {
                    let (offset, o1) = r.step.multipliedReportingOverflow(by: try normIndex(i, r.count, "range object"))
                    let (value, o2) = r.start.addingReportingOverflow(offset)
                    if o1 || o2 { throw overflow() }
                    return .int(value)
                }
                if case .obj(let so) = k, so.kind == .slice {
                    let (a, b, st) = try sliceIndices(unsafeDowncast(so, to: SliceObj.self), r.count)
                    let n = RangeObj(a, b, st).count
                    let (offset, o1) = a.multipliedReportingOverflow(by: r.step)
                    let (start, o2) = r.start.addingReportingOverflow(offset)
                    let (step, o3) = r.step.multipliedReportingOverflow(by: st)
                    if o1 || o2 || o3 { throw overflow() }
                    // A stop past the 64-bit range saturates: the slice then runs to the end of the ints.
                    let (span, o4) = n.multipliedReportingOverflow(by: step)
                    let (end, o5) = start.addingReportingOverflow(span)
                    let stop = o4 || o5 ? (step > 0 ? Int.max : Int.min) : end
                    return .obj(RangeObj(start, stop, step))
                }
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let g = n.type.getItem { return try g(n, k) }
            case .instance:
                if let r = try callDunder(c, "__getitem__", [k]) { return r }
                if let n = unsafeDowncast(o, to: InstanceObj.self).native { return try getItem(.obj(n), k) }
            case .classObj:
                return c   // `list[int]`-style annotations evaluate to the class
            default: break
            }
        }
        throw ScriptError(.typeError, "'\(typeName(c))' object is not subscriptable")
    }

    func setItem(_ c: Value, _ k: Value, _ v: Value) throws {
        if case .obj(let o) = c {
            switch o.kind {
            case .list:
                let l = unsafeDowncast(o, to: ListObj.self)
                if let i = k.intValue { l.items[try normIndex(i, l.items.count, "list assignment")] = v; return }
                if case .obj(let so) = k, so.kind == .slice {
                    let s = unsafeDowncast(so, to: SliceObj.self)
                    let new = try toArray(v)
                    let (a, b, st) = try sliceIndices(s, l.items.count)
                    if st == 1 { l.items.replaceSubrange(a..<max(a, b), with: new); return }
                    var idx: [Int] = []; var i = a
                    while st > 0 ? i < b : i > b { idx.append(i); i += st }
                    if idx.count != new.count { throw ScriptError(.valueError, "attempt to assign sequence of size \(new.count) to extended slice of size \(idx.count)") }
                    for (j, x) in zip(idx, new) { l.items[j] = x }
                    return
                }
                throw ScriptError(.typeError, "list indices must be integers or slices, not \(typeName(k))")
            case .dict: try unsafeDowncast(o, to: DictObj.self).set(k, v); return
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let s = n.type.setItem { try s(n, k, v); return }
            case .instance:
                if try callDunder(c, "__setitem__", [k, v]) != nil { return }
                if let n = unsafeDowncast(o, to: InstanceObj.self).native { try setItem(.obj(n), k, v); return }
            default: break
            }
        }
        throw ScriptError(.typeError, "'\(typeName(c))' object does not support item assignment")
    }

    func delItem(_ c: Value, _ k: Value) throws {
        if let l = c.asList {
            if let i = k.intValue { l.items.remove(at: try normIndex(i, l.items.count, "list assignment")); return }
            if case .obj(let so) = k, so.kind == .slice {
                let (a, b, st) = try sliceIndices(unsafeDowncast(so, to: SliceObj.self), l.items.count)
                var idx = Set<Int>(); var i = a
                while st > 0 ? i < b : i > b { idx.insert(i); i += st }
                l.items = l.items.enumerated().filter { !idx.contains($0.offset) }.map { $0.element }
                return
            }
        }
        if let d = c.asDict {
            if try d.remove(k) == nil { var e = ScriptError(.keyError, repr(k)); e.payload = k; throw e }
            return
        }
        if try callDunder(c, "__delitem__", [k]) != nil { return }
        throw ScriptError(.typeError, "'\(typeName(c))' object doesn't support item deletion")
    }
}

extension Value {
    var isNumber: Bool { switch self { case .int, .float, .bool: return true; default: return false } }
    var isBool: Bool { if case .bool = self { return true }; return false }
    var floatOperand: Double? { numeric }
    var nativeObject: NativeObject? {
        if case .obj(let o) = self {
            if o.kind == .native { return unsafeDowncast(o, to: NativeObject.self) }
            if o.kind == .instance { return unsafeDowncast(o, to: InstanceObj.self).native }
        }
        return nil
    }
    var isNotImplemented: Bool { if case .obj(let o) = self { return o === NotImplementedObj.shared }; return false }
}

final class NotImplementedObj: Obj {
    static let shared = NotImplementedObj()
    init() { super.init(kind: .ellipsis) }
}
