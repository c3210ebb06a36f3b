import ArgumentParser
import Foundation
import Script
import Engine

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Myelin script (.myl); with no file, start a small REPL.")

    @Argument(help: ArgumentHelp("The script to run.", valueName: "FILE.myl"))
    var script: String?

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script as sys.argv[1:].")
    var arguments: [String] = []

    func run() throws {
        guard let script else { return repl() }
        try RunCommand.runScript(script, arguments: arguments)
    }

    /// `run FILE [args…]` as main.swift sees it before ArgumentParser: a script path that is not an option.
    /// Parsing with ArgumentParser costs ~2 ms of reflection, a tenth of a short script's whole run.
    static func scriptArguments(fromExactArguments arguments: [String]) -> (script: String, rest: [String])? {
        guard arguments.count >= 2, arguments[0] == "run", !arguments[1].hasPrefix("-") else { return nil }
        return (arguments[1], Array(arguments.dropFirst(2)))
    }

    static func runScript(_ script: String, arguments: [String]) throws {
        guard let data = FileManager.default.contents(atPath: script), let code = String(data: data, encoding: .utf8) else {
            throw CommandFailure("cannot read script '\(script)'")
        }
        let session = ScriptSession(output: StandardOutput(), argv: [script] + arguments)
        installInterruptHandler()
        let result = session.runFile(code: code, path: script)
        fflush(stdout)
        if let error = result.error {
            if error.name == "SystemExit" { throw ExitCode(Int32(error.message) ?? (error.message.isEmpty ? 0 : 1)) }
            FileHandle.standardError.write(Data((error.traceback + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// A line REPL: lines accumulate until the input is a complete cell; values print as their repr.
    func repl() {
        let session = ScriptSession(output: StandardOutput(), argv: [""])
        installInterruptHandler()
        print("Myelin \(MyelinVersion.version) — type code, an empty line ends a block, Ctrl-D quits.")
        var cell = 1
        var buffer = ""
        while true {
            print(buffer.isEmpty ? "In [\(cell)]: " : "   ...: ", terminator: "")
            fflush(stdout)
            guard let line = readLine() else { print(""); return }
            buffer += (buffer.isEmpty ? "" : "\n") + line
            if case .incomplete = session.isComplete(code: buffer + "\n") { continue }
            let result = session.execute(code: buffer, cellNumber: cell)
            if let v = result.value?.data["text/plain"] { print("Out[\(cell)]: \(v)") }
            if let e = result.error { FileHandle.standardError.write(Data((e.traceback + "\n").utf8)) }
            buffer = ""
            cell += 1
        }
    }
}

/// Ctrl-C raises KeyboardInterrupt in the running script instead of killing the process.
func installInterruptHandler() {
    signal(SIGINT) { _ in Interruption.request() }
}
