// Run-time parts that compiled closures capture: a `for` loop's target, body and else block, and a
// module-level name's cell with what its read needs when the name is unbound.

/// A compiled `for` loop's run-time parts: the target (a local slot, a global's cell, or any other
/// target through its store closure), the body and the `else` block. (Ranges loop in `forLoop` itself.)
struct ForLoop {
    let vm: VM   // (strong, as the closures it replaces captured it: compiled code may outlive its session)
    let body: ExecFn, orelse: ExecFn
    let store: (Fp, Value) throws -> Void
    let slot: Int?, cell: GlobalCell?

    @inline(__always)
    func bind(_ fp: Fp, _ x: Value) throws {
        if let s = slot { fp[s] = x } else if let c = cell { c.value = x } else { try store(fp, x) }
    }

    // (each loop spells out the body's pass: a shared helper returning `Flow?` cost more per pass)

    /// A list: by index, re-reading the length each time as the list iterator does.
    @inline(__always)
    func over(_ fp: Fp, _ l: ListObj) throws -> Flow {
        var i = 0
        while i < l.items.count {
            try bind(fp, l.items[i])
            i += 1
            vm.ticks &-= 1
            if vm.ticks < 0 { try vm.poll() }
            let f = try body(fp)
            if f == .breakLoop { return .normal }
            if f == .returned { return f }
        }
        return try orelse(fp)
    }

    @inline(__always)
    func over(_ fp: Fp, _ iterator: IteratorObj) throws -> Flow {
        while let x = try iterator.next() {
            try store(fp, x)
            vm.ticks &-= 1
            if vm.ticks < 0 { try vm.poll() }
            let f = try body(fp)
            if f == .breakLoop { return .normal }
            if f == .returned { return f }
        }
        return try orelse(fp)
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
