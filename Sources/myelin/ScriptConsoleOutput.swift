import Foundation
import Jupyter

/// Where a `.myl` script run by `myelin exec` shows its output: streams go to stdout/stderr as they
/// happen, displays print their `text/plain` (or a one-line note for bundles without text).
final class ScriptConsoleOutput: ExecutionOutput {
    func stream(_ name: StreamName, _ text: String) {
        switch name {
        case .stdout: Console.out(text)
        case .stderr: Console.err(text)
        }
    }

    func display(_ data: DisplayData, displayID: String?, update: Bool) {
        if let text = data.data["text/plain"]?.stringValue {
            Console.out(text.hasSuffix("\n") ? text : text + "\n")
        } else {
            Console.out("<display: \(data.data.keys.sorted().joined(separator: ", "))>\n")
        }
    }

    func clearOutput(wait: Bool) {}

    func requestInput(prompt: String, password: Bool) throws -> String { throw InputNotAllowed() }
}

/// Unbuffered writes, so a script's output, the runner's messages and a child's result line
/// reach the terminal (or the parent's pipe) in the order they were made.
enum Console {
    private static let lock = NSLock()

    static func out(_ text: String) { write(text, to: FileHandle.standardOutput) }
    static func err(_ text: String) { write(text, to: FileHandle.standardError) }

    private static func write(_ text: String, to handle: FileHandle) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data(text.utf8))
    }
}
