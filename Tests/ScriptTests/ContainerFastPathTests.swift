import Testing
@testable import Script

/// The container fast paths (`d.get(k, default)` at a call site, `d[k]` reads and writes, loops and
/// comprehensions over lists by index, module-level loop targets stored straight into their global,
/// `str(int)`, `str + str`) against Python. Expected outputs come from CPython 3.11; each program also
/// runs the same operations through general paths (functions, `getattr`, `dict.get(d, …)`), so a fast
/// path that disagreed with them would show in the output.
extension ScriptSuite {
    @Test func dictFastPathsMatchPython() {
        let (out, error) = runCell(ContainerFastPathPrograms.dicts)
        #expect(error == nil)
        #expect(out == ContainerFastPathPrograms.dictsExpected)
    }

    @Test func listLoopsAndModuleLevelTargetsMatchPython() {
        let (out, error) = runCell(ContainerFastPathPrograms.loops)
        #expect(error == nil)
        #expect(out == ContainerFastPathPrograms.loopsExpected)
    }

    @Test func intToStringAndConcatenationMatchPython() {
        let (out, error) = runCell(ContainerFastPathPrograms.strings)
        #expect(error == nil)
        #expect(out == ContainerFastPathPrograms.stringsExpected)
    }

    /// A module-level name that was never bound, or was deleted, is still a NameError with Python's message.
    @Test func unboundGlobalsRaiseNameError() {
        #expect(runCell("for i in range(2):\n    pass\ndel i\nprint(i)") == ("", "NameError"))
        #expect(runCell("d = {}\nd[k] = 1") == ("", "NameError"))
        #expect(runCell("d = {}\nprint(d.get(k, 0))") == ("", "NameError"))
        #expect(runCell("print([1][j])") == ("", "NameError"))
    }

    /// `decimalString` against Swift's own integer printing at the edges and around powers of ten.
    @Test func decimalStringMatchesSwift() {
        var xs = [0, 1, -1, 9, 10, -10, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var p = 1
        for _ in 0..<18 { p *= 10; xs += [p - 1, p, p + 1, -p + 1, -p, -p - 1] }
        for x in xs { #expect(decimalString(x) == String(x)) }
    }

    /// String keys hash their bytes when that is safe; strings Swift's `==` takes as equal (canonical
    /// equivalents such as "K" and the Kelvin sign) must still hash alike and meet as one key. (This pins
    /// the interpreter's own rule, `==` on strings being Swift's, as it was before the byte hash;
    /// CPython compares code points and would keep "K" and "\u212a" apart.)
    @Test func stringKeysHashConsistentlyWithEquality() {
        let pairs: [(String, String)] = [("K", "\u{212A}"), ("a;b", "a\u{037E}b"), ("`x", "\u{1FEF}x"),
                                         ("\u{E9}", "e\u{301}"), ("w12", "w" + String(12)), (String(repeating: "ab", count: 40), String(repeating: "ab", count: 40))]
        for (a, b) in pairs {
            #expect(a == b)
            #expect(DictObj.stringHash(a) == DictObj.stringHash(b))
        }
        #expect(DictObj.stringHash("w1") != DictObj.stringHash("w2"))
        let (out, error) = runCell(#"""
            d = {"K": 1, "a;b": 2, "é": 3, "plain": 4}
            d["\u212a"] = 10
            print(d["K"], d.get("a\u037eb", 0), d.get("e\u0301", 0), "plain" in d, d.get("pla" + "in"), len(d))
            """#)
        #expect(error == nil)
        #expect(out == "10 2 3 True 4 4\n")
    }

    /// The `d.get` site checks again after any class change whether `get` is still the built-in.
    @Test func dictGetSiteNoticesAReplacedGet() {
        guard let original = BuiltinTypes.dict.attrs["get"] else { Issue.record("dict has no get"); return }
        let cls = ClassObj(name: "probe", base: nil, attrs: ["get": original])
        let site = DictGetSite(cls)
        #expect(site.isBuiltin)
        cls.attrs["get"] = .int(1)
        #expect(!site.isBuiltin)
        cls.attrs["get"] = original
        #expect(site.isBuiltin)
        cls.attrs["get"] = nil
        #expect(!site.isBuiltin)
    }
}

enum ContainerFastPathPrograms {
    static let dicts = #"""
# dict.get at a call site, module level and in a function
d = {1: 'one', 'a': 'A', (1, 2): 'pair'}
print(d.get(1, 0), d.get(1.0, 0), d.get(True, 0), d.get('a', 0), d.get((1, 2), 0), d.get((1.0, 2), 0))
print(d.get(2, 'dflt'), d.get(0, None), d.get('b', []), d.get(False, 'f'))
try:
    d.get([1], 0)
except TypeError as e:
    print('TypeError', e)
e = {}
print(e.get('x', 5))
try:
    e.get({}, 5)
except TypeError as e2:
    print('TypeError', e2)
def count(ws):
    c = {}
    for w in ws:
        c[w] = c.get(w, 0) + 1
    return c
words = {}
for i in range(30):
    k = "w" + str(i % 7)
    words[k] = words.get(k, 0) + 1
print(words == count(["w" + str(i % 7) for i in range(30)]), words)
class G:
    def get(self, k, default):
        return ('G.get', k, default)
g = G()
print(g.get(1, 2))
print(d.get(1, 0), getattr(d, 'get')(1, 0), dict.get(d, 'zz', 'z'))
# keys equal across int, float and bool keep the first key object
m = {}
m[1] = 'int'
m[1.0] = 'float'
m[True] = 'bool'
print(m, m[1], m[1.0], m[True], len(m))
m[2.0] = 'two'
print(m, m[2], m.get(2, 0))
try:
    m['missing']
except KeyError as e4:
    print('KeyError', e4)
try:
    m[[1]] = 2
except TypeError as e5:
    print('TypeError', e5)
try:
    m[{1: 2}]
except TypeError as e6:
    print('TypeError', e6)
# deletions leave tombstones the fast paths must skip
t = {}
for i in range(50):
    t[i] = i
for i in range(0, 50, 3):
    del t[i]
for i in range(0, 50, 6):
    t[i] = -i
print(len(t), sum(t.values()), list(t)[:8], t.get(3, 'gone'), t.get(6, 'gone'))
print(sum({i: i * 2 for i in range(10)}.values()), {k: v for k, v in [(1, 'a'), (1.0, 'b')]})
x5 = 5
try:
    x5[0]
except TypeError as e7:
    print('TypeError', e7)
try:
    x5[0] = 1
except TypeError as e8:
    print('TypeError', e8)
try:
    None[0] = 1
except TypeError as e9:
    print('TypeError', e9)
try:
    [].get(1, 2)
except AttributeError as e10:
    print('AttributeError', e10)
t3 = (1, 2, 3)
xs3 = [1, 2, 3]
xs3[-1] = 30
xs3[0] = xs3[-3] + 1
try:
    xs3[3] = 0
except IndexError as e11:
    print('IndexError', e11)
try:
    print(xs3[-4])
except IndexError as e12:
    print('IndexError', e12)
print(t3[-1], 'abc'[1], range(10)[-2], {1: 2}[True], xs3, xs3[True], xs3[1:])
def local_subscripts(d, xs, k):
    d[k] = xs[k] + 1
    return d[k], d.get(k, 0), d.get(-k, 'none')
print(local_subscripts({}, [5, 6, 7], 2), local_subscripts({2: 0}, (1, 2, 3), -1))

"""#
    static let dictsExpected = #"""
one one one A pair pair
dflt None [] f
TypeError unhashable type: 'list'
5
TypeError unhashable type: 'dict'
True {'w0': 5, 'w1': 5, 'w2': 4, 'w3': 4, 'w4': 4, 'w5': 4, 'w6': 4}
('G.get', 1, 2)
one one z
{1: 'bool'} bool bool bool 1
{1: 'bool', 2.0: 'two'} two two
KeyError 'missing'
TypeError unhashable type: 'list'
TypeError unhashable type: 'dict'
42 601 [1, 2, 4, 5, 7, 8, 10, 11] gone -6
90 {1: 'b'}
TypeError 'int' object is not subscriptable
TypeError 'int' object does not support item assignment
TypeError 'NoneType' object does not support item assignment
AttributeError 'list' object has no attribute 'get'
IndexError list assignment index out of range
IndexError list index out of range
3 b 8 2 [2, 2, 30] 2 [2, 30]
(8, 8, 'none') (4, 4, 'none')

"""#
    static let loops = #"""
# module-level loop targets are globals: visible after the loop, deletable, rebindable
for i in range(3):
    pass
print(i)
del i
try:
    print(i)
except NameError as e:
    print('NameError', e)
for i in range(5, 0, -2):
    last = i
print(i, last)
for i in []:
    pass
print(i)
total = 0
for x in [1, 2, 3]:
    total += x
print(x, total)
del x
try:
    x
except NameError as e:
    print('NameError', e)
# appending while iterating a list: the loop sees the new items (bounded here)
xs = [1, 2, 3]
for v in xs:
    if v < 4:
        xs.append(v + 3)
print(xs, v)
# removing while iterating skips the next item, as in Python
ys = [0, 1, 2, 3, 4, 5]
seen = []
for v in ys:
    seen.append(v)
    if v % 2 == 0:
        ys.remove(v)
print(seen, ys)
# clearing ends the loop
zs = [1, 2, 3, 4]
got = []
for v in zs:
    got.append(v)
    zs.clear()
print(got, zs)
for a, b in [(1, 2), (3, 4)]:
    pass
print(a, b)
for q in [10, 20, 30]:
    if q == 20:
        break
else:
    print('no break')
print(q)
for q in [10, 20]:
    continue
else:
    print('else ran', q)
def inner():
    out = []
    for w in ['a', 'b']:
        out.append(w)
    for w2 in range(2):
        out.append(w2)
    return out, w, w2
print(inner())
def ret():
    for w in [7, 8]:
        return w
print(ret())
# comprehensions over lists: conditions, nesting, a list changed by the condition
data = list(range(20))
print([x for x in data if x % 3 == 0][-1], [x * y for x in [1, 2] for y in [10, 20] if x * y != 20])
grow = [1, 2, 3]
def keep(v):
    if len(grow) < 6:
        grow.append(v * 10)
    return v % 2 == 1
print([v for v in grow if keep(v)], grow)
shrink = [1, 2, 3, 4, 5]
def drop(v):
    if shrink:
        shrink.pop()
    return True
print([v for v in shrink if drop(v)], shrink)
print([(p, r) for p, r in [(1, 'a'), (2, 'b')]], {c for c in [1, 1.0, True, 2]}, [c for c in 'ab'])
try:
    [u for u in 5]
except TypeError as e:
    print('TypeError', e)
try:
    for u in 5:
        pass
except TypeError as e:
    print('TypeError', e)
try:
    print(undefined_name_here)
except NameError as e:
    print('NameError', e)
print([x for x in data if x % 2 if x % 3], [x for x in range(12) if x % 2 if x % 3 if x > 1], [p for p in [[1], [2, 3]] for q in p if q])
def calls():
    out = []
    def f(v):
        out.append(v)
        return v > 1
    r = [v for v in [3, 1, 2] if f(v) if f(-v)]
    return r, out
print(calls())
class Grow:
    def __init__(self, v, xs):
        self.v = v
        self.xs = xs
    def __radd__(self, other):
        self.xs.append(self.v)
        return other + self.v
gs = [1]
gs.append(Grow(10, gs))
print(sum(gs), gs[2:], sum([]), sum([], 5), sum([1, 2.5, True]), sum([[1], [2]], []), sum((1, 2)), sum(range(5)), sum({3: 'a', 4: 'b'}))

"""#
    static let loopsExpected = #"""
2
NameError name 'i' is not defined
1 1
1
3 6
NameError name 'x' is not defined
[1, 2, 3, 4, 5, 6] 6
[0, 2, 4] [1, 3, 5]
[1] []
3 4
20
else ran 20
(['a', 'b', 0, 1], 'b', 1)
7
18 [10, 40]
[1, 3] [1, 2, 3, 10, 20, 30]
[1, 2, 3] [1, 2]
[(1, 'a'), (2, 'b')] {1, 2} ['a', 'b']
TypeError 'int' object is not iterable
TypeError 'int' object is not iterable
NameError name 'undefined_name_here' is not defined
[1, 5, 7, 11, 13, 17, 19] [5, 7, 11] [[1], [2, 3], [2, 3]]
([], [3, -3, 1, 2, -2])
21 [10] 0 5 4.5 [1, 2] 3 10 7

"""#
    static let strings = #"""
big = 9223372036854775807
print(str(0), str(7), str(-7), str(10), str(-10), str(1000), str(big), str(-big - 1), str(True), str(False))
print([str(i) for i in [-100, -1, 0, 1, 9, 99, 100, 12345678901234]], repr(-5), repr([0, -3, big]))
print(str(2 ** 40) == '1099511627776', len(str(-big - 1)), f'{-42}', '%d' % -42, format(-42), str(3.0), str(-0.0))
print("w" + str(12), "" + "", "a" + "", "" + "b", "é" + "e\u0301" == "ée\u0301", len("é" + "x"))
try:
    "a" + 1
except TypeError as e:
    print('TypeError', e)
try:
    1 + "a"
except TypeError as e:
    print('TypeError', e)
try:
    "a" + None
except TypeError as e:
    print('TypeError', e)
print([1] + [2], (1,) + (2,), 1.5 + 1, True + True, 2 ** 61 + 2 ** 61)
s = ""
for i in range(5):
    s = s + str(i)
print(s, s + s)
class S:
    def __radd__(self, other):
        return 'radd:' + other
print("x" + S())

"""#
    static let stringsExpected = #"""
0 7 -7 10 -10 1000 9223372036854775807 -9223372036854775808 True False
['-100', '-1', '0', '1', '9', '99', '100', '12345678901234'] -5 [0, -3, 9223372036854775807]
True 20 -42 -42 -42 3.0 -0.0
w12  a b True 2
TypeError can only concatenate str (not "int") to str
TypeError unsupported operand type(s) for +: 'int' and 'str'
TypeError can only concatenate str (not "NoneType") to str
[1, 2] (1, 2) 2.5 2 4611686018427387904
01234 0123401234
radd:x

"""#
}
