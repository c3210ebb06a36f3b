import Foundation
import Synchronization

/// The protocol test interpreter (`myelin kernel --echo`): no language, just enough behaviour for
/// tests to exercise every part of the kernel. A cell whose first word is a command runs one
/// command per line; any other cell is printed to stdout and returned as its `execute_result`.
///
/// Commands: `sleep N` (busy-waits N seconds, stops with KeyboardInterrupt when interrupted) ·
/// `error` · `input PROMPT` (returns the answer) · `display X` · `update X` (display id "echo") ·
/// `clear` · `print X` (stdout line) · `write X` (stdout, no newline) · `stderr X`.
public final class EchoInterpreter: Interpreter {
    static let commands = ["clear", "display", "error", "input", "print", "sleep", "stderr", "update", "write"]
    private let interrupted = Atomic<Bool>(false)

    public init() {}

    public var kernelInfo: KernelInfo {
        KernelInfo(
            implementation: "myelin", implementationVersion: "0.1.0",
            banner: "Myelin echo kernel (protocol test interpreter)",
            languageInfo: ["name": "myelin", "version": "0.1.0", "mimetype": "text/x-myelin",
                           "file_extension": ".myl", "pygments_lexer": "python", "codemirror_mode": "python",
                           "nbconvert_exporter": "script"],
            helpLinks: [["text": "Myelin", "url": "https://github.com/myelin"]])
    }

    public func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome {
        interrupted.store(false, ordering: .relaxed)
        let lines = request.code.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let first = lines.first, EchoInterpreter.commands.contains(word(first)) else {
            output.stream(.stdout, request.code + "\n")
            return .ok(value: .text(request.code), userExpressions: echoExpressions(request))
        }
        var value: DisplayData?
        for line in lines {
            let argument = line.drop { $0 != " " }.dropFirst().description
            switch word(line) {
            case "sleep":
                if let error = sleep(seconds: Double(argument) ?? 0) { return .error(error) }
            case "error":
                return .error(ExecutionError(ename: "EchoError", evalue: "the cell asked for an error",
                                             traceback: ["EchoError: the cell asked for an error"]))
            case "input":
                do { value = .text(try output.requestInput(prompt: argument, password: false)) } catch {
                    return .error(ExecutionError(ename: String(describing: type(of: error)),
                                                 evalue: "\(error)", traceback: ["\(error)"]))
                }
            case "display": output.display(.text(argument), displayID: "echo", update: false)
            case "update": output.display(.text(argument), displayID: "echo", update: true)
            case "clear": output.clearOutput(wait: false)
            case "print": output.stream(.stdout, argument + "\n")
            case "write": output.stream(.stdout, argument)
            case "stderr": output.stream(.stderr, argument + "\n")
            default: output.stream(.stdout, line + "\n")
            }
        }
        return .ok(value: value, userExpressions: echoExpressions(request))
    }

    /// Each user expression evaluates to its own text.
    private func echoExpressions(_ request: ExecuteRequest) -> [String: Result<DisplayData, ExecutionError>] {
        request.userExpressions.mapValues { .success(.text($0)) }
    }

    private func sleep(seconds: Double) -> ExecutionError? {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if interrupted.exchange(false, ordering: .relaxed) {
                return ExecutionError(ename: "KeyboardInterrupt", evalue: "", traceback: ["KeyboardInterrupt"])
            }
            usleep(1000)
        }
        return nil
    }

    private func word(_ line: String) -> String { String(line.prefix { $0 != " " }) }

    public func complete(code: String, cursorPos: Int) -> Completion {
        let scalars = Array(code.unicodeScalars.prefix(cursorPos))
        var start = scalars.count
        while start > 0, scalars[start - 1].properties.isAlphabetic { start -= 1 }
        let prefix = String(String.UnicodeScalarView(scalars[start...]))
        return Completion(matches: EchoInterpreter.commands.filter { $0.hasPrefix(prefix) },
                          cursorStart: start, cursorEnd: scalars.count)
    }

    public func inspect(code: String, cursorPos: Int, detailLevel: Int) -> DisplayData? {
        let name = complete(code: code, cursorPos: cursorPos).matches
        guard name.count == 1, let command = name.first else { return nil }
        return .text(detailLevel > 0 ? "\(command): an echo kernel command (detail)" : "\(command): an echo kernel command")
    }

    public func isComplete(code: String) -> Completeness {
        var depth = 0
        for c in code {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if depth < 0 { return .invalid }
        }
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.hasSuffix(":") || depth > 0 ? .incomplete(indent: "    ") : .complete
    }

    public func interrupt() { interrupted.store(true, ordering: .relaxed) }

    public func shutdown(restart: Bool) {}
}
