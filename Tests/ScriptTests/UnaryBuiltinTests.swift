import Testing
@testable import Script

/// `str(x)`, `len(x)`, `int(x)`, `float(x)`, `abs(x)` with one positional argument take the built-in's
/// one-argument entry point (`NativeFunction.unary`, through `BuiltinObj.callOne`); keyword and multi-argument calls
/// take `call(Arguments)`. Both must give the same value or the same error for every kind of argument.
extension ScriptSuite {
    @Test func oneArgumentBuiltinsMatchTheGeneralPath() throws {
        let session = ScriptSession(output: CapturedOutput())
        let made = session.execute(code: """
            class N:
                def __int__(self): return 7
                def __float__(self): return 1.5
                def __abs__(self): return -1
                def __str__(self): return 'N!'
                def __len__(self): return 4
            samples = [0, -3, 2.75, -0.0, True, '12', ' 1_0 ', 'ff', 'inf', 'x', [1, 2], (3,), {'a': 1}, None, N(),
                       float('nan'), -9223372036854775807 - 1]
            """, cellNumber: 1)
        #expect(made.error == nil)
        let samples = try #require(session.vm.getGlobal("samples")?.asList?.items)
        func constructor(_ c: ClassObj) -> NativeFunction? {
            if case .obj(let o)? = c.builtinConstructor, o.kind == .builtin { return unsafeDowncast(o, to: BuiltinObj.self).function }
            return nil
        }
        let functions = [("str", constructor(BuiltinTypes.str)), ("int", constructor(BuiltinTypes.int)),
                         ("float", constructor(BuiltinTypes.float)), ("len", session.vm.table.functions["len"]),
                         ("abs", session.vm.table.functions["abs"])]
        let previous = VM.current
        VM.current = session.vm  // the built-ins reach the VM (dunders) as during a cell
        defer { VM.current = previous }
        func outcome(_ body: () throws -> Value) -> String {
            do { return repr(try body()) } catch { return String(describing: error) }
        }
        for (name, function) in functions {
            let f = try #require(function, "\(name) is not a built-in")
            #expect(f.unary != nil, "\(name) has no one-argument form")
            for x in samples {
                let direct = outcome { try BuiltinObj(f).callOne(x) }
                let general = outcome { try f.call(Arguments([x], functionName: name)) }
                #expect(direct == general, "\(name)(\(repr(x))): \(direct) vs \(general)")
            }
        }
    }

    @Test func oneArgumentBuiltinsThroughTheLanguage() {
        let (out, error) = runCell("""
            class N:
                def __int__(self): return 7
                def __float__(self): return 1.5
                def __abs__(self): return -1
                def __str__(self): return 'N!'
                def __len__(self): return 4
            print(str(N()), len(N()), int(N()), float(N()), abs(N()), str(12) + str(-0.5), len('héllo'))
            print(list(map(str, [1, 2.5])), int('ff', 16), str(obj=3))
            """)
        #expect(error == nil)
        #expect(out == "N! 4 7 1.5 -1 12-0.5 5\n['1', '2.5'] 255 3\n")
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
