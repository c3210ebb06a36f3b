import Engine
import Foundation

/// The built-in exception classes (shared by all sessions; users may subclass them).
enum ExceptionClasses {
    static let baseException = ClassObj(name: "BaseException", base: nil)
    static let exception = ClassObj(name: "Exception", base: baseException)
    static let all: [String: ClassObj] = {
        var m: [String: ClassObj] = ["BaseException": baseException, "Exception": exception]
        func add(_ n: String, _ b: String) { m[n] = ClassObj(name: n, base: m[b]) }
        add("KeyboardInterrupt", "BaseException"); add("SystemExit", "BaseException")
        add("ArithmeticError", "Exception"); add("ZeroDivisionError", "ArithmeticError"); add("OverflowError", "ArithmeticError")
        add("LookupError", "Exception"); add("IndexError", "LookupError"); add("KeyError", "LookupError")
        add("ValueError", "Exception"); add("TypeError", "Exception"); add("NameError", "Exception")
        add("UnboundLocalError", "NameError"); add("AttributeError", "Exception"); add("AssertionError", "Exception")
        add("RuntimeError", "Exception"); add("RecursionError", "RuntimeError"); add("NotImplementedError", "RuntimeError")
        add("MemoryError", "Exception"); add("StopIteration", "Exception"); add("ImportError", "Exception")
        add("ModuleNotFoundError", "ImportError"); add("SyntaxError", "Exception"); add("IndentationError", "SyntaxError")
        add("TabError", "IndentationError"); add("ShapeError", "Exception"); add("OSError", "Exception")
        add("FileNotFoundError", "OSError"); add("EOFError", "Exception"); add("TimeoutError", "OSError")
        for c in m.values { c.isBuiltinValueType = false }
        return m
    }()
    static func named(_ n: String) -> ClassObj { all[n] ?? exception }
}

/// One line of a traceback: where a frame was when the exception passed through it.
struct TracebackEntry {
    let source: SourceFile
    let function: String
    let span: Span
}

/// A named source text: a notebook cell (`Cell In[3]`) or a file.
public final class SourceFile {
    public let name: String
    public let isCell: Bool
    public let lines: [String]
    public init(name: String, isCell: Bool, text: String) {
        self.name = name; self.isCell = isCell
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
    var header: String { isCell ? name : "File \"\(name)\"" }
}

/// A script exception travelling through Swift code.
public final class ScriptException: Error, CustomStringConvertible {
    public let value: InstanceObj
    var traceback: [TracebackEntry] = []
    var annotatedDepth = Int.max
    init(_ v: InstanceObj) { value = v }

    convenience init(_ type: String, _ message: String) {
        self.init(makeException(ExceptionClasses.named(type), [.str(message)]))
    }

    public var typeName: String { value.cls.name }
    public var message: String { exceptionMessage(value) }
    public var description: String { message.isEmpty ? typeName : "\(typeName): \(message)" }

    /// The text Jupyter and `myelin run` show: frames innermost last, a caret under each span.
    public func formatTraceback() -> String {
        var out = "Traceback (most recent call last):\n"
        for e in traceback.reversed() {
            let fn = e.function == "<module>" && e.source.isCell ? "" : ", in \(e.function)"
            out += "  \(e.source.header), line \(e.span.line)\(fn)\n"
            let idx = e.span.line - 1
            guard idx >= 0, idx < e.source.lines.count else { continue }
            let raw = e.source.lines[idx]
            let trimmed = raw.drop { $0 == " " }
            let lead = raw.count - trimmed.count
            out += "    \(trimmed)\n"
            let startCol = max(e.span.column - 1 - lead, 0)
            let endCol = e.span.endLine == e.span.line ? e.span.endColumn - 1 - lead : trimmed.count
            let width = max(1, min(endCol, trimmed.count) - startCol)
            out += "    " + String(repeating: " ", count: startCol) + String(repeating: "^", count: width) + "\n"
        }
        out += description
        return out
    }
}

func makeException(_ cls: ClassObj, _ args: [Value]) -> InstanceObj {
    let e = InstanceObj(cls)
    e.attrs["args"] = .tuple(args)
    return e
}

func exceptionMessage(_ e: InstanceObj) -> String {
    guard let args = e.attrs["args"]?.asTuple?.items else { return "" }
    if args.isEmpty { return "" }
    if args.count == 1 {
        if e.cls.isSubclass(of: ExceptionClasses.named("KeyError")) { return repr(args[0]) }
        return str(args[0])
    }
    return repr(.tuple(args))
}

/// Converts any Swift error into a script exception.
func toScriptException(_ error: Error) -> ScriptException {
    if let e = error as? ScriptException { return e }
    if let e = error as? ScriptError {
        let x = ScriptException(makeException(ExceptionClasses.named(e.kind.rawValue), [e.payload ?? .str(e.message)]))
        return x
    }
    if let e = error as? SyntaxError {
        return ScriptException(makeException(ExceptionClasses.named(e.kind), [.str("\(e.message) (line \(e.line))")]))
    }
    if error is Interrupted { return ScriptException("KeyboardInterrupt", "") }
    if let m = ErrorMapping.map(error) { return toScriptException(m) }
    return ScriptException("RuntimeError", String(describing: error))
}
