// Run-time parts that compiled `for` loops capture: the target, the body and the else block.

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
            try bind(fp, x)
            vm.ticks &-= 1
            if vm.ticks < 0 { try vm.poll() }
            let f = try body(fp)
            if f == .breakLoop { return .normal }
            if f == .returned { return f }
        }
        return try orelse(fp)
    }
}
