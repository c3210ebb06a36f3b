import Foundation
import Testing
@testable import Script

/// Every tests/conformance/*.myl program, run through the Script API, must print exactly its .out
/// (stdout, then `!! Name: message` for an uncaught exception). The .out files come from CPython
/// (tests/conformance/regen.py).
let conformanceDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("tests/conformance")

func conformancePrograms() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: conformanceDir.path)) ?? []).filter { $0.hasSuffix(".myl") }.sorted()
}

extension ScriptSuite {
    @Test func conformanceSuiteIsPresent() {
        #expect(conformancePrograms().count >= 8)
    }

    @Test(arguments: conformancePrograms())
    func conformance(program: String) throws {
        let path = conformanceDir.appendingPathComponent(program).path
        let code = try String(contentsOfFile: path, encoding: .utf8)
        let expected = try String(contentsOfFile: String(path.dropLast(4)) + ".out", encoding: .utf8)
        let out = CapturedOutput()
        let session = ScriptSession(output: out, argv: [path])
        let result = session.runFile(code: code, path: path)
        var got = out.stdout
        if let e = result.error { got += "!! " + (e.traceback.split(separator: "\n").last.map(String.init) ?? "") + "\n" }
        #expect(got == expected, "\(program) differs")
    }
}
