import Engine
import Foundation

/// What running a cell produced.
public struct ExecutionResult {
    /// The cell's value (its last expression statement, unless the cell ends with `;` or it is None).
    public var value: MimeBundle?
    /// Set when the cell raised.
    public var error: ExecutionError?
}

/// An uncaught exception, ready to show.
public struct ExecutionError: Error, CustomStringConvertible {
    /// Exception class name (`ValueError`, `KeyboardInterrupt`, `SyntaxError`, …).
    public var name: String
    public var message: String
    /// The whole traceback text: header, frames innermost last with carets, then `Name: message`.
    public var traceback: String
    public var description: String { traceback }
}

/// `is_complete`.
public enum Completeness: Equatable {
    case complete
    case incomplete(indent: String)
    case invalid
}

/// Completion matches replacing `code[start..<end]` (Unicode scalar offsets).
public struct CompletionResult: Equatable {
    public var matches: [String]
    public var start: Int
    public var end: Int
}

/// A notebook's language state: globals that survive across cells, output routing, introspection.
/// Jupyter-agnostic; the kernel adapts it to its Interpreter protocol.
public final class ScriptSession {
    let vm: VM
    /// Output of running cells; replace it per request if needed.
    public var output: ScriptOutput { get { vm.output } set { vm.output = newValue } }

    public init(output: ScriptOutput = StandardOutput(), bindings: BindingTable = .standard(), argv: [String] = []) {
        vm = VM(table: bindings, output: output)
        vm.argv = argv
        vm.installBuiltins()
    }

    /// Runs one cell (`Cell In[n]` in tracebacks). Runs on a thread with a large stack.
    public func execute(code: String, cellNumber: Int) -> ExecutionResult {
        run(code: code, source: SourceFile(name: "Cell In[\(cellNumber)]", isCell: true, text: code), wantValue: true)
    }

    /// Runs a whole script file (no value is shown).
    public func runFile(code: String, path: String) -> ExecutionResult {
        run(code: code, source: SourceFile(name: path, isCell: false, text: code), wantValue: false)
    }

    func run(code: String, source: SourceFile, wantValue: Bool) -> ExecutionResult {
        var result = ExecutionResult()
        LargeStack.run {
            let previous = VM.current
            VM.current = self.vm
            defer { VM.current = previous }
            result = self.runHere(code: code, source: source, wantValue: wantValue)
        }
        return result
    }

    func runHere(code: String, source: SourceFile, wantValue: Bool) -> ExecutionResult {
        var body: [Stmt]
        do { body = try Parser.parse(code) } catch let e as SyntaxError {
            return ExecutionResult(value: nil, error: syntaxErrorResult(e, source))
        } catch { return ExecutionResult(value: nil, error: ExecutionError(name: "SyntaxError", message: "\(error)", traceback: "SyntaxError: \(error)")) }
        let resultName = "__cell_value__"
        var showValue = false
        if wantValue, let last = body.last, case .expr(let e) = last.kind, !Self.endsWithSemicolon(code) {
            body[body.count - 1] = Stmt(.assign([Expr(.name(resultName), e.span)], e), last.span)
            showValue = true
        }
        let compiler = Compiler(vm: vm, source: source)
        let module: CodeObj
        do { module = try compiler.compileModule(body) } catch let e as SyntaxError {
            return ExecutionResult(value: nil, error: syntaxErrorResult(e, source))
        } catch { return ExecutionResult(value: nil, error: ExecutionError(name: "SyntaxError", message: "\(error)", traceback: "SyntaxError: \(error)")) }
        vm.depth = 0
        vm.handledException = nil
        vm.isRunningCell = source.isCell
        do {
            try vm.runModule(module)
        } catch {
            let e = toScriptException(error)
            vm.globals[resultName]?.value = nil
            runCellEndHooks(value: nil, raised: true, isCell: source.isCell)
            return ExecutionResult(value: nil, error: ExecutionError(name: e.typeName, message: e.message, traceback: e.formatTraceback()))
        }
        var result = ExecutionResult()
        let shown = showValue ? vm.globals[resultName]?.value.flatMap { $0.isNone ? nil : $0 } : nil
        runCellEndHooks(value: shown, raised: false, isCell: source.isCell)
        if showValue, let c = vm.globals[resultName], let v = c.value {
            c.value = nil
            if !v.isNone {
                vm.setGlobal("_", v)
                result.value = vm.mimeBundle(for: v)
            }
        }
        return result
    }

    /// Lets bindings act when a run ends (before its value is shown), e.g. show the figures drawn in it.
    func runCellEndHooks(value: Value?, raised: Bool, isCell: Bool) {
        let end = CellEnd(output: vm.output, value: value, raised: raised, isCell: isCell)
        for hook in vm.table.cellEndHooks { hook(end) }
    }

    static func endsWithSemicolon(_ code: String) -> Bool {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: true)
        for line in lines.reversed() {
            var t = Substring(line)
            if let hash = t.firstIndex(of: "#"), !t[..<hash].contains("'"), !t[..<hash].contains("\"") { t = t[..<hash] }
            let s = t.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            return s.hasSuffix(";")
        }
        return false
    }

    func syntaxErrorResult(_ e: SyntaxError, _ source: SourceFile) -> ExecutionError {
        var tb = "  \(source.header), line \(e.line)\n"
        if e.line >= 1 && e.line <= source.lines.count {
            let raw = source.lines[e.line - 1]
            let trimmed = raw.drop { $0 == " " }
            let lead = raw.count - trimmed.count
            tb += "    \(trimmed)\n    " + String(repeating: " ", count: max(0, e.column - 1 - lead)) + "^\n"
        }
        tb += "\(e.kind): \(e.message)"
        return ExecutionError(name: e.kind, message: e.message, traceback: tb)
    }

    /// A global's value as text (`repr`), for tests and `user_expressions`.
    public func globalRepr(_ name: String) -> String? {
        guard let v = vm.getGlobal(name) else { return nil }
        var out = ""
        LargeStack.run {
            let previous = VM.current; VM.current = self.vm; defer { VM.current = previous }
            out = repr(v)
        }
        return out
    }

    /// Evaluates an expression (for `user_expressions`), returning its display bundle or an error.
    public func evaluate(_ expression: String) -> Result<MimeBundle, ExecutionError> {
        let r = execute(code: expression, cellNumber: 0)
        if let e = r.error { return .failure(e) }
        return .success(r.value ?? MimeBundle(data: ["text/plain": "None"]))
    }

    /// Sets the recursion limit (as `sys.setrecursionlimit`).
    public var recursionLimit: Int {
        get { vm.recursionLimit }
        set { vm.recursionLimit = min(max(newValue, 10), VM.maxRecursionLimit) }
    }
}

/// Runs script code on one thread with a large stack, so deep (but bounded) recursion never
/// overflows the caller's stack. Calls from several threads are serialized.
enum LargeStack {
    static let stackSize = 1 << 29
    nonisolated(unsafe) static var worker: Thread?
    static let callers = NSLock()
    static let cond = NSCondition()
    nonisolated(unsafe) static var job: (() -> Void)?
    nonisolated(unsafe) static var finished = false

    static func run(_ body: @escaping () -> Void) {
        if let w = worker, Thread.current === w { body(); return }
        callers.lock(); defer { callers.unlock() }
        cond.lock()
        if worker == nil {
            let t = Thread { loop() }
            t.stackSize = stackSize
            t.name = "myelin-script"
            worker = t
            t.start()
        }
        job = body
        finished = false
        cond.broadcast()
        while !finished { cond.wait() }
        cond.unlock()
    }

    static func loop() {
        while true {
            cond.lock()
            while job == nil { cond.wait() }
            let j = job
            cond.unlock()
            j?()
            cond.lock()
            job = nil
            finished = true
            cond.broadcast()
            cond.unlock()
        }
    }
}
