/// A hashable view of a value (Python's hash/eq: `1 == 1.0 == True`, strings and tuples by content).
struct HashKey: Hashable {
    let value: Value
    init(_ v: Value) throws {
        switch v {
        case .obj(let o):
            switch o.kind {
            case .list, .dict, .set: throw ScriptError(.typeError, "unhashable type: '\(typeName(v))'")
            case .tuple: for x in unsafeDowncast(o, to: TupleObj.self).items { _ = try HashKey(x) }
            default: break
            }
        default: break
        }
        value = v
    }
    init(unchecked v: Value) { value = v }

    static func == (a: HashKey, b: HashKey) -> Bool { keyEqual(a.value, b.value) }

    func hash(into h: inout Hasher) { HashKey.hashValue(value, &h) }

    /// Numbers skip SipHash (a splitmix64 finalizer is enough for dictionary buckets).
    func _rawHashValue(seed: Int) -> Int {
        switch value {
        case .int(let i): return HashKey.mix(i, seed)
        case .bool(let b): return HashKey.mix(b ? 1 : 0, seed)
        case .float(let d) where d == d.rounded() && Swift.abs(d) < 9.2e18: return HashKey.mix(Int(d), seed)
        default:
            var h = Hasher()
            h.combine(seed)
            HashKey.hashValue(value, &h)
            return h.finalize()
        }
    }

    @inline(__always)
    static func mix(_ i: Int, _ seed: Int) -> Int {
        var x = UInt64(bitPattern: Int64(i)) ^ UInt64(bitPattern: Int64(seed))
        x = (x ^ (x >> 30)) &* 0xbf58476d1ce4e5b9
        x = (x ^ (x >> 27)) &* 0x94d049bb133111eb
        return Int(bitPattern: UInt(x ^ (x >> 31)))
    }

    /// Tuples nested deeper than this hash by their outer levels only (deterministic, so equal
    /// keys still hash alike; the native recursion stays bounded).
    static let maxHashDepth = 100

    static func hashValue(_ v: Value, _ h: inout Hasher, depth: Int = 0) {
        switch v {
        case .none: h.combine(0 as UInt8)
        case .bool(let b): h.combine(b ? 1 : 0)
        case .int(let i): h.combine(i)
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { h.combine(Int(d)) } else { h.combine(d) }
        case .obj(let o):
            switch o.kind {
            case .str: h.combine(unsafeDowncast(o, to: StrObj.self).value)
            case .tuple:
                let items = unsafeDowncast(o, to: TupleObj.self).items
                h.combine(items.count)
                if depth < maxHashDepth { for x in items { hashValue(x, &h, depth: depth + 1) } }
            default: h.combine(ObjectIdentifier(o))
            }
        }
    }
}

/// Equality used for dict keys and `in` (no user `__eq__`).
func keyEqual(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.none, .none): return true
    case (.int(let x), .int(let y)): return x == y
    case (.obj(let x), .obj(let y)):
        if x === y { return true }
        if x.kind == .str && y.kind == .str { return unsafeDowncast(x, to: StrObj.self).value == unsafeDowncast(y, to: StrObj.self).value }
        if x.kind == .tuple && y.kind == .tuple {
            let p = unsafeDowncast(x, to: TupleObj.self).items, q = unsafeDowncast(y, to: TupleObj.self).items
            return p.count == q.count && zip(p, q).allSatisfy { keyEqual($0, $1) }
        }
        return false
    default:
        if let x = a.numeric, let y = b.numeric { return x == y }
        return false
    }
}

extension Value {
    /// Numbers (bool, int, float) as Double for mixed comparisons.
    var numeric: Double? {
        switch self { case .int(let i): return Double(i); case .float(let d): return d; case .bool(let b): return b ? 1 : 0; default: return nil }
    }
}

/// An insertion-ordered dictionary: entries in arrays, an open-addressing table of entry indices
/// (linear probing), and a hash per entry. Int keys hash without SipHash.
public final class DictObj: Obj {
    private var table: [Int32] = []           // -1 empty, -2 deleted, else entry index
    private var hashes: [Int] = []
    var keys: [Value] = []
    var values: [Value] = []
    private var alive: [Bool] = []
    private(set) var live = 0
    private var used = 0                      // table slots not empty (live + deleted)
    public init() { super.init(kind: .dict) }
    deinit {
        Trashcan.dispose(&values)
        Trashcan.dispose(&keys)
    }

    var count: Int { live }

    /// Numbers hash to their integer value, like CPython: consecutive int keys land in consecutive
    /// slots (cache-friendly), and the perturbed probe in `find` keeps patterned keys from clustering.
    @inline(__always)
    static func hashOf(_ k: Value) -> Int {
        switch k {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .float(let d) where d == d.rounded() && Swift.abs(d) < 9.2e18: return Int(d)
        case .obj(let o) where o.kind == .str: return unsafeDowncast(o, to: StrObj.self).cachedHash
        default: return HashKey(unchecked: k)._rawHashValue(seed: 0)
        }
    }

    /// A string key's hash. Keys are equal when Swift's `==` says so, which takes canonically
    /// equivalent strings as equal. An ASCII string can only equal itself, unless it has `K`, `;` or
    /// `` ` `` (the three ASCII characters that non-ASCII ones, U+212A, U+037E and U+1FEF, decompose
    /// to): such strings hash their bytes with FNV-1a, far cheaper than SipHash on short keys;
    /// all others take Swift's hash, which is consistent with `==`.
    static func stringHash(_ s: String) -> Int {
        var s = s
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let plain = s.withUTF8 { bytes -> Bool in
            for b in bytes {
                if b >= 0x80 || b == 0x4B || b == 0x3B || b == 0x60 { return false }
                h = (h ^ UInt64(b)) &* 0x100_0000_01b3
            }
            return true
        }
        // (the high bits folded in: the table's first probe uses the low ones)
        return plain ? Int(bitPattern: UInt(h ^ (h >> 32))) : s.hashValue
    }

    /// The next slot of the probe sequence (CPython's recurrence: every slot is reached once the
    /// perturbation, the hash's high bits, has shifted out).
    @inline(__always)
    private static func probe(_ i: Int, _ perturb: inout UInt, _ mask: Int) -> Int {
        perturb >>= 5
        return (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }

    /// The table slot holding `k`, or the slot where it would go (negative: -(slot+1)).
    @inline(__always)
    private func find(_ k: Value, _ h: Int) -> Int {
        let mask = table.count - 1
        var i = h & mask
        var perturb = UInt(bitPattern: h)
        var firstDeleted = -1
        while true {
            let e = Int(table[i])
            if e == -1 { return -((firstDeleted >= 0 ? firstDeleted : i) + 1) }
            if e == -2 { if firstDeleted < 0 { firstDeleted = i } }
            else if hashes[e] == h && keyEqual(keys[e], k) { return i }
            i = DictObj.probe(i, &perturb, mask)
        }
    }

    private func grow() {
        let newSize = max(8, (live * 3).nextPowerOf2)
        if live < keys.count { compactEntries() }
        table = [Int32](repeating: -1, count: newSize)
        used = 0
        let mask = newSize - 1
        for e in keys.indices {
            var i = hashes[e] & mask
            var perturb = UInt(bitPattern: hashes[e])
            while table[i] != -1 { i = DictObj.probe(i, &perturb, mask) }
            table[i] = Int32(e); used += 1
        }
    }

    private func compactEntries() {
        var nk: [Value] = [], nv: [Value] = [], nh: [Int] = []
        nk.reserveCapacity(live); nv.reserveCapacity(live); nh.reserveCapacity(live)
        for i in keys.indices where alive[i] { nk.append(keys[i]); nv.append(values[i]); nh.append(hashes[i]) }
        keys = nk; values = nv; hashes = nh; alive = [Bool](repeating: true, count: nk.count)
    }

    /// `k`'s hash for this table; TypeError for unhashable keys. Ints and strings (the common keys)
    /// skip the `HashKey` check, which has nothing to reject for them.
    @inline(__always)
    static func keyHash(_ k: Value) throws -> Int {
        switch k {
        case .int(let i): return i
        case .obj(let o) where o.kind == .str: return unsafeDowncast(o, to: StrObj.self).cachedHash
        default: return hashOf(try HashKey(k).value)
        }
    }

    func get(_ k: Value) throws -> Value? {
        let h = try DictObj.keyHash(k)
        if table.isEmpty { return nil }
        let slot = find(k, h)
        return slot >= 0 ? values[Int(table[slot])] : nil
    }
    func get(string k: String) -> Value? { try? get(.str(k)) }

    func set(_ k: Value, _ v: Value) throws {
        let h = try DictObj.keyHash(k)
        if (used + 1) * 3 > table.count * 2 { grow() }
        let slot = find(k, h)
        if slot >= 0 { values[Int(table[slot])] = v; return }
        let at = -slot - 1
        if table[at] == -1 { used += 1 }
        table[at] = Int32(keys.count)
        keys.append(k); values.append(v); hashes.append(h); alive.append(true); live += 1
    }

    @discardableResult
    func remove(_ k: Value) throws -> Value? {
        let h = try DictObj.keyHash(k)
        if table.isEmpty { return nil }
        let slot = find(k, h)
        guard slot >= 0 else { return nil }
        let e = Int(table[slot])
        table[slot] = -2
        let v = values[e]
        alive[e] = false; keys[e] = .none; values[e] = .none; live -= 1
        if live * 2 < keys.count && keys.count > 16 { grow() }
        return v
    }
    func clear() { table = []; hashes = []; keys = []; values = []; alive = []; live = 0; used = 0 }
    var orderedKeys: [Value] { live == keys.count ? keys : keys.indices.compactMap { alive[$0] ? keys[$0] : nil } }
    var orderedItems: [(Value, Value)] { keys.indices.compactMap { alive[$0] ? (keys[$0], values[$0]) : nil } }
    var orderedValues: [Value] { live == keys.count ? values : keys.indices.compactMap { alive[$0] ? values[$0] : nil } }
}

extension Int {
    var nextPowerOf2: Int { var p = 1; while p < self { p <<= 1 }; return p }
}

public final class SetObj: Obj {
    var dict = DictObj()
    public init() { super.init(kind: .set) }
    func add(_ v: Value) throws { try dict.set(v, .none) }
    func contains(_ v: Value) throws -> Bool { try dict.get(v) != nil }
    var items: [Value] { dict.orderedKeys }
}

extension Value {
    /// The heap object's kind; nil for None, bools and numbers.
    @inline(__always) var objKind: ObjKind? { if case .obj(let o) = self { return o.kind }; return nil }
}

/// A call site's memory of whether `dict.get` is still the built-in it was compiled against, so
/// `d.get(k, default)` can go straight to `DictObj.get`; looked at again only after some class's
/// attributes changed (`ClassObj.epoch`).
final class DictGetSite {
    private let cls: ClassObj
    private let original: Obj?
    private var epoch = -1, builtin = false
    init(_ cls: ClassObj = BuiltinTypes.dict) {
        self.cls = cls
        if case .obj(let g)? = cls.attrs["get"] { original = g } else { original = nil }
    }

    @inline(__always)
    var isBuiltin: Bool {
        if epoch != ClassObj.epoch { recheck() }
        return builtin
    }
    private func recheck() {
        epoch = ClassObj.epoch
        if let original, case .obj(let g)? = cls.attrs["get"] { builtin = g === original } else { builtin = false }
    }
}

/// A compiled function body with its parameter layout.
final class CodeObj {
    let name: String
    var qualname: String
    let params: Params
    let paramNames: [String]     // positional names then kw-only
    let nslots: Int
    let varargsSlot: Int?, kwargsSlot: Int?
    let cellSlots: [Int]          // parameter slots that must be boxed at entry
    let freeSlots: [Int]          // slots receiving the closure's cells
    let doc: String?
    let source: SourceFile
    let line: Int
    let body: ExecFn
    let simple: Bool              // positional params only, no cells: the fast call path applies
    /// Slots holding parameters (positional, *args, kw-only, **kw), always bound at entry.
    let paramSlotCount: Int
    /// The number of positional parameters when `simple`, else -1: call sites compare one Int.
    let fastArity: Int
    init(name: String, params: Params, nslots: Int, varargsSlot: Int?, kwargsSlot: Int?, cellSlots: [Int], freeSlots: [Int], doc: String?, source: SourceFile, line: Int, body: @escaping ExecFn) {
        self.name = name; self.qualname = name; self.params = params; self.nslots = nslots
        self.paramNames = params.names + params.kwonly
        self.varargsSlot = varargsSlot; self.kwargsSlot = kwargsSlot
        self.cellSlots = cellSlots; self.freeSlots = freeSlots; self.doc = doc; self.source = source; self.line = line
        self.body = body
        simple = varargsSlot == nil && kwargsSlot == nil && params.kwonly.isEmpty && cellSlots.isEmpty
        paramSlotCount = params.names.count + params.kwonly.count + (varargsSlot == nil ? 0 : 1) + (kwargsSlot == nil ? 0 : 1)
        fastArity = simple ? params.names.count : -1
    }
}

/// A user function: code plus its defaults and captured cells.
final class FunctionObj: Obj {
    let code: CodeObj
    var defaults: [Value]
    var kwDefaults: [Value?]
    let closure: [CellObj]
    let hasClosure: Bool
    var attrs: [String: Value] = [:]
    init(code: CodeObj, defaults: [Value], kwDefaults: [Value?], closure: [CellObj]) {
        self.code = code; self.defaults = defaults; self.kwDefaults = kwDefaults; self.closure = closure
        hasClosure = !closure.isEmpty
        super.init(kind: .function)
    }
}

/// A native function from the binding table (optionally bound to a receiver).
final class BuiltinObj: Obj {
    let function: NativeFunction
    init(_ f: NativeFunction) { function = f; super.init(kind: .builtin) }

    /// A call with one positional argument and no keywords: through `unary` when there is one.
    /// (A method here, not on NativeFunction: calling through a copy of the struct retained its fields.)
    @inline(__always)
    func callOne(_ x: Value) throws -> Value {
        if let unary = function.unary { return try unary(x) }
        return try function.call(Arguments([x], functionName: function.name))
    }
}

final class BoundMethodObj: Obj {
    let receiver: Value
    let function: Value
    init(_ r: Value, _ f: Value) { receiver = r; function = f; super.init(kind: .boundMethod) }
}

/// A class: user classes, built-in types (int, list, …), exception types and native types.
public final class ClassObj: Obj {
    public let name: String
    public let base: ClassObj?
    var attrs: [String: Value] { didSet { ClassObj.epoch &+= 1 } }
    /// Bumped whenever any class's attributes change; call sites cache method lookups against it.
    nonisolated(unsafe) static var epoch = 0
    private var cacheEpoch = -1
    private var cacheValid: Bool { cacheEpoch == ClassObj.epoch }
    private var cachedNew: Value?
    /// The native constructor of a built-in or native type (`int(…)`, `str(…)`), if any.
    var builtinConstructor: Value? { if !cacheValid { fillCache() }; return cachedNew }
    private var cachedInit: Value?, cachedSetattr = false, cachedException = false
    /// Hot-path facts about the class, recomputed after its attributes change.
    private func fillCache() {
        cachedInit = lookup("__init__")
        if let n = attrs["__new__"], case .obj(let o) = n, o.kind == .builtin { cachedNew = n } else { cachedNew = nil }
        cachedSetattr = lookup("__setattr__") != nil
        cachedException = isSubclass(of: ExceptionClasses.baseException)
        cacheEpoch = ClassObj.epoch
    }
    var initFunction: Value? { if !cacheValid { fillCache() }; return cachedInit }
    var hasCustomSetattr: Bool { if !cacheValid { fillCache() }; return cachedSetattr }
    var isException: Bool { if !cacheValid { fillCache() }; return cachedException }
    /// For a native type (or a class deriving from one): the binding-table entry.
    let nativeType: NativeType?
    /// True for built-in value types (int, str, list, …) that cannot be subclassed here.
    var isBuiltinValueType = false
    var doc: String?
    init(name: String, base: ClassObj?, attrs: [String: Value] = [:], nativeType: NativeType? = nil) {
        self.name = name; self.base = base; self.attrs = attrs
        self.nativeType = nativeType ?? base?.nativeType
        super.init(kind: .classObj)
    }
    /// A new class may reuse a freed one's address: call-site caches keyed by class identity
    /// (`MethodCache`, `BuiltinMethodCache`) must not take it for the old class.
    deinit { ClassObj.epoch &+= 1 }
    @inline(__always)
    func lookup(_ n: String) -> Value? {
        var c: ClassObj? = self
        while let k = c { if let v = k.attrs[n] { return v }; c = k.base }
        return nil
    }
    func isSubclass(of other: ClassObj) -> Bool {
        var c: ClassObj? = self
        while let k = c { if k === other { return true }; c = k.base }
        return false
    }
}

/// An instance of a user class. When the class derives from a native type, `native` holds the
/// native part made by the native `__init__`.
public final class InstanceObj: Obj {
    public let cls: ClassObj
    var attrs = AttrTable()
    public var native: NativeObject?
    init(_ c: ClassObj) { cls = c; super.init(kind: .instance) }
    /// True when `obj.name = v` is a plain store into `attrs` (no native side, no `__setattr__`).
    var storesAttributesPlainly: Bool { native == nil && !cls.hasCustomSetattr }
    deinit {
        // linked lists of instances; an instance of plain numbers and strings ends any chain
        if !attrs.cannotNest { Trashcan.dispose(&attrs, replacingWith: AttrTable()) }
    }
}

/// A built-in module (`sys`, `nn`, `plot`, …): named members from the binding table.
public final class ModuleObj: Obj {
    public let name: String
    public let doc: String
    private var storedMembers: [String: Value] = [:]
    /// Makes the members on first use (a built-in module's binding may itself be filled lazily).
    var pendingMembers: ((ModuleObj) -> Void)?
    init(name: String, doc: String) { self.name = name; self.doc = doc; super.init(kind: .module) }

    var members: [String: Value] {
        get { fillMembers(); return storedMembers }
        _modify { fillMembers(); yield &storedMembers }
    }

    private func fillMembers() {
        guard let fill = pendingMembers else { return }
        pendingMembers = nil
        fill(self)
    }

    /// Sets a member while the module is being made (no fill triggered).
    func setMember(_ name: String, _ v: Value) { storedMembers[name] = v }
}

/// Wraps a Swift object of a native type (a tensor, a figure, a layer) as a script value.
public final class NativeObject: Obj {
    public let type: NativeType
    public let payload: AnyObject
    public init(type: NativeType, payload: AnyObject) { self.type = type; self.payload = payload; super.init(kind: .native) }
}

/// A sentinel in local slots that were never assigned.
final class UnboundMarker: Obj {
    static let shared = UnboundMarker()
    init() { super.init(kind: .ellipsis) }
}

/// A call site's memory of which plain method `obj.name(...)` resolved to, per class.
final class MethodCache {
    unowned(unsafe) var cls: ClassObj?
    var epoch = -1
    var fn: FunctionObj?
    /// A shared shape seen without an instance attribute `name` (see `AttrTable.lacks`).
    var plainShape: UnsafeMutableRawPointer?

    /// The same for a receiver held in `r` (nil unless it is an instance), looked at where it lies:
    /// binding its object at the call site cost a retain and a release per call.
    @inline(__always)
    func lookup(receiver r: inout Value, _ name: String, nargs: Int) -> FunctionObj? {
        guard let inst = withUnsafeMutablePointer(to: &r, { Value.peekInstance($0) }) else { return nil }
        return inst._withUnsafeGuaranteedRef { lookup($0, name, nargs: nargs) }
    }

    /// The simple user method `name` of `inst`'s class, unless an instance attribute shadows it.
    @inline(__always)
    func lookup(_ inst: InstanceObj, _ name: String, nargs: Int) -> FunctionObj? {
        if cls !== inst.cls || epoch != ClassObj.epoch {
            cls = inst.cls; epoch = ClassObj.epoch; fn = nil
            if let m = inst.cls.lookup(name), case .obj(let fo) = m, fo.kind == .function {
                let f = unsafeDowncast(fo, to: FunctionObj.self)
                if f.code.fastArity == nargs + 1 { fn = f }
            }
        }
        guard let f = fn, inst.attrs.lacks(name, knownShape: &plainShape) else { return nil }
        return f
    }
}

/// A call site's memory of a built-in type's method (`d.get`, `s.split`), per class.
final class BuiltinMethodCache {
    unowned(unsafe) var cls: ClassObj?
    var epoch = -1
    var fn: NativeFunction?
    /// The method object `fn` came from, so a site can tell the original built-in from a replacement.
    unowned(unsafe) var source: Obj?

    @inline(__always)
    func lookup(_ vm: VM, _ recv: Value, _ name: String) -> NativeFunction? {
        guard case .obj(let o) = recv, o.kind == .str || o.kind == .list || o.kind == .dict || o.kind == .set || o.kind == .tuple else { return nil }
        let c = vm.classOf(recv)
        if cls !== c || epoch != ClassObj.epoch {
            cls = c; epoch = ClassObj.epoch; fn = nil; source = nil
            if let m = c.attrs[name], case .obj(let f) = m, f.kind == .builtin { fn = unsafeDowncast(f, to: BuiltinObj.self).function; source = f }
        }
        return fn
    }
}
