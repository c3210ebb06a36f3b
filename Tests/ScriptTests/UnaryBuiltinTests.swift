import Testing
@testable import Script

/// `str(x)`, `len(x)`, `int(x)`, `float(x)`, `abs(x)` with one positional argument take the built-in's
/// one-argument entry point (`NativeFunction.unary`); calls through `*args` take the general path.
/// Both must give the same value or the same error for every kind of argument.
extension ScriptSuite {
    @Test func oneArgumentBuiltinsMatchTheGeneralPath() {
        let program = """
            class N:
                def __int__(self): return 7
                def __float__(self): return 1.5
                def __abs__(self): return -1
                def __str__(self): return 'N!'
                def __len__(self): return 4
            samples = [0, -3, 2.75, -0.0, True, '12', ' 1_0 ', 'ff', 'inf', 'x', [1, 2], (3,), {'a': 1}, None, N(),
                       float('nan'), -9223372036854775807 - 1]
            def outcome(f, x, direct):
                try:
                    r = f(x) if direct else f(*[x])
                    return repr(r)
                except Exception as e:
                    return type(e).__name__ + ': ' + str(e)
            differ = []
            for name, f in [('str', str), ('len', len), ('int', int), ('float', float), ('abs', abs)]:
                for x in samples:
                    a, b = outcome(f, x, True), outcome(f, x, False)
                    if a != b:
                        differ.append((name, repr(x), a, b))
            print(differ)
            print(str(N()), len(N()), int(N()), float(N()), abs(N()), str(12) + str(-0.5), len('héllo'))
            """
        let (out, error) = runCell(program)
        #expect(error == nil)
        #expect(out == "[]\nN! 4 7 1.5 -1 12-0.5 5\n")
    }

    @Test func shadowedBuiltinNamesAreCalledAsTheUserDefinedThem() {
        let (out, error) = runCell("""
            def str(x): return 'mine'
            len = lambda x: -1
            class int:
                def __init__(self, v): self.v = v
            print(str(3), len([1]), int(5).v)
            """)
        #expect(error == nil)
        #expect(out == "mine -1 5\n")
    }
}
