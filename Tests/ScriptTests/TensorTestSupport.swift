import Testing
@testable import Script

/// Runs `code` in a fresh session with every binding installed; returns stdout and the error, if any.
func runTensorCell(_ code: String) -> (out: String, error: ExecutionError?) {
    Bindings.installOnce()
    let out = CapturedOutput()
    let s = ScriptSession(output: out)
    let r = s.execute(code: code, cellNumber: 1)
    return (out.stdout, r.error)
}

/// The lines a cell printed (an error is shown as `!Name: message` so a failing test explains itself).
func tensorLines(_ code: String) -> [String] {
    let r = runTensorCell(code)
    var lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    if let e = r.error { lines.append("!\(e.name): \(e.message)") }
    return lines
}

/// The exception name a cell raised (nil when it ran), and its message.
func tensorError(_ code: String) -> (name: String?, message: String) {
    let r = runTensorCell(code)
    return (r.error?.name, r.error?.message ?? "")
}
