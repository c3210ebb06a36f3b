#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
@testable import Jupyter

/// A deterministic interpreter for the headless runner's tests. Each line of a cell is a command:
///
///     print TEXT          stdout "TEXT\n"          eprint TEXT     stderr "TEXT\n"
///     write TEXT          stdout TEXT, with \n \r \b escapes decoded
///     display TEXT        display_data             display@ID TEXT display_data with a display id
///     update@ID TEXT      update_display_data      clear / clear wait
///     value TEXT          the cell's value (execute_result)
///     count               the cell's value is its execution count
///     set NAME VALUE      remember a value         get NAME        the cell's value is it (or NameError)
///     error NAME MESSAGE  fail the cell            input PROMPT    ask for input (fails headless)
///     sleep SECONDS       wait, polling the interrupt flag (KeyboardInterrupt when raised)
///     hang SECONDS        wait, ignoring interrupts
///     image               display a (tiny, fake) PNG with its size metadata
///     stack               the cell's value is the execution thread's stack size in bytes
final class NotebookTestInterpreter: Interpreter {
    private let interrupted = Atomic<Bool>(false)
    private var variables: [String: String] = [:]
    private(set) var shutDown = false

    var kernelInfo: KernelInfo {
        KernelInfo(implementation: "test", implementationVersion: "1", banner: "", languageInfo: ["name": "test"])
    }

    func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome {
        interrupted.store(false, ordering: .relaxed)
        var value: DisplayData?
        for line in request.code.split(separator: "\n") {
            let (command, rest) = split(String(line))
            let (name, text) = split(rest)
            switch command {
            case "print": output.stream(.stdout, rest + "\n")
            case "eprint": output.stream(.stderr, rest + "\n")
            case "write": output.stream(.stdout, unescape(rest))
            case "display": output.display(.text(rest), displayID: nil, update: false)
            case "clear": output.clearOutput(wait: rest == "wait")
            case "value": value = .text(rest)
            case "count": value = .text(String(request.executionCount))
            case "set": variables[name] = text
            case "get":
                guard let v = variables[rest] else { return failure("NameError", "name '\(rest)' is not defined") }
                value = .text(v)
            case "error": return failure(name, text)
            case "input":
                do {
                    value = .text(try output.requestInput(prompt: rest, password: false))
                } catch {
                    return failure("StdinNotImplementedError", "\(error)")
                }
            case "sleep":
                let deadline = Date().addingTimeInterval(Double(rest) ?? 0)
                while Date() < deadline {
                    if interrupted.load(ordering: .relaxed) { return failure("KeyboardInterrupt", "") }
                    usleep(5_000)
                }
            case "hang": usleep(UInt32((Double(rest) ?? 0) * 1e6))
            case "image":
                output.display(DisplayData(data: ["image/png": "iVBORw0KGgo=", "text/plain": "<Figure 640x480>"],
                                           metadata: ["image/png": ["width": 640, "height": 480]]),
                               displayID: nil, update: false)
            case "stack": value = .text(String(NotebookTestInterpreter.currentStackSize()))
            default:
                if command.hasPrefix("display@") {
                    output.display(.text(rest), displayID: String(command.dropFirst(8)), update: false)
                } else if command.hasPrefix("update@") {
                    output.display(.text(rest), displayID: String(command.dropFirst(7)), update: true)
                } else {
                    return failure("SyntaxError", "unknown command '\(command)'")
                }
            }
        }
        return .ok(value: value, userExpressions: [:])
    }

    func complete(code: String, cursorPos: Int) -> Completion {
        Completion(matches: [], cursorStart: cursorPos, cursorEnd: cursorPos)
    }

    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> DisplayData? { nil }
    func isComplete(code: String) -> Completeness { .complete }
    func interrupt() { interrupted.store(true, ordering: .relaxed) }
    func shutdown(restart: Bool) { shutDown = true }

    private func failure(_ name: String, _ message: String) -> ExecuteOutcome {
        .error(ExecutionError(ename: name, evalue: message, traceback: ["Traceback:", "\(name): \(message)"]))
    }

    private func split(_ s: String) -> (String, String) {
        guard let space = s.firstIndex(of: " ") else { return (s, "") }
        return (String(s[..<space]), String(s[s.index(after: space)...]))
    }

    private func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
            .replacingOccurrences(of: "\\b", with: "\u{08}")
    }

    /// The calling thread's stack size, from glibc's `pthread_getattr_np` (looked up at run time:
    /// the Glibc module does not export GNU extensions).
    static func currentStackSize() -> Int {
        #if canImport(Glibc)
        typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return -1 }
        let getAttributes = unsafeBitCast(symbol, to: GetAttr.self)
        var attributes = pthread_attr_t()
        guard getAttributes(pthread_self(), &attributes) == 0 else { return -1 }
        defer { pthread_attr_destroy(&attributes) }
        var size = 0
        pthread_attr_getstacksize(&attributes, &size)
        return size
        #else
        return pthread_get_stacksize_np(pthread_self())
        #endif
    }
}

/// Collects what a script run shows (for `runScript`).
final class CollectingOutput: ExecutionOutput {
    var events: [String] = []
    func stream(_ name: StreamName, _ text: String) { events.append("\(name.rawValue):\(text)") }
    func display(_ data: DisplayData, displayID: String?, update: Bool) {
        events.append("display:\(data.data["text/plain"]?.stringValue ?? "")")
    }
    func clearOutput(wait: Bool) { events.append("clear") }
    func requestInput(prompt: String, password: Bool) throws -> String { throw InputNotAllowed() }
}

extension Notebook {
    /// A notebook of code cells (and markdown cells for sources starting with "# ").
    static func testNotebook(_ sources: [String], tags: [Int: [String]] = [:]) -> Notebook {
        var cells: [NotebookCell] = []
        for (index, source) in sources.enumerated() {
            let kind: NotebookCell.Kind = source.hasPrefix("# ") ? .markdown : .code
            var metadata: [String: JSON] = [:]
            if let t = tags[index] { metadata["tags"] = .array(t.map { .string($0) }) }
            cells.append(NotebookCell(kind: kind, id: "cell-\(index)", source: source, metadata: metadata))
        }
        return Notebook(cells: cells)
    }
}
