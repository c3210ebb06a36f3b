/// Which text stream a write goes to.
public enum OutputStream: Sendable { case stdout, stderr }

/// A metadata value of a display bundle (JSON-shaped, without depending on the Jupyter target).
public indirect enum MetadataValue: Equatable, Sendable {
    case string(String), number(Double), bool(Bool), object([String: MetadataValue])
}

/// A MIME bundle: `text/plain` always; `text/html`, `image/png` (base64) and others when a type offers them.
public struct MimeBundle: Equatable, Sendable {
    public var data: [String: String]
    public var metadata: [String: MetadataValue]
    public init(data: [String: String], metadata: [String: MetadataValue] = [:]) { self.data = data; self.metadata = metadata }
}

/// Where a running script's output goes. The notebook kernel forwards these to IOPub; `myelin run`
/// writes streams to the terminal. Called on the execution thread, as output happens.
public protocol ScriptOutput: AnyObject {
    func write(_ text: String, to stream: OutputStream)
    /// `display(obj)` (update == false) or `update_display(obj, display_id=…)` (update == true).
    func display(_ bundle: MimeBundle, displayID: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// `input(prompt)`; throw to refuse (no stdin available).
    func requestInput(prompt: String, password: Bool) throws -> String
}

/// Output that goes to the process's stdout/stderr (for `myelin run` and tests).
public final class StandardOutput: ScriptOutput {
    public init() {}
    public func write(_ text: String, to stream: OutputStream) {
        if stream == .stdout { print(text, terminator: "") } else {
            fflush(Foundation.stdout); var e = StandardErrorStream(); print(text, terminator: "", to: &e)
        }
    }
    public func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {
        write((bundle.data["text/plain"] ?? "") + "\n", to: .stdout)
    }
    public func clearOutput(wait: Bool) {}
    public func requestInput(prompt: String, password: Bool) throws -> String {
        write(prompt, to: .stdout)
        guard let line = readLine() else { throw ScriptError(.eofError, "EOF when reading a line") }
        return line
    }
}

/// Collects output in memory (tests, `%capture`-style uses).
public final class CapturedOutput: ScriptOutput {
    public var stdout = "", stderr = ""
    public var displays: [(MimeBundle, String?, Bool)] = []
    public var inputs: [String] = []
    public init() {}
    public func write(_ text: String, to stream: OutputStream) { if stream == .stdout { stdout += text } else { stderr += text } }
    public func display(_ bundle: MimeBundle, displayID: String?, update: Bool) { displays.append((bundle, displayID, update)) }
    public func clearOutput(wait: Bool) { stdout = "" }
    public func requestInput(prompt: String, password: Bool) throws -> String {
        stdout += prompt
        if inputs.isEmpty { throw ScriptError(.eofError, "EOF when reading a line") }
        return inputs.removeFirst()
    }
}

import Foundation
struct StandardErrorStream: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
