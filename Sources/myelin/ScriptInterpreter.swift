import Engine
import Foundation
import Jupyter
import Script

/// The Myelin language behind Jupyter's `Interpreter` protocol: one `ScriptSession` per kernel
/// (or per notebook run headless), whose globals survive from cell to cell.
final class ScriptInterpreter: Interpreter {
    private let session: ScriptSession
    private let forward = ForwardingOutput()

    init(argv: [String] = [""]) {
        Bindings.installOnce()
        session = ScriptSession(output: forward, argv: argv)
    }

    var kernelInfo: KernelInfo {
        KernelInfo(
            implementation: "myelin", implementationVersion: MyelinVersion.version,
            banner: "Myelin \(MyelinVersion.version) — a deep-learning kernel in Swift",
            languageInfo: ["name": "myelin", "version": JSON.string(MyelinVersion.version),
                           "mimetype": "text/x-myelin", "file_extension": ".myl",
                           "pygments_lexer": "python", "codemirror_mode": "python",
                           "nbconvert_exporter": "script"],
            helpLinks: [["text": "Myelin language", "url": "https://github.com/myelin-kernel/myelin#readme"]])
    }

    func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome {
        // An interrupt that arrived between cells must not cancel the next one.
        Interruption.clear()
        forward.target = output
        defer { forward.target = nil }
        let result = session.execute(code: request.code, cellNumber: request.executionCount)
        if let error = result.error { return .error(Self.jupyterError(error)) }
        var expressions: [String: Result<DisplayData, Jupyter.ExecutionError>] = [:]
        for (name, expression) in request.userExpressions {
            switch session.evaluate(expression) {
            case .success(let bundle): expressions[name] = .success(Self.displayData(bundle))
            case .failure(let error): expressions[name] = .failure(Self.jupyterError(error))
            }
        }
        return .ok(value: result.value.map(Self.displayData), userExpressions: expressions)
    }

    func complete(code: String, cursorPos: Int) -> Completion {
        let c = session.complete(code: code, cursorPos: cursorPos)
        return Completion(matches: c.matches, cursorStart: c.start, cursorEnd: c.end)
    }

    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> DisplayData? {
        session.inspect(code: code, cursorPos: cursorPos, detail: detailLevel).map { DisplayData.text($0) }
    }

    func isComplete(code: String) -> Jupyter.Completeness {
        switch session.isComplete(code: code) {
        case .complete: return .complete
        case .incomplete(let indent): return .incomplete(indent: indent)
        case .invalid: return .invalid
        }
    }

    func interrupt() { Interruption.request() }

    func shutdown(restart: Bool) {}

    static func jupyterError(_ e: Script.ExecutionError) -> Jupyter.ExecutionError {
        Jupyter.ExecutionError(ename: e.name, evalue: e.message,
                               traceback: e.traceback.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    static func displayData(_ bundle: MimeBundle) -> DisplayData {
        DisplayData(data: bundle.data.mapValues { JSON.string($0) }, metadata: bundle.metadata.mapValues(json))
    }

    static func json(_ m: MetadataValue) -> JSON {
        switch m {
        case .string(let s): return .string(s)
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .double(d)
        case .bool(let b): return .bool(b)
        case .object(let o): return .object(o.mapValues(json))
        }
    }
}

/// Routes the session's output to whichever request is running (the session outlives requests).
private final class ForwardingOutput: ScriptOutput {
    var target: ExecutionOutput?

    func write(_ text: String, to stream: Script.OutputStream) {
        target?.stream(stream == .stdout ? .stdout : .stderr, text)
    }

    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {
        target?.display(ScriptInterpreter.displayData(bundle), displayID: displayID, update: update)
    }

    func clearOutput(wait: Bool) { target?.clearOutput(wait: wait) }

    func requestInput(prompt: String, password: Bool) throws -> String {
        guard let target else { throw InputNotAllowed() }
        do { return try target.requestInput(prompt: prompt, password: password) } catch is InputNotAllowed {
            throw ScriptError(.runtimeError, "input() is not available here: the front-end does not accept input (allow_stdin is false)")
        } catch is InputInterrupted {
            throw Interrupted()
        }
    }
}
