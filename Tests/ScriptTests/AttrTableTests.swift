import Foundation
import Testing
@testable import Script

/// Instance attributes under shared shapes (hidden classes), inline storage and the call sites that
/// remember a shape: every path against CPython's results or the table's own slow path.
extension ScriptSuite {
    /// Different orders of the same names, deletion and re-adding, tables past the inline slots, the
    /// indexed size and the shared depth, data-named attributes, method shadowing on an instance whose
    /// shape a call site already knows, `+=` through shared and private shapes. Expected output: CPython 3.11.
    @Test func attributesKeepPythonSemanticsAcrossShapes() {
        let (out, error) = runCell(ShapePrograms.program)
        #expect(error == nil)
        #expect(out == ShapePrograms.expected)
    }

    /// The table through its Swift interface: order of keys, replacing, removing, growing past the
    /// inline slots; the site-based reads and writes agree with the plain subscript for every shape.
    @Test func attributeTableAgreesWithItsSlowPath() {
        var t = AttrTable()
        let names = (0..<40).map { "n\($0)" }
        for (i, n) in names.enumerated() { t[n] = .int(i) }
        #expect(t.count == 40)
        #expect(t.keys == names)
        #expect(t["n7"]?.intValue == 7 && t["n39"]?.intValue == 39 && t["missing"] == nil)
        t["n3"] = .int(-3)
        #expect(t["n3"]?.intValue == -3 && t.count == 40)
        #expect(t.removeValue(forKey: "n0")?.intValue == 0)
        #expect(t.removeValue(forKey: "n0") == nil)
        #expect(t.keys == Array(names.dropFirst()))
        t["n0"] = .int(100)
        #expect(t.keys.last == "n0" && t["n0"]?.intValue == 100 && t["n39"]?.intValue == 39)
        let numbersOnly = t.cannotNest
        t["n5"] = .list([])
        let withAList = t.cannotNest
        #expect(numbersOnly && !withAList)

        // one read site and one write site over tables of several shapes, interleaved
        let read = AttrSite(), write = AttrSite()
        var tables: [AttrTable] = []
        for k in 0..<6 {
            var u = AttrTable()
            if k % 2 == 0 { u["a"] = .int(k); u["b"] = .int(-k) } else { u["b"] = .int(-k); u["a"] = .int(k) }
            if k >= 4 { for j in 0..<5 { u["x\(j)"] = .int(j) } }
            tables.append(u)
        }
        for k in tables.indices {
            for round in 0..<3 {  // the same table three times: the sites' remembered positions are used
                #expect(tables[k].value("a", site: read)?.intValue == k + round)
                tables[k].set("a", .int(k + round + 1), site: write)
                tables[k].set("c", .int(round), site: AttrSite())
            }
        }
        for k in tables.indices {
            #expect(tables[k]["a"]?.intValue == k + 3 && tables[k]["b"]?.intValue == -k && tables[k]["c"]?.intValue == 2)
        }
    }

    /// A copy of a table with a private shape must not see names added to the original; a table
    /// that owns its private shape alone grows it in place (no copy of all names per new attribute).
    @Test func copiedAttributeTablesDoNotShareAPrivateShape() {
        var t = AttrTable()
        for i in 0..<40 { t["p\(i)"] = .int(i) }
        let owned = t.shapeID
        t["q"] = .int(0)
        #expect(t.shapeID == owned)
        var copy = t
        t["extra"] = .int(1)
        copy["other"] = .int(2)
        #expect(t.keys.last == "extra" && t.count == 42 && t["other"] == nil)
        #expect(copy.keys.last == "other" && copy.count == 42 && copy["extra"] == nil)
        #expect(t.shapeID != copy.shapeID)
    }

    /// Sessions on several threads build instances with the same names at once: the shared shape
    /// tree is updated under its lock and every session reads its own values.
    @Test func sessionsOnManyThreadsShareShapesSafely() {
        let program = """
            class R:
                pass
            total = 0
            for i in range(300):
                r = R()
                setattr(r, "t" + str(i % 37), i)
                r.v = i * 2
                setattr(r, "u" + str(i % 11), 1)
                total += r.v + getattr(r, "t" + str(i % 37))
            print(total)
            """
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 6) { k in
            results.set(k, runCell(program).0)
        }
        let expected = String((0..<300).reduce(0) { $0 + 3 * $1 }) + "\n"
        #expect(results.all(count: 6) == Array(repeating: expected, count: 6))
    }

    /// `self.n += k` on a parameter with a plain right side (the unretained fast path): ints, floats,
    /// lists and strings, a missing attribute, an undefined right side (the target keeps its value),
    /// globals and literals, a class with `__setattr__`. Expected output: CPython 3.11.
    @Test func augmentedAssignmentToParameterAttributes() {
        let (out, error) = runCell(ShapePrograms.augmented)
        #expect(error == nil)
        #expect(out == ShapePrograms.augmentedExpected)
    }

    /// Attributes of globals read and stored in place (the unretained fast path): rebinding between
    /// accesses, a module, `__setattr__`, undefined names, non-instances. Expected output: CPython 3.11.
    @Test func globalInstanceAttributesKeepPythonSemantics() {
        let (out, error) = runCell(ShapePrograms.globals)
        #expect(error == nil)
        #expect(out == ShapePrograms.globalsExpected)
    }

    /// `Value.peekObject` reads an `.obj` payload where it lies: the layout it relies on.
    @Test func peekedObjectIsTheValuesObject() {
        let p = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        defer { p.deallocate() }
        let s = StrObj("x"), inst = InstanceObj(BuiltinTypes.object)
        for v: Value in [.obj(s), .obj(inst)] {
            p.initialize(to: v)
            guard case .obj(let o) = v else { continue }
            #expect(Value.peekObject(p)?.toOpaque() == Unmanaged.passUnretained(o).toOpaque())
            #expect((Value.peekInstance(p) != nil) == (o.kind == .instance))
            p.deinitialize(count: 1)
        }
        let q = UnsafeMutablePointer<Value?>.allocate(capacity: 1)
        defer { q.deallocate() }
        for v: Value? in [.obj(s), .obj(inst), nil, .int(3), Value.none] {
            q.initialize(to: v)
            if case .obj(let o)? = v {
                #expect(Value.peekObject(q)?.toOpaque() == Unmanaged.passUnretained(o).toOpaque())
            } else {
                #expect(Value.peekObject(q) == nil)
            }
            q.deinitialize(count: 1)
        }
        let address = Int(bitPattern: Unmanaged.passUnretained(s).toOpaque())
        for v: Value in [.none, .bool(true), .int(address), .float(1.5), .int(0)] {
            p.initialize(to: v)
            #expect(Value.peekObject(p) == nil)
            p.deinitialize(count: 1)
        }
    }
}

/// Results written from several threads.
private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: String] = [:]
    func set(_ k: Int, _ v: String) { lock.lock(); values[k] = v; lock.unlock() }
    func all(count: Int) -> [String] { lock.lock(); defer { lock.unlock() }; return (0..<count).map { values[$0] ?? "" } }
}

enum ShapePrograms {
    static let program = """
class P:
    def __init__(self, a, b, first_a=True):
        if first_a:
            self.a = a
            self.b = b
        else:
            self.b = b
            self.a = a
    def total(self):
        return self.a * 10 + self.b

def get_a(o):
    return o.a

def set_c(o, v):
    o.c = v

ps = [P(i, i + 1, i % 2 == 0) for i in range(6)]
print([get_a(p) for p in ps], [p.total() for p in ps])
for p in ps:
    set_c(p, p.a * 100)
print([p.c for p in ps], [get_a(p) + p.c for p in ps])

# the same shape again and again: positions a site remembers, for reads, writes and growth
same = [P(i, -i) for i in range(5)]
for p in same:
    set_c(p, p.b * 2)
print([p.b for p in same], [p.total() for p in same], [p.c for p in same])

# deleting and re-adding moves a name to the end; the other attributes keep their values
q = P(1, 2)
q.c = 3
del q.a
print(hasattr(q, "a"), q.b, q.c, sorted(dir(q))[-3:])
q.a = 7
print(get_a(q), q.total(), q.b, q.c)
try:
    del q.zz
except AttributeError as e:
    print("AttributeError", e)

# many attributes: past the inline ones, past the indexed size, past the shared depth
class Bag:
    pass

def fill(n):
    b = Bag()
    for i in range(n):
        setattr(b, "f" + str(i), i * i)
    return b

for n in [3, 4, 5, 13, 33, 40]:
    b = fill(n)
    print(n, getattr(b, "f" + str(n - 1)), sum(getattr(b, "f" + str(i)) for i in range(n)))
big = fill(40)
del big.f0
del big.f20
print(hasattr(big, "f0"), big.f39, big.f21, big.f19)
big.f0 = "back"
print(big.f0, big.f39)

# many different attribute names on fresh instances (shapes stop being shared)
objs = []
for i in range(200):
    o = Bag()
    setattr(o, "k" + str(i), i)
    o.common = -i
    objs.append(o)
print(sum(o.common for o in objs), getattr(objs[150], "k150"))

# an instance attribute shadowing a method, on an instance whose shape a call site already saw
class M:
    def __init__(self):
        self.x = 1
    def f(self):
        return "method"

def call_f(o):
    return o.f()

m1, m2 = M(), M()
print(call_f(m1), call_f(m2))
m2.f = lambda: "attribute"
print(call_f(m1), call_f(m2))
del m2.f
print(call_f(m2))

# augmented assignment on attributes through shared and private shapes
class Acc:
    def __init__(self):
        self.n = 0
    def add(self, k):
        self.n += k
        return self.n

accs = [Acc() for _ in range(3)]
accs[1].extra = 5
del accs[2].n
accs[2].n = 100
for a in accs:
    for k in range(4):
        a.add(k)
print([a.n for a in accs])
"""
    static let expected = """
[0, 1, 2, 3, 4, 5] [1, 12, 23, 34, 45, 56]
[0, 100, 200, 300, 400, 500] [0, 101, 202, 303, 404, 505]
[0, -1, -2, -3, -4] [0, 9, 18, 27, 36] [0, -2, -4, -6, -8]
False 2 3 ['b', 'c', 'total']
7 72 2 3
AttributeError 'P' object has no attribute 'zz'
3 4 5
4 9 14
5 16 30
13 144 650
33 1024 11440
40 1521 20540
False 1521 441 361
back 1521
-19900 150
method method
method attribute
method
[6, 6, 106]

"""
    static let augmented = """
class A:
    def __init__(self):
        self.n = 0
        self.f = 1.5
        self.l = [1]
        self.s = "a"
    def bump(self, k):
        self.n += k
        self.f *= k
        self.l += [k]
        self.s += str(k)
        return self.n
    def missing(self, k):
        self.zz += k
    def undefined(self):
        self.n += nope
a = A()
for k in range(1, 4):
    a.bump(k)
print(a.n, a.f, a.l, a.s)
try:
    a.missing(1)
except AttributeError as e:
    print("AttributeError", e)
try:
    a.undefined()
except NameError as e:
    print("NameError", e, a.n)
# the right side may be a global, a literal or another parameter; a subclass with __setattr__
total = 10
def add_global(o):
    o.n += total
    o.n -= 1
    o.f += 0.25
add_global(a)
print(a.n, a.f)
class B(A):
    def __setattr__(self, k, v):
        print("set", k, v)
b = B()
try:
    b.bump(2)
except AttributeError as e:
    print('AttributeError', e)
b.n = 5
"""
    static let augmentedExpected = """
6 9.0 [1, 1, 2, 3] a123
AttributeError 'A' object has no attribute 'zz'
NameError name 'nope' is not defined 6
15 9.25
set n 0
set f 1.5
set l [1]
set s a
AttributeError 'B' object has no attribute 'n'
set n 5

"""
    static let globals = """
import math
class P:
    def __init__(self):
        self.x = 1
        self.y = 2
class Loud:
    def __setattr__(self, k, v):
        print("setattr", k, v)
p = P()
q = P()
q.y = 20
total = 0
for i in range(4):
    total += p.x + p.y + q.y
    p.x = i
    q = P() if i % 2 else q
print(total, p.x, q.y, math.pi > 3)
loud = Loud()
loud.a = 5
print(hasattr(loud, "a"))
try:
    print(nothing.x)
except NameError as e:
    print("NameError", e)
try:
    nothing.x = 1
except NameError as e:
    print("NameError", e)
try:
    print(p.missing)
except AttributeError as e:
    print("AttributeError", e)
p = 5
try:
    p.x = 1
except AttributeError as e:
    print("AttributeError", e)
try:
    print(p.x)
except AttributeError as e:
    print("AttributeError", e)
def f():
    global p
    p = P()
    p.x = 42
    return p.x + p.y
print(f(), p.x)
"""
    static let globalsExpected = """
56 3 2 True
setattr a 5
False
NameError name 'nothing' is not defined
NameError name 'nothing' is not defined
AttributeError 'P' object has no attribute 'missing'
AttributeError 'int' object has no attribute 'x'
AttributeError 'int' object has no attribute 'x'
44 42

"""
}
