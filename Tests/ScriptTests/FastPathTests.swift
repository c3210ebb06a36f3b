import Foundation
import Testing
@testable import Script

/// The interpreter's fast paths (direct frames for calls, per-site attribute and method caches,
/// int-literal operands, in-place `+=` on attributes, list items and globals) against the general
/// paths they skip. Expected outputs of the first three programs come from CPython 3.11.
extension ScriptSuite {
    @Test func callFastPathsKeepPythonSemantics() {
        let (out, error) = runCell(FastPathPrograms.calls)
        #expect(error == nil)
        #expect(out == FastPathPrograms.callsExpected)
    }

    @Test func attributeAndMethodCachesSeeShadowingOverridesAndPatching() {
        let (out, error) = runCell(FastPathPrograms.attrs)
        #expect(error == nil)
        #expect(out == FastPathPrograms.attrsExpected)
    }

    @Test func containerFastPathsSurviveMutationDuringIterationAndAugmentedAssignment() {
        let (out, error) = runCell(FastPathPrograms.containers)
        #expect(error == nil)
        #expect(out == FastPathPrograms.containersExpected)
    }

    /// 64-bit ints: every inline arithmetic path still raises OverflowError and leaves the target unchanged.
    @Test func inlineIntArithmeticStillRaisesOverflowError() {
        let (out, error) = runCell(FastPathPrograms.overflow)
        #expect(error == nil)
        #expect(out == FastPathPrograms.overflowExpected)
    }

    /// Classes made and dropped in a loop: a new class can take a freed class's address, and the
    /// per-site method caches must not call the old class's methods (expected output from CPython).
    @Test func methodCachesDoNotMistakeANewClassForAFreedOne() {
        let (out, error) = runCell("""
            def make(k):
                class A:
                    def f(self):
                        return k
                    def g(self, x):
                        return k + x
                return A
            out = []
            for k in range(8):
                a = make(k)()
                out.append((a.f(), a.g(10)))
                a = None
            print(out)
            """)
        #expect(error == nil)
        #expect(out == "[(0, 10), (1, 11), (2, 12), (3, 13), (4, 14), (5, 15), (6, 16), (7, 17)]\n")
    }

    /// A program that only calls (no loop back-edges) is still interruptible: calls poll the flag.
    @Test func interruptReachesRecursiveCallsWithoutLoops() {
        let s = ScriptSession(output: CapturedOutput())
        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { s.interrupt() }
        let r = s.execute(code: "def f(d):\n    if d < 400:\n        f(d + 1)\n        f(d + 1)\nf(0)", cellNumber: 1)
        #expect(r.error?.name == "KeyboardInterrupt")
        #expect(Date().timeIntervalSince(start) < 2.0)
        #expect(s.execute(code: "f(399)\n'after'", cellNumber: 2).value?.data["text/plain"] == "'after'")
    }

    /// Repeating a list hundreds of millions of times (allowed: below the MemoryError bound) takes
    /// minutes; Interrupt stops it (a mangled program hung the mutation test on this).
    @Test func interruptReachesALongListRepetition() {
        let s = ScriptSession(output: CapturedOutput())
        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { s.interrupt() }
        let r = s.execute(code: "class A:\n    pass\nxs = [A(), A()] * 130000000", cellNumber: 1)
        #expect(r.error?.name == "KeyboardInterrupt")
        #expect(Date().timeIntervalSince(start) < 3.0)
        #expect(s.execute(code: "len([A()] * 3)", cellNumber: 2).value?.data["text/plain"] == "3")
        // nothing to repeat: done at once, however large the count (this one hung a mutation run)
        #expect(s.execute(code: "len([] * 10 ** 12) + len(() * 10 ** 12)", cellNumber: 3).value?.data["text/plain"] == "0")
    }

    /// Ranges ending at the edge of the 64-bit ints stop there (they used to wrap around and loop
    /// forever); dicts with patterned int keys (multiples of the table size) still find every key.
    @Test func rangesAtTheIntEdgeAndPatternedDictKeys() {
        let (out, error) = runCell(FastPathPrograms.ranges)
        #expect(error == nil)
        #expect(out == FastPathPrograms.rangesExpected)
    }

    /// Float comparisons in conditions take an inline path; NaN and signed zero must still compare like Python.
    @Test func floatConditionsCompareLikePython() {
        let (out, error) = runCell(FastPathPrograms.floatConditions)
        #expect(error == nil)
        #expect(out == FastPathPrograms.floatConditionsExpected)
    }
}

enum FastPathPrograms {
    static let calls = """
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print(fib(15))
def outer(k):
    def inner(x):
        return x + k
    return inner
add3 = outer(3)
print(add3(4), add3(-10))
def three(a, b, c):
    return a * 100 + b * 10 + c
print(three(1, 2, 3), three(c=1, b=2, a=3))
def zero():
    return 'z'
print(zero())
def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)
try:
    deep(100000)
except RecursionError as e:
    print('RecursionError', type(e).__name__)
print(deep(50), fib(10))
def unbound():
    print(y)
    y = 1
try:
    unbound()
except UnboundLocalError:
    print('UnboundLocalError')
class Bad:
    def __init__(self):
        return 1
try:
    Bad()
except TypeError as e:
    print('TypeError', e)

"""
    static let callsExpected = """
610
7 -7
123 321
z
RecursionError RecursionError
50 55
UnboundLocalError
TypeError __init__() should return None, not 'int'

"""
    static let attrs = """
class A:
    def __init__(self, x):
        self.x = x
    def f(self):
        return 'method'
    def g(self, k):
        return self.x + k
a = A(1)
out = []
for i in range(4):
    if i == 2:
        a.f = lambda: 'instance attribute'
    out.append(a.f())
print(out)
class B(A):
    def g(self, k):
        return 'B.g ' + str(k)
objs = [A(10), B(20), A(30)]
print([o.g(1) for o in objs])
def newg(self, k):
    return 'patched ' + str(self.x + k)
res = []
for i in range(4):
    if i == 2:
        A.g = newg
    res.append(objs[0].g(i))
    res.append(objs[1].g(i))
print(res)
class P:
    def __init__(self):
        self.a = 1
        self.b = 2
class Q:
    def __init__(self):
        self.b = 3
        self.a = 4
ps = [P(), Q(), P(), Q()]
print([(p.a, p.b) for p in ps])
for p in ps:
    p.a = p.b * 10
    p.c = p.a + 1
print([(p.a, p.b, p.c) for p in ps])
class C:
    def __init__(self):
        self.n = 0
    def bump(self):
        del self.n
        self.m = 5
        return 7
c = C()
c.n += 1
c.n += 2.5
print(c.n)
c.n = 1
try:
    c.n += c.bump()
except AttributeError as e:
    print('AttributeError')
print(c.n, c.m)
class D:
    total = 100
d = D()
d.total += 1
print(d.total, D.total)
class S:
    def __init__(self):
        self.items = [1]
s = S()
s.items += [2, 3]
print(s.items)
class Counter:
    def __init__(self):
        self.n = 0
    def step(self, k):
        self.n += k
        return self.n
k = Counter()
for i in range(5):
    k.step(i)
print(k.n)

"""
    static let attrsExpected = """
['method', 'method', 'instance attribute', 'instance attribute']
[11, 'B.g 1', 31]
[10, 'B.g 0', 11, 'B.g 1', 'patched 12', 'B.g 2', 'patched 13', 'B.g 3']
[(1, 2), (4, 3), (1, 2), (4, 3)]
[(20, 2, 21), (30, 3, 31), (20, 2, 21), (30, 3, 31)]
3.5
8 5
101 100
[1, 2, 3]
10

"""
    static let containers = """
xs = [1, 2, 3]
for x in xs:
    if x < 3:
        xs.append(x + 10)
print(xs)
ys = [5, 6, 7]
for y in ys:
    if len(ys) > 1:
        ys.pop()
print(ys)
q = [[0.0, 0.0], [1, 2]]
q[0][1] += 0.5
q[1][0] += 1
q[1][-1] -= 5
q[1][1] *= 3
print(q)
def shrink():
    lst.pop()
    lst.pop()
    return 1
lst = [1, 2, 3]
lst[-1] += 0
try:
    lst[2] += shrink()
except IndexError as e:
    print('IndexError', e)
print(lst)
lst = [10, 20, 30, 40]
def shrink1():
    lst.pop(0)
    return 1
lst[-1] += shrink1()
print(lst)
d = {}
for i in range(5):
    d[i] = i * 2
print(d, d.get(3, 'no'), d.get(9, 'no'))
w = {}
for i in range(10):
    key = 'w' + str(i % 3)
    w[key] = w.get(key, 0) + 1
print(w)
print(-7 % 3, -7 // 2, 7 // 2, 7.5 % 2, 2.5 - 1, 'ab' * 3, True + 1, [0] * 3, 10 % 4)
print(1.5 < 2, 'a' == 1, None != 0, 3 >= 3, 2.0 == 2)
try:
    print([1] < 2)
except TypeError as e:
    print('TypeError', e)
t = 0
for i in range(10):
    t += i * 2 % 7
print(t)

"""
    static let containersExpected = """
[1, 2, 3, 11, 12]
[5]
[[0.0, 0.5], [2, -9]]
IndexError list assignment index out of range
[1]
[20, 30, 41]
{0: 0, 1: 2, 2: 4, 3: 6, 4: 8} 6 no
{'w0': 4, 'w1': 3, 'w2': 3}
2 -4 3 1.5 1.5 ababab 2 [0, 0, 0] 2
True False True True True
TypeError '<' not supported between instances of 'list' and 'int'
27

"""
    static let overflow = """
big = 9223372036854775807
def inc(n):
    return n + 1
def tryit(label, f):
    try:
        f()
        print(label, 'no error')
    except OverflowError:
        print(label, 'OverflowError')
tryit('param + 1', lambda: inc(big))
tryit('expr * 2', lambda: (big - 1) * 2)
tryit('neg - 2', lambda: -big - 2)
class K:
    def __init__(self):
        self.n = big
k = K()
def attr():
    k.n += 1
tryit('attr +=', attr)
l = [big]
def item():
    l[0] += 1
tryit('item +=', item)
total = big
def glob():
    global total
    total += 1
tryit('global +=', glob)
def loc():
    t = big
    t += 1
tryit('local +=', loc)
print(k.n == big, l[0] == big, total == big)

"""
    static let overflowExpected = """
param + 1 OverflowError
expr * 2 OverflowError
neg - 2 OverflowError
attr += OverflowError
item += OverflowError
global += OverflowError
local += OverflowError
True True True

"""
    static let ranges = """
big = 9223372036854775807
for i in range(big - 7, big, 5):
    print(i)
def f():
    out = []
    for j in range(big - 7, big, 5):
        out.append(j)
    return out
print(f(), [k for k in range(-big + 20, -big - 1, -9)], list(range(big - 1, big)))
d = {}
for k in [0, 1024, 2048, 4096, 8192, -1, -1024, 1.0, True, 2.5, 'a', (1, 2), None]:
    d[k] = repr(k)
print(d, d[1], d.get(1024), len(d), 1.0 in d, 2 in d)
s = {i * 65536 for i in range(1000)}
print(len(s), 65536 * 999 in s, 1 in s)

"""
    static let rangesExpected = """
9223372036854775800
9223372036854775805
[9223372036854775800, 9223372036854775805] [-9223372036854775787, -9223372036854775796, -9223372036854775805] [9223372036854775806]
{0: '0', 1024: '1024', 2048: '2048', 4096: '4096', 8192: '8192', -1: '-1', -1024: '-1024', 1.0: 'True', 2.5: '2.5', 'a': "'a'", (1, 2): '(1, 2)', None: 'None'} True 1024 12 True False
1000 True False

"""
    static let floatConditions = """
nan = float('nan')
a, b, z = 1.5, 0.5, -0.0
out = []
for x, y in [(a, b), (b, a), (a, a), (nan, a), (a, nan), (nan, nan), (z, 0.0)]:
    out.append(''.join(['1' if x < y else '0', '1' if x <= y else '0', '1' if x > y else '0',
                        '1' if x >= y else '0', '1' if x == y else '0', '1' if x != y else '0']))
print(out)

"""
    static let floatConditionsExpected = """
['001101', '110001', '010110', '000001', '000001', '000001', '010110']

"""
}
