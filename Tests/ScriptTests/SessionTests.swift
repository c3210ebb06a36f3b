import Testing
@testable import Script

/// Script tests share process-wide state (the interrupt flag, the seeded generator): run them one at a time.
@Suite(.serialized) struct ScriptSuite {}

/// Runs a cell in a fresh session and returns (stdout, error name).
func runCell(_ code: String) -> (String, String?) {
    let out = CapturedOutput()
    let s = ScriptSession(output: out)
    let r = s.execute(code: code, cellNumber: 1)
    return (out.stdout, r.error?.name)
}

extension ScriptSuite {
    @Test func printsLikePython() {
        #expect(runCell("print(0.1 + 0.2, 1e16, [1, 'a', (2,)])").0 == "0.30000000000000004 1e+16 [1, 'a', (2,)]\n")
    }

    @Test func lastExpressionIsTheValue() {
        let s = ScriptSession(output: CapturedOutput())
        #expect(s.execute(code: "x = 2\nx * 21", cellNumber: 1).value?.data["text/plain"] == "42")
        #expect(s.execute(code: "x * 21;", cellNumber: 2).value == nil)
        #expect(s.execute(code: "x", cellNumber: 3).value?.data["text/plain"] == "2")
    }
}
