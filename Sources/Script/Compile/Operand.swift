/// How a fast path reads an expression: a parameter's slot (always bound), a global's cell, or the
/// expression's compiled closure. A class, read in place by the closures that capture it: switching
/// on a captured enum per read copied its payload (a retain and a release of the cell), and the first
/// two kinds spare a closure call (a module-level function's calls, `n - 1` on a parameter).
final class Operand {
    /// The parameter's slot, or -1.
    private let slot: Int
    /// The global's cell (read directly: going through its `GlobalRead` cost an extra load per call).
    private let cell: GlobalCell?
    /// Everything else: the expression's closure, or an unbound global's builtin or NameError.
    private let closure: EvalFn

    init(slot: Int) { self.slot = slot; cell = nil; closure = { _ in .none } }
    init(global: GlobalRead) { slot = -1; cell = global.cell; closure = { _ in try global.unset() } }
    init(closure: @escaping EvalFn) { slot = -1; cell = nil; self.closure = closure }

    /// The slot when the operand is a parameter (fast paths specialise their closure on it).
    var parameterSlot: Int? { slot >= 0 ? slot : nil }

    @inline(__always)
    func evaluate(_ fp: Fp) throws -> Value {
        if slot >= 0 { return fp[slot] }
        if let cell, let v = cell.value { return v }
        return try closure(fp)
    }

    /// The instance a parameter or a global holds, unretained (the slot or cell keeps it alive while
    /// no user code runs: attribute reads and stores); nil for anything else.
    @inline(__always)
    func peekInstance(_ fp: Fp) -> Unmanaged<InstanceObj>? {
        if slot >= 0 { return Value.peekInstance(fp + slot) }
        return cell?.peekInstance()
    }
}

/// What a global's read needs besides the cell: a builtin of the same name, or the NameError.
final class GlobalRead {
    let cell: GlobalCell
    let name: String, span: Span, ctx: CodeContext
    let vm: VM   // (strong, as the closures it replaces captured it: compiled code may outlive its session)
    init(_ cell: GlobalCell, _ name: String, _ span: Span, _ ctx: CodeContext, _ vm: VM) {
        self.cell = cell; self.name = name; self.span = span; self.ctx = ctx; self.vm = vm
    }
    /// The value when the module has not bound the name.
    @inline(never)
    func unset() throws -> Value {
        if let b = cell.builtin { return b }
        throw vm.annotate(ScriptError(.nameError, "name '\(name)' is not defined"), span, ctx)
    }
}
