import Engine
import Foundation
import Testing
@testable import Script

extension ScriptSuite {
    @Test func tracebackNamesCellLineAndCaret() {
        let s = ScriptSession(output: CapturedOutput())
        _ = s.execute(code: "def f(x):\n    return 10 / x\n", cellNumber: 2)
        let r = s.execute(code: "y = 1\nf(0)", cellNumber: 3)
        let tb = r.error?.traceback ?? ""
        #expect(r.error?.name == "ZeroDivisionError")
        #expect(tb.contains("Cell In[3], line 2\n    f(0)\n    ^^^^"))
        #expect(tb.contains("Cell In[2], line 2, in f\n    return 10 / x\n           ^^^^^^"))
        #expect(tb.hasSuffix("ZeroDivisionError: division by zero"))
        // innermost frame last
        let outer = tb.range(of: "Cell In[3]")?.lowerBound, inner = tb.range(of: "Cell In[2]")?.lowerBound
        #expect(outer != nil && inner != nil && outer! < inner!)
    }

    @Test func globalsSurviveErrors() {
        let s = ScriptSession(output: CapturedOutput())
        _ = s.execute(code: "keep = [1, 2]", cellNumber: 1)
        #expect(s.execute(code: "keep.append(3)\n1/0", cellNumber: 2).error?.name == "ZeroDivisionError")
        #expect(s.execute(code: "keep", cellNumber: 3).value?.data["text/plain"] == "[1, 2, 3]")
    }

    @Test func recursionIsAnErrorNotACrash() {
        let s = ScriptSession(output: CapturedOutput())
        let r = s.execute(code: "def f(n):\n    return f(n + 1)\nf(0)", cellNumber: 1)
        #expect(r.error?.name == "RecursionError")
        let r2 = s.execute(code: "import sys\nsys.setrecursionlimit(5000)\ndef g(n):\n    return 0 if n == 0 else 1 + g(n - 1)\ng(4000)", cellNumber: 2)
        #expect(r2.value?.data["text/plain"] == "4000")
    }

    @Test func deepNestingIsASyntaxError() {
        let code = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let r = ScriptSession(output: CapturedOutput()).execute(code: code, cellNumber: 1)
        #expect(r.error?.name == "SyntaxError")
        #expect(r.error?.message.contains("nested") == true)
    }

    @Test func lexerErrorsAreClear() {
        let s = ScriptSession(output: CapturedOutput())
        let tab = s.execute(code: "if True:\n\tx = 1\n", cellNumber: 1)
        #expect(tab.error?.name == "TabError")
        let dedent = s.execute(code: "if True:\n        x = 1\n    y = 2\n", cellNumber: 2)
        #expect(dedent.error?.name == "IndentationError")
        #expect(dedent.error?.message.contains("unindent") == true)
    }

    @Test func interruptRaisesKeyboardInterruptAndKeepsState() {
        let s = ScriptSession(output: CapturedOutput())
        _ = s.execute(code: "state = 'kept'", cellNumber: 1)
        let start = Date()
        // Only the session's thread is interrupted: other suites run in parallel in this process.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { s.interrupt() }
        let r = s.execute(code: "i = 0\nwhile True:\n    i += 1", cellNumber: 2)
        #expect(r.error?.name == "KeyboardInterrupt")
        #expect(Date().timeIntervalSince(start) < 2.0)
        #expect(s.execute(code: "state", cellNumber: 3).value?.data["text/plain"] == "'kept'")
    }

    @Test func isCompleteSuggestsIndent() {
        let s = ScriptSession(output: CapturedOutput())
        #expect(s.isComplete(code: "x = 1") == .complete)
        #expect(s.isComplete(code: "def f():") == .incomplete(indent: "    "))
        #expect(s.isComplete(code: "for i in range(3):\n    if i:") == .incomplete(indent: "        "))
        #expect(s.isComplete(code: "print((1,") == .incomplete(indent: ""))
        #expect(s.isComplete(code: "s = '''abc") == .incomplete(indent: ""))
        #expect(s.isComplete(code: "x = )") == .invalid)
        #expect(s.isComplete(code: "def f():\n    return 1\n\n") == .complete)
    }

    @Test func completionOfNamesKeywordsModulesAndAttributes() {
        let s = ScriptSession(output: CapturedOutput())
        _ = s.execute(code: "import math\nclass P:\n    def __init__(self):\n        self.value = 1\n    def method(self):\n        pass\np = P()\nmy_list = []", cellNumber: 1)
        #expect(s.complete(code: "my_l", cursorPos: 4).matches == ["my_list"])
        #expect(s.complete(code: "pri", cursorPos: 3).matches.contains("print"))
        #expect(s.complete(code: "whi", cursorPos: 3).matches == ["while"])
        let m = s.complete(code: "x = math.sq", cursorPos: 11)
        #expect(m.matches == ["sqrt"] && m.start == 9 && m.end == 11)
        #expect(s.complete(code: "p.", cursorPos: 2).matches == ["method", "value"])
        #expect(s.complete(code: "my_list.app", cursorPos: 11).matches == ["append"])
        #expect(s.complete(code: "import ma", cursorPos: 9).matches == ["math"])
    }

    @Test func inspectShowsSignatureAndDocstring() {
        let s = ScriptSession(output: CapturedOutput())
        _ = s.execute(code: "def area(w, h=2):\n    \"\"\"The area of a rectangle.\"\"\"\n    return w * h", cellNumber: 1)
        #expect(s.inspect(code: "area", cursorPos: 2) == "area(w, h=2)\n\nThe area of a rectangle.")
        #expect(s.inspect(code: "print(1, ", cursorPos: 9)?.hasPrefix("print(*values, sep=' '") == true)
        #expect(s.inspect(code: "len", cursorPos: 3)?.contains("number of items") == true)
        let out = CapturedOutput()
        s.output = out
        _ = s.execute(code: "help(area)", cellNumber: 2)
        #expect(out.stdout == "area(w, h=2)\n\nThe area of a rectangle.\n")
    }

    @Test func magicsTime() {
        let out = CapturedOutput()
        let s = ScriptSession(output: out)
        _ = s.execute(code: "%time x = sum(range(1000))\nprint(x)", cellNumber: 1)
        #expect(out.stdout.hasPrefix("Wall time: "))
        #expect(out.stdout.hasSuffix("499500\n"))
        out.stdout = ""
        _ = s.execute(code: "%timeit y = 1 + 1", cellNumber: 2)
        #expect(out.stdout.contains("per loop (mean ± std. dev. of 7 runs"))
    }

    @Test func displayAndInput() {
        let out = CapturedOutput()
        out.inputs = ["Ada"]
        let s = ScriptSession(output: out)
        _ = s.execute(code: "name = input('who? ')\ndisplay([1, 2], display_id='d1')\nupdate_display('x', display_id='d1')\nprint(name)", cellNumber: 1)
        #expect(out.stdout == "who? Ada\n")
        #expect(out.displays.count == 2)
        #expect(out.displays.first?.0.data["text/plain"] == "[1, 2]")
        #expect(out.displays.last?.1 == "d1" && out.displays.last?.2 == true)
    }

    @Test func seedReseedsTheEngineGenerator() {
        let s = ScriptSession(output: CapturedOutput())
        _ = s.execute(code: "seed(7)", cellNumber: 1)
        let a = RandomGenerator.shared.nextUInt64()
        _ = s.execute(code: "seed(7)", cellNumber: 2)
        #expect(RandomGenerator.shared.nextUInt64() == a)
    }
}

extension ScriptSuite {
    @Test func progressShowsAndUpdatesOneDisplay() {
        let out = CapturedOutput()
        let s = ScriptSession(output: out)
        _ = s.execute(code: "t = 0\nfor x in progress(range(10), desc='sum'):\n    t += x\nprint(t)", cellNumber: 1)
        #expect(out.stdout == "45\n")
        #expect(out.displays.first?.2 == false)
        #expect(out.displays.last?.0.data["text/plain"] == "sum: 100%|" + String(repeating: "█", count: 30) + "| 10/10")
        #expect(Set(out.displays.map { $0.1 }).count == 1)
    }

    @Test func nativeTypesBindThroughTheTable() throws {
        // a stand-in native type, registered the way Engine/Plot bindings will be
        final class Box { var v: Double; init(_ v: Double) { self.v = v } }
        let type = NativeType(name: "Box", doc: "A boxed number.")
        type.constructor = NativeFunction("Box", "Box(v)", doc: "Makes a box.") { a in type.wrap(Box(try a.double(0, "v"))) }
        type.properties["v"] = NativeProperty("v", doc: "The number.", get: { o in .float((o.payload as? Box)?.v ?? 0) })
        type.methods["double"] = NativeFunction("double", "double()", doc: "Twice the box.") { a in
            type.wrap(Box(((a.positional[0].nativeObject?.payload as? Box)?.v ?? 0) * 2))
        }
        type.binaryOperator = { op, l, r, _ in
            guard op == .add, let x = (l.nativeObject?.payload as? Box)?.v, let y = (r.nativeObject?.payload as? Box)?.v else { return nil }
            return type.wrap(Box(x + y))
        }
        type.repr = { o in "Box(\(formatFloat((o.payload as? Box)?.v ?? 0)))" }
        type.mimeBundle = { _ in MimeBundle(data: ["text/html": "<b>box</b>"]) }
        type.methods["fail"] = NativeFunction("fail", "fail()", doc: "Raises.") { _ in throw ScriptError(.shapeError, "Box(1) expects shape [2], got shape [3]") }
        let table = BindingTable.standard()
        table.add(type)
        let out = CapturedOutput()
        let s = ScriptSession(output: out, bindings: table)
        let r = s.execute(code: "b = Box(1.5) + Box(2)\nprint(b.v, b.double())\nclass Sub(Box):\n    def __init__(self):\n        super().__init__(4.0)\nprint(Sub().double(), isinstance(b, Box))\nb", cellNumber: 1)
        #expect(r.error == nil)
        #expect(out.stdout == "3.5 Box(7.0)\nBox(8.0) True\n")
        #expect(r.value?.data["text/html"] == "<b>box</b>")
        #expect(r.value?.data["text/plain"] == "Box(3.5)")
        let e = s.execute(code: "try:\n    b.fail()\nexcept ShapeError as err:\n    print('caught', err)\nb.fail()", cellNumber: 2)
        #expect(out.stdout.hasSuffix("caught Box(1) expects shape [2], got shape [3]\n"))
        #expect(e.error?.name == "ShapeError")
        #expect(s.complete(code: "b.do", cursorPos: 4).matches == ["double"])
        #expect(s.inspect(code: "Box", cursorPos: 3)?.hasPrefix("Box(v)\n\nA boxed number.") == true)
        #expect(s.execute(code: "Box(1) * 2", cellNumber: 3).error?.name == "TypeError")
    }
}

extension ScriptSuite {
    @Test func deepDataAndLongExpressionsDoNotCrash() {
        let out = CapturedOutput()
        let s = ScriptSession(output: out)
        let long = (0..<20_000).map { _ in "1" }.joined(separator: " + ")
        #expect(s.execute(code: long, cellNumber: 1).value?.data["text/plain"] == "20000")
        let r = s.execute(code: "x = []\nfor i in range(20000):\n    x = [x]\nprint(len(repr(x)))", cellNumber: 2)
        #expect(r.error == nil)
        #expect(out.stdout == "40002\n")
        #expect(s.isComplete(code: String(repeating: "(", count: 10_000)) != .complete)
    }
}
