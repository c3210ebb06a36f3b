import Foundation

/// The attribute names of an instance, in the order they were first set (a "hidden class").
///
/// Instances that set the same names in the same order — every `Vec` whose `__init__` sets `x` then
/// `y` — share one shape, so an attribute's position is a fact about the shape: a call site that saw
/// the shape once knows where the value sits without comparing names. Shared shapes live as long as the
/// process (they hang off `Shape.empty`), which is what lets sites compare them by identity. Instances
/// with unusual histories (very many names, deletions) get a private shape of their own.
final class Shape {
    /// Shapes with more names than this are private: a shared tree that deep would only serve one object.
    static let maxSharedNames = 32
    /// A shape with this many different successors stops sharing (attributes named from data).
    static let maxTransitions = 64
    /// Above this many names a private shape keeps a dictionary of positions.
    static let indexedFrom = 12

    nonisolated(unsafe) static let empty = Shape(names: [], isShared: true)
    /// Guards every shared shape's `transitions` (sessions on different threads share shapes).
    private static let lock = NSLock()

    private(set) var names: [String]
    /// True for shapes in the shared tree (immortal, never mutated); false for one instance's own shape.
    let isShared: Bool
    private var transitions: [(name: String, shape: Shape)] = []
    private var positions: [String: Int]?

    private init(names: [String], isShared: Bool) {
        self.names = names
        self.isShared = isShared
        if !isShared { reindex() }
    }

    var count: Int { names.count }

    /// Names are compared by length first: equal names are usually the same literal (identical bits,
    /// String's own fast path) and most different ones differ in length.
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    /// The position of `name`, if this shape has it.
    @inline(__always)
    func index(of name: String) -> Int? {
        if let positions { return positions[name] }
        for i in names.indices where Shape.same(names[i], name) { return i }
        return nil
    }

    /// The shape after adding `name` (not already present): the shared successor when there is one to
    /// share, else a new private shape.
    func adding(_ name: String) -> Shape {
        guard isShared, names.count < Shape.maxSharedNames else { return Shape(names: names + [name], isShared: false) }
        Shape.lock.lock()
        defer { Shape.lock.unlock() }
        for t in transitions where Shape.same(t.name, name) { return t.shape }
        let next = Shape(names: names + [name], isShared: transitions.count < Shape.maxTransitions)
        if next.isShared { transitions.append((name, next)) }
        return next
    }

    /// Adds `name` to this private shape in place (the caller owns it alone).
    func appendPrivately(_ name: String) {
        names.append(name)
        if positions != nil { positions?[name] = names.count - 1 } else if names.count > Shape.indexedFrom { reindex() }
    }

    /// A private shape with `names` minus position `i` (after `del obj.name`).
    func removing(at i: Int) -> Shape {
        var rest = names
        rest.remove(at: i)
        return Shape(names: rest, isShared: false)
    }

    /// A private copy of this shape's names.
    func privateCopy() -> Shape { Shape(names: names, isShared: false) }

    private func reindex() {
        guard names.count > Shape.indexedFrom else { positions = nil; return }
        var p: [String: Int] = [:]
        for (i, n) in names.enumerated() { p[n] = i }
        positions = p
    }
}

/// An instance's attributes: values in the order of their `Shape`, the first four stored inline (one
/// allocation per instance instead of two; freeing a small instance touches no array).
///
/// The shape is held unmanaged and compared by address: a shared shape is immortal and a private one is
/// kept alive by `ownShape`, and going through a strong reference retained and released it on every
/// access (twice per attribute read, with the site's).
///
/// The readers are `mutating` on purpose: `inst.attrs.read()` on a class's stored property then
/// works in place, where a non-mutating call first copies the table out of the instance.
struct AttrTable {
    private var shapeRef = Unmanaged.passUnretained(Shape.empty)
    private var ownShape: Shape?
    private var v0: Value = .none, v1: Value = .none, v2: Value = .none, v3: Value = .none
    private var more: [Value] = []

    @inline(__always)
    private func withShape<R>(_ body: (Shape) -> R) -> R { shapeRef._withUnsafeGuaranteedRef(body) }
    /// The shape's address: what sites compare.
    @inline(__always)
    var shapeID: UnsafeMutableRawPointer { shapeRef.toOpaque() }
    @inline(__always)
    private func index(of name: String) -> Int? { withShape { $0.index(of: name) } }

    var count: Int { withShape { $0.count } }
    var keys: [String] { withShape { $0.names } }

    @inline(__always)
    private func at(_ i: Int) -> Value {
        switch i {
        case 0: return v0
        case 1: return v1
        case 2: return v2
        case 3: return v3
        default: return more[i &- 4]
        }
    }

    @inline(__always)
    private mutating func put(_ i: Int, _ v: Value) {
        switch i {
        case 0: v0 = v
        case 1: v1 = v
        case 2: v2 = v
        case 3: v3 = v
        default: more[i &- 4] = v
        }
    }

    /// Stores the value of a new name at position `i` (one past the last value).
    @inline(__always)
    private mutating func putNew(_ v: Value, at i: Int) {
        if i < 4 { put(i, v) } else { more.append(v) }
    }

    /// Stores the value of the name `next` adds to the current shape, then moves to `next`.
    @inline(__always)
    private mutating func append(_ v: Value, movingTo next: Unmanaged<Shape>) {
        putNew(v, at: count)
        shapeRef = next
    }

    /// Adds `name` (not present) with value `v`; returns the shapes before and after when both are shared.
    @discardableResult
    private mutating func add(_ name: String, _ v: Value) -> (UnsafeMutableRawPointer, Unmanaged<Shape>)? {
        if ownShape != nil {
            // copy first when another table shares it (a copied table); checked without binding it,
            // which would itself count as a second reference
            if !isKnownUniquelyReferenced(&ownShape) { ownShape = ownShape?.privateCopy() }
            putNew(v, at: count)
            if let s = ownShape {
                s.appendPrivately(name)
                shapeRef = Unmanaged.passUnretained(s)
            }
            return nil
        }
        let before = shapeID
        let next = withShape { $0.adding(name) }
        if !next.isShared { ownShape = next }
        append(v, movingTo: Unmanaged.passUnretained(next))
        return next.isShared ? (before, Unmanaged.passUnretained(next)) : nil
    }

    subscript(name: String) -> Value? {
        mutating get { index(of: name).map { at($0) } }
        set {
            if let i = index(of: name) {
                if let v = newValue { put(i, v) } else { remove(at: i) }
            } else if let v = newValue {
                add(name, v)
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey name: String) -> Value? {
        guard let i = index(of: name) else { return nil }
        let old = at(i)
        remove(at: i)
        return old
    }

    /// Rebuilds the table without position `i`, under a private shape.
    private mutating func remove(at i: Int) {
        let next = withShape { $0.removing(at: i) }
        var t = AttrTable()
        t.shapeRef = Unmanaged.passUnretained(next)
        t.ownShape = next
        var j = 0
        for k in 0..<count where k != i { t.putNew(at(k), at: j); j += 1 }
        self = t
    }

    /// True when `name` is not an attribute here; `knownShape` remembers a shared shape without it, so
    /// a method call site need not scan the names again for the next instance of that shape.
    @inline(__always)
    mutating func lacks(_ name: String, knownShape: inout UnsafeMutableRawPointer?) -> Bool {
        if shapeID == knownShape { return true }
        if index(of: name) != nil { return false }
        if withShape({ $0.isShared }) { knownShape = shapeID }
        return true
    }

    /// True when no attribute can hold further values (see `Value.cannotNest`).
    var cannotNest: Bool {
        mutating get {
            for i in 0..<count where !at(i).cannotNest { return false }
            return true
        }
    }

    /// `name`'s value, found through `site`: when the instance has the shape the site saw last, the
    /// position is already known.
    @inline(__always)
    mutating func value(_ name: String, site: AttrSite) -> Value? {
        if shapeID == site.shape { return at(site.index) }
        guard let i = index(of: name) else { return nil }
        site.remember(shapeRef, i)
        return at(i)
    }

    /// Sets `name` through `site`, adding the attribute when it is new.
    @inline(__always)
    mutating func set(_ name: String, _ v: Value, site: AttrSite) {
        if shapeID == site.shape { put(site.index, v); return }
        if shapeID == site.grownFrom, let next = site.grownTo { append(v, movingTo: next); return }
        if let i = index(of: name) {
            put(i, v)
            site.remember(shapeRef, i)
        } else if let (before, after) = add(name, v) {
            site.grownFrom = before
            site.grownTo = after
        }
    }
}

/// A site's memory of the last shared shape it saw, by address (shared shapes are immortal, so an
/// address never comes to mean another shape): where the name sits in it, and which shape adding the
/// name leads to.
final class AttrSite {
    var shape: UnsafeMutableRawPointer?
    var index = 0
    var grownFrom: UnsafeMutableRawPointer?
    var grownTo: Unmanaged<Shape>?

    @inline(__always)
    func remember(_ s: Unmanaged<Shape>, _ i: Int) {
        if s._withUnsafeGuaranteedRef({ $0.isShared }) { shape = s.toOpaque(); index = i }
    }
}
