/// A script value: small scalars inline, everything else a reference to a heap object.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case obj(Obj)
}

/// What kind of heap object an `Obj` is, so the VM can switch without dynamic casts.
public enum ObjKind: UInt8 {
    case str, list, tuple, dict, set, range, function, builtin, boundMethod, classObj, instance, module, native, cell, iterator, slice, ellipsis, code, superProxy
}

/// Base of every heap value.
open class Obj {
    public let kind: ObjKind
    public init(kind: ObjKind) { self.kind = kind }
}

public final class StrObj: Obj {
    public let value: String
    private var scalarsCache: [Unicode.Scalar]?
    public init(_ v: String) { value = v; super.init(kind: .str) }
    var scalars: [Unicode.Scalar] {
        if let s = scalarsCache { return s }
        let s = Array(value.unicodeScalars); scalarsCache = s; return s
    }
    var count: Int { scalarsCache?.count ?? value.unicodeScalars.count }
    private var hashCache = 0, hashed = false
    /// The string's hash, computed once (strings are immutable), like CPython's cached str hash.
    var cachedHash: Int {
        if hashed { return hashCache }
        hashCache = DictObj.stringHash(value); hashed = true
        return hashCache
    }
}

public final class ListObj: Obj {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items; super.init(kind: .list) }
    deinit { Trashcan.dispose(&items) }  // nesting a million deep must not overflow the stack when freed
}

public final class TupleObj: Obj {
    public private(set) var items: [Value]
    public init(_ items: [Value]) { self.items = items; super.init(kind: .tuple) }
    deinit { Trashcan.dispose(&items) }
}

public final class RangeObj: Obj {
    let start: Int, stop: Int, step: Int
    init(_ a: Int, _ b: Int, _ s: Int) { start = a; stop = b; step = s; super.init(kind: .range) }
    /// The number of items; ranges longer than `Int.max` (e.g. the whole 64-bit span) count as `Int.max`.
    var count: Int {
        // Unsigned arithmetic: `stop - start` can exceed Int.max.
        let distance: UInt, stride: UInt
        if step > 0 {
            guard start < stop else { return 0 }
            distance = UInt(bitPattern: stop &- start); stride = UInt(step)
        } else {
            guard start > stop else { return 0 }
            distance = UInt(bitPattern: start &- stop); stride = step.magnitude
        }
        let n = (distance - 1) / stride + 1
        return n > UInt(Int.max) ? Int.max : Int(n)
    }
}

public final class SliceObj: Obj {
    public let lower: Value, upper: Value, step: Value
    init(_ l: Value, _ u: Value, _ s: Value) { lower = l; upper = u; step = s; super.init(kind: .slice) }
}

final class EllipsisObj: Obj {
    static let shared = EllipsisObj()
    init() { super.init(kind: .ellipsis) }
}

/// A mutable box for a variable shared with an inner function.
final class CellObj: Obj {
    var value: Value?
    init(_ v: Value?) { value = v; super.init(kind: .cell) }
}

/// Iteration state for `for` loops and the built-ins that consume iterables.
final class IteratorObj: Obj {
    enum State { case list(ListObj, Int), tuple([Value], Int), range(Int, Int, Int), values([Value], Int), str([Unicode.Scalar], Int), native(() throws -> Value?) }
    var state: State
    init(_ s: State) { state = s; super.init(kind: .iterator) }

    @inline(__always)
    func next() throws -> Value? {
        switch state {
        case .list(let l, let i):
            if i < l.items.count { state = .list(l, i + 1); return l.items[i] }
            return nil
        case .range(let cur, let stop, let step):
            if step > 0 ? cur < stop : cur > stop {
                // past the 64-bit edge the range is exhausted: park at `stop`
                let (next, wrapped) = cur.addingReportingOverflow(step)
                state = .range(wrapped ? stop : next, stop, step)
                return .int(cur)
            }
            return nil
        case .tuple(let xs, let i):
            if i < xs.count { state = .tuple(xs, i + 1); return xs[i] }
            return nil
        case .values(let xs, let i):
            if i < xs.count { state = .values(xs, i + 1); return xs[i] }
            return nil
        case .str(let cs, let i):
            if i < cs.count { state = .str(cs, i + 1); return .obj(StrObj(String(cs[i]))) }
            return nil
        case .native(let f): return try f()
        }
    }
}

extension Value {
    @inline(__always) static func str(_ s: String) -> Value { .obj(StrObj(s)) }
    @inline(__always) static func list(_ xs: [Value]) -> Value { .obj(ListObj(xs)) }
    @inline(__always) static func tuple(_ xs: [Value]) -> Value { .obj(TupleObj(xs)) }
    static let ellipsis = Value.obj(EllipsisObj.shared)

    var asStr: StrObj? { if case .obj(let o) = self, o.kind == .str { return unsafeDowncast(o, to: StrObj.self) }; return nil }
    var asList: ListObj? { if case .obj(let o) = self, o.kind == .list { return unsafeDowncast(o, to: ListObj.self) }; return nil }
    var asTuple: TupleObj? { if case .obj(let o) = self, o.kind == .tuple { return unsafeDowncast(o, to: TupleObj.self) }; return nil }
    var asDict: DictObj? { if case .obj(let o) = self, o.kind == .dict { return unsafeDowncast(o, to: DictObj.self) }; return nil }
    var asSet: SetObj? { if case .obj(let o) = self, o.kind == .set { return unsafeDowncast(o, to: SetObj.self) }; return nil }
    var asClass: ClassObj? { if case .obj(let o) = self, o.kind == .classObj { return unsafeDowncast(o, to: ClassObj.self) }; return nil }
    var asInstance: InstanceObj? { if case .obj(let o) = self, o.kind == .instance { return unsafeDowncast(o, to: InstanceObj.self) }; return nil }
    var asNative: NativeObject? { if case .obj(let o) = self, o.kind == .native { return unsafeDowncast(o, to: NativeObject.self) }; return nil }
    var asModule: ModuleObj? { if case .obj(let o) = self, o.kind == .module { return unsafeDowncast(o, to: ModuleObj.self) }; return nil }
    var isNone: Bool { if case .none = self { return true }; return false }
    /// None, numbers and strings: values that never refer to other values, so freeing them cannot
    /// cascade (Trashcan skips its bookkeeping for containers of only these).
    @inline(__always) var cannotNest: Bool {
        if case .obj(let o) = self { return o.kind == .str }
        return true
    }

    /// The Swift string of a `str` value (nil for anything else).
    public var stringValue: String? { asStr?.value }
    /// The Int of an `int` or `bool` value.
    public var intValue: Int? {
        switch self { case .int(let i): return i; case .bool(let b): return b ? 1 : 0; default: return nil }
    }
    /// The Double of an int, bool or float value.
    public var doubleValue: Double? {
        switch self { case .int(let i): return Double(i); case .float(let d): return d; case .bool(let b): return b ? 1 : 0; default: return nil }
    }
}
