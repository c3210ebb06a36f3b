extension Compiler {
    /// A condition compiled to Bool directly (skips boxing for comparisons of ints).
    func condition(_ e: Expr) throws -> (Fp) throws -> Bool {
        let vm = self.vm, ctx = self.ctx, span = e.span
        let errSite = ErrorSite(vm, span, ctx)
        if case .compare(let a, let rest) = e.kind, rest.count == 1, case .int(let c) = rest[0].1.kind,
           let f = try compareWithInt(rest[0].0, a, c, span) { return f }
        if case .compare(let a, let rest) = e.kind, rest.count == 1 {
            let l = try expr(a), r = try expr(rest[0].1), op = rest[0].0
            switch op {
            case .lt: return { fp in let x = try l(fp), y = try r(fp); if case .int(let i) = x, case .int(let j) = y { return i < j }; if case .float(let p) = x, case .float(let q) = y { return p < q }; do { return truthy(try vm.compare(op, x, y)) } catch { throw errSite.annotate(error) } }
            case .le: return { fp in let x = try l(fp), y = try r(fp); if case .int(let i) = x, case .int(let j) = y { return i <= j }; if case .float(let p) = x, case .float(let q) = y { return p <= q }; do { return truthy(try vm.compare(op, x, y)) } catch { throw errSite.annotate(error) } }
            case .gt: return { fp in let x = try l(fp), y = try r(fp); if case .int(let i) = x, case .int(let j) = y { return i > j }; if case .float(let p) = x, case .float(let q) = y { return p > q }; do { return truthy(try vm.compare(op, x, y)) } catch { throw errSite.annotate(error) } }
            case .ge: return { fp in let x = try l(fp), y = try r(fp); if case .int(let i) = x, case .int(let j) = y { return i >= j }; if case .float(let p) = x, case .float(let q) = y { return p >= q }; do { return truthy(try vm.compare(op, x, y)) } catch { throw errSite.annotate(error) } }
            case .eq: return { fp in let x = try l(fp), y = try r(fp); if case .int(let i) = x, case .int(let j) = y { return i == j }; if case .float(let p) = x, case .float(let q) = y { return p == q }; do { return truthy(try vm.compare(op, x, y)) } catch { throw errSite.annotate(error) } }
            case .ne: return { fp in let x = try l(fp), y = try r(fp); if case .int(let i) = x, case .int(let j) = y { return i != j }; if case .float(let p) = x, case .float(let q) = y { return p != q }; do { return truthy(try vm.compare(op, x, y)) } catch { throw errSite.annotate(error) } }
            default: break
            }
        }
        if case .not(let inner) = e.kind { let c = try condition(inner); return { fp in try !c(fp) } }
        if case .and(let a, let b) = e.kind { let x = try condition(a), y = try condition(b); return { fp in try x(fp) && y(fp) } }
        if case .or(let a, let b) = e.kind { let x = try condition(a), y = try condition(b); return { fp in try x(fp) || y(fp) } }
        let f = try expr(e)
        return { fp in
            let v = try f(fp)
            switch v {
            case .bool(let b): return b
            case .int(let i): return i != 0
            case .none: return false
            default:
                if v.nativeObject != nil { do { return try vm.nativeTruth(v) } catch { throw errSite.annotate(error) } }
                return truthy(v)
            }
        }
    }

    func expr(_ e: Expr) throws -> EvalFn {
        let vm = self.vm, ctx = self.ctx, span = e.span
        let errSite = ErrorSite(vm, span, ctx)
        switch e.kind {
        case .name(let n): return load(n, span)
        case .int(let i): let v = Value.int(i); return { _ in v }
        case .float(let d): let v = Value.float(d); return { _ in v }
        case .string(let s): let v = Value.str(s); return { _ in v }
        case .const(let k):
            let v: Value
            switch k { case .none: v = .none; case .true: v = .bool(true); case .false: v = .bool(false); case .ellipsis: v = .ellipsis }
            return { _ in v }
        case .fstring(let parts): return try fstring(parts)
        case .list(let xs):
            let items = try sequence(xs)
            return { fp in .list(try items(fp)) }
        case .tuple(let xs):
            let items = try sequence(xs)
            return { fp in .tuple(try items(fp)) }
        case .set(let xs):
            let items = try sequence(xs)
            return { fp in
                let s = SetObj()
                do { for x in try items(fp) { try s.add(x) } } catch { throw errSite.annotate(error) }
                return .obj(s)
            }
        case .dict(let pairs):
            let ps = try pairs.map { (try $0.0.map { try expr($0) }, try expr($0.1)) }
            return { fp in
                let d = DictObj()
                do {
                    for (k, v) in ps {
                        if let k { try d.set(try k(fp), try v(fp)) }
                        else {
                            let other = try v(fp)
                            guard let od = other.asDict else { throw ScriptError(.typeError, "'\(typeName(other))' object is not a mapping") }
                            for (kk, vv) in od.orderedItems { try d.set(kk, vv) }
                        }
                    }
                } catch { throw errSite.annotate(error) }
                return .obj(d)
            }
        case .binary(let op, let a, let b): return try binary(op, a, b, span)
        case .unary(let op, let a):
            if op == .neg, case .int(let i) = a.kind { let v = Value.int(-i); return { _ in v } }
            if op == .neg, case .float(let d) = a.kind { let v = Value.float(-d); return { _ in v } }
            let f = try expr(a)
            return { fp in
                let v = try f(fp)
                if op == .neg, case .float(let d) = v { return .float(-d) }
                do { return try vm.unary(op, v) } catch { throw errSite.annotate(error) }
            }
        case .not(let a):
            let c = try condition(a)
            return { fp in .bool(try !c(fp)) }
        case .and(let a, let b):
            let x = try expr(a), y = try expr(b)
            return { fp in let v = try x(fp); return try vm.truth(v, span, ctx) ? try y(fp) : v }
        case .or(let a, let b):
            let x = try expr(a), y = try expr(b)
            return { fp in let v = try x(fp); return try vm.truth(v, span, ctx) ? v : try y(fp) }
        case .compare(let first, let rest):
            if rest.count == 1, [.lt, .le, .gt, .ge, .eq, .ne].contains(rest[0].0) {
                let c = try condition(e)
                let l = try expr(first), r = try expr(rest[0].1), op = rest[0].0
                _ = c
                return { fp in
                    let x = try l(fp), y = try r(fp)
                    if case .int(let i) = x, case .int(let j) = y {
                        switch op { case .lt: return .bool(i < j); case .le: return .bool(i <= j); case .gt: return .bool(i > j); case .ge: return .bool(i >= j); case .eq: return .bool(i == j); default: return .bool(i != j) }
                    }
                    do { return try vm.compare(op, x, y) } catch { throw errSite.annotate(error) }
                }
            }
            let f0 = try expr(first)
            let rs = try rest.map { ($0.0, ExprBox(eval: try expr($0.1))) }
            return { fp in
                var left = try f0(fp)
                var result = Value.bool(true)
                for (op, rf) in rs {
                    let right = try rf.eval(fp)
                    do { result = try vm.compare(op, left, right) } catch { throw errSite.annotate(error) }
                    if !truthy(result) { return result }
                    left = right
                }
                return result
            }
        case .call(let f, let args): return try call(f, args, span)
        case .attribute(let o, let name):
            let site = AttrSite()
            let obj = try operand(o)
            return { fp in
                // a parameter's or a global's instance (`self.x`, `model.w`): read where it lies
                if let inst = obj.peekInstance(fp), let a = inst.attribute(name, site: site) { return a }
                let v = try obj.evaluate(fp)
                if case .obj(let ob) = v, ob.kind == .instance,
                   let a = unsafeDowncast(ob, to: InstanceObj.self).attrs.value(name, site: site) { return a }
                do { return try vm.getAttr(v, name) } catch { throw errSite.annotate(error) }
            }
        case .subscript(let o, let i):
            // globals and parameters read in place (`xs[i]` at module level: no closure calls)
            let obj = try operand(o), idx = try operand(i)
            return { fp in
                let c = try obj.evaluate(fp), k = try idx.evaluate(fp)
                do {
                    // the object taken apart with `consume`: binding it from `c` retained it twice more
                    if case .obj = c {} else { return try vm.getItem(c, k) }  // not subscriptable: the TypeError
                    guard case .obj(let co) = consume c else { return .none }  // (not reached: checked above)
                    if co.kind == .list, case .int(let j) = k {
                        let l = unsafeDowncast(co, to: ListObj.self)
                        let n = l.items.count
                        let jj = j < 0 ? j + n : j
                        if jj >= 0 && jj < n { return l.items[jj] }
                    } else if co.kind == .dict, let v = try unsafeDowncast(co, to: DictObj.self).get(k) {
                        return v  // (a missing key: the KeyError from getItem)
                    }
                    return try vm.getItem(.obj(co), k)
                } catch { throw errSite.annotate(error) }
            }
        case .slice(let a, let b, let c):
            let none: EvalFn = { _ in .none }
            let fa = try a.map { try expr($0) } ?? none, fb = try b.map { try expr($0) } ?? none, fc = try c.map { try expr($0) } ?? none
            return { fp in .obj(SliceObj(try fa(fp), try fb(fp), try fc(fp))) }
        case .ifExpr(let c, let a, let b):
            let cond = try condition(c), x = try expr(a), y = try expr(b)
            return { fp in try cond(fp) ? try x(fp) : try y(fp) }
        case .lambda(let ps, let body):
            let ret = Stmt(.returnStmt(body), body.span)
            return try function(name: "<lambda>", params: ps, body: [ret], node: ObjectIdentifier(e), line: span.line)
        case .listComp(let elt, let comps):
            return try comprehension(comps, span) { c in
                let f = try c.expr(elt)
                // (`acc` is always the object `make` built: no dynamic cast per item)
                return { fp, acc in unsafeDowncast(acc, to: ListObj.self).items.append(try f(fp)) }
            } make: { ListObj([]) }
        case .setComp(let elt, let comps):
            return try comprehension(comps, span) { c in
                let f = try c.expr(elt)
                return { fp, acc in try unsafeDowncast(acc, to: SetObj.self).add(try f(fp)) }
            } make: { SetObj() }
        case .dictComp(let k, let v, let comps):
            return try comprehension(comps, span) { c in
                let fk = try c.expr(k), fv = try c.expr(v)
                return { fp, acc in try unsafeDowncast(acc, to: DictObj.self).set(try fk(fp), try fv(fp)) }
            } make: { DictObj() }
        case .starred:
            throw SyntaxError(kind: "SyntaxError", message: "can't use starred expression here", line: span.line, column: span.column, incomplete: false)
        }
    }

    /// Items of a list/tuple/set display, expanding `*xs`.
    func sequence(_ xs: [Expr]) throws -> (Fp) throws -> [Value] {
        let vm = self.vm
        let hasStar = xs.contains { if case .starred = $0.kind { return true }; return false }
        if !hasStar {
            let fs = try xs.map { ExprBox(eval: try expr($0)) }
            return { fp in
                var out: [Value] = []
                out.reserveCapacity(fs.count)
                for f in fs { out.append(try f.eval(fp)) }
                return out
            }
        }
        let fs: [(Bool, EvalFn)] = try xs.map { x in
            if case .starred(let inner) = x.kind { return (true, try expr(inner)) }
            return (false, try expr(x))
        }
        return { fp in
            var out: [Value] = []
            for (star, f) in fs { if star { out.append(contentsOf: try vm.toArray(try f(fp))) } else { out.append(try f(fp)) } }
            return out
        }
    }

    func comprehension(_ comps: [Comp], _ span: Span, body: (Compiler) throws -> (Fp, Obj) throws -> Void, make: @escaping () -> Obj) throws -> EvalFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        // each comprehension gets hidden slots for its targets
        var overlay: [String: Int] = [:]
        func collect(_ t: Expr) {
            switch t.kind {
            case .name(let n): overlay[n] = newSlot()
            case .tuple(let xs), .list(let xs): xs.forEach(collect)
            case .starred(let x): collect(x)
            default: break
            }
        }
        // the first iterable is evaluated in the enclosing scope
        let firstIter = try expr(comps[0].iter)
        for c in comps { collect(c.target) }
        compOverlay.append(overlay)
        defer { compOverlay.removeLast() }
        let levels: [(ExprBox, StoreBox, [CondBox])] = try comps.enumerated().map { (i, c) in
            (ExprBox(eval: i == 0 ? firstIter : try expr(c.iter)), StoreBox(store: try storeTarget(c.target)), try c.conditions.map { CondBox(test: try condition($0)) })
        }
        // a plain-name target is stored straight into its hidden slot
        let targetSlots: [Int?] = comps.map { c in
            if case .name(let n) = c.target.kind { return overlay[n] }
            return nil
        }
        let emit = try body(self)
        func loop(_ level: Int) -> (Fp, Obj) throws -> Void {
            if level == levels.count { return emit }
            let conds = levels[level].2
            // one condition (the usual case) called directly: from an array each call retained it
            let test: ((Fp) throws -> Bool)? = conds.count <= 1 ? conds.first?.test : { fp in
                for c in conds { if try !c.test(fp) { return false } }
                return true
            }
            return comprehensionLevel(levels[level].0.eval, levels[level].1.store, targetSlots[level], test, loop(level + 1), errSite)
        }
        let run = loop(0)
        return { fp in
            let acc = make()
            try run(fp, acc)
            return .obj(acc)
        }
    }

    /// One `for … in … if …` of a comprehension: items stored into the target (straight into its
    /// slot for a plain name), filtered by `test`, handed to `next`.
    private func comprehensionLevel(_ iter: @escaping EvalFn, _ st: @escaping (Fp, Value) throws -> Void, _ slotTarget: Int?,
                                    _ test: ((Fp) throws -> Bool)?, _ next: @escaping (Fp, Obj) throws -> Void,
                                    _ errSite: ErrorSite) -> (Fp, Obj) throws -> Void {
        let vm = self.vm
        return { fp, acc in
            let src = try iter(fp)
            // lists: by index, re-reading the length each time as the list iterator does
            if case .obj(let so) = src, so.kind == .list {
                let l = unsafeDowncast(so, to: ListObj.self)
                var i = 0
                while i < l.items.count {
                    if let s = slotTarget { fp[s] = l.items[i] } else { try st(fp, l.items[i]) }
                    i += 1
                    vm.ticks &-= 1
                    if vm.ticks < 0 { try vm.poll() }
                    if let test, try !test(fp) { continue }
                    try next(fp, acc)
                }
                return
            }
            let it: IteratorObj
            do { it = try vm.iterate(src) } catch { throw errSite.annotate(error) }
            while let x = try it.next() {
                if let s = slotTarget { fp[s] = x } else { try st(fp, x) }
                vm.ticks &-= 1
                if vm.ticks < 0 { try vm.poll() }
                if let test, try !test(fp) { continue }
                try next(fp, acc)
            }
        }
    }

    func fstring(_ parts: [FPart]) throws -> EvalFn {
        let fs: [TextBox] = try parts.map { p in TextBox(text: try fpart(p)) }
        return { fp in
            var s = ""
            for f in fs { s += try f.text(fp) }
            return .str(s)
        }
    }

    func fpart(_ p: FPart) throws -> (Fp) throws -> String {
        let vm = self.vm, ctx = self.ctx
            switch p {
            case .literal(let s): return { _ in s }
            case .field(let e, let conv, let spec):
                let f = try expr(e)
                let specF = try spec.map { try fstring($0) }
                let span = e.span
                return { fp in
                    var v = try f(fp)
                    if conv == "r" { v = .str(repr(v)) } else if conv == "s" { v = .str(str(v)) } else if conv == "a" { v = .str(repr(v)) }
                    let sp = try specF.map { try $0(fp).stringValue ?? "" } ?? ""
                    do { return try vm.format(v, sp) } catch { throw vm.annotate(error, span, ctx) }
                }
            }
    }

    /// The slot of a name that is a parameter (always bound): read without a closure call or check.
    func boundSlot(_ e: Expr) -> Int? {
        if case .name(let n) = e.kind, case .slot(let s, checked: false) = resolve(n) { return s }
        return nil
    }

    /// How a fast path reads `e`: a parameter straight from its slot, a global from its cell, anything
    /// else through its compiled closure (see `Operand`).
    func operand(_ e: Expr) throws -> Operand {
        if let s = boundSlot(e) { return Operand(slot: s) }
        if case .name(let n) = e.kind, case .global(let cell) = resolve(n) { return Operand(global: GlobalRead(cell, n, e.span, ctx, vm)) }
        return Operand(closure: try expr(e))
    }

    /// `a op c` for an int literal `c`: the int case inline, the literal never re-evaluated,
    /// the operand read without a closure call when it is a parameter or a global.
    func binaryWithInt(_ op: BinOp, _ a: Expr, _ c: Int, _ span: Span) throws -> EvalFn? {
        let errSite = ErrorSite(vm, span, ctx)
        @inline(__always) func fast(_ i: Int) -> Value? {
            switch op {
            case .add: let (r, o) = i.addingReportingOverflow(c); return o ? nil : .int(r)
            case .sub: let (r, o) = i.subtractingReportingOverflow(c); return o ? nil : .int(r)
            case .mul: let (r, o) = i.multipliedReportingOverflow(by: c); return o ? nil : .int(r)
            case .mod: let m = i % c; return .int(m < 0 ? m + c : m)
            case .floordiv: let q = i / c; return .int((i % c != 0 && i < 0) ? q - 1 : q)
            default: return nil
            }
        }
        switch op {
        case .add, .sub, .mul: break
        case .mod, .floordiv: if c <= 0 { return nil }
        default: return nil
        }
        // a parameter gets its own closure: the operand's check inside the closure cost ~5 % more
        // instructions on call-heavy code (fib)
        let x = try operand(a)
        if let s = x.parameterSlot {
            return { fp in
                let v = fp[s]
                if case .int(let i) = v, let r = fast(i) { return r }
                do { return try errSite.vm.binary(op, v, .int(c)) } catch { throw errSite.annotate(error) }
            }
        }
        return { fp in
            let v = try x.evaluate(fp)
            if case .int(let i) = v, let r = fast(i) { return r }
            do { return try errSite.vm.binary(op, v, .int(c)) } catch { throw errSite.annotate(error) }
        }
    }

    /// `a cmp c` as a condition for an int literal `c` (see `binaryWithInt`).
    func compareWithInt(_ op: CmpOp, _ a: Expr, _ c: Int, _ span: Span) throws -> ((Fp) throws -> Bool)? {
        let errSite = ErrorSite(vm, span, ctx)
        @inline(__always) func test(_ i: Int) -> Bool {
            switch op {
            case .lt: return i < c
            case .le: return i <= c
            case .gt: return i > c
            case .ge: return i >= c
            case .eq: return i == c
            default: return i != c
            }
        }
        switch op {
        case .lt, .le, .gt, .ge, .eq, .ne: break
        default: return nil
        }
        let x = try operand(a)
        if let s = x.parameterSlot {  // a parameter gets its own closure, as in binaryWithInt
            return { fp in
                let v = fp[s]
                if case .int(let i) = v { return test(i) }
                do { return truthy(try errSite.vm.compare(op, v, .int(c))) } catch { throw errSite.annotate(error) }
            }
        }
        return { fp in
            let v = try x.evaluate(fp)
            if case .int(let i) = v { return test(i) }
            do { return truthy(try errSite.vm.compare(op, v, .int(c))) } catch { throw errSite.annotate(error) }
        }
    }

    func binary(_ op: BinOp, _ a: Expr, _ b: Expr, _ span: Span) throws -> EvalFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        if case .int(let c) = b.kind, let f = try binaryWithInt(op, a, c, span) { return f }
        let l = try expr(a), r = try expr(b)
        switch op {
        case .add:
            return { fp in
                let x = try l(fp), y = try r(fp)
                if case .int(let i) = x, case .int(let j) = y { let (s, o) = i.addingReportingOverflow(j); if !o { return .int(s) } }
                else if case .float(let p) = x, case .float(let q) = y { return .float(p + q) }
                do { return try vm.add(consume x, consume y) } catch { throw errSite.annotate(error) }
            }
        case .sub:
            return { fp in
                let x = try l(fp), y = try r(fp)
                if case .int(let i) = x, case .int(let j) = y { let (s, o) = i.subtractingReportingOverflow(j); if !o { return .int(s) } }
                else if case .float(let p) = x, case .float(let q) = y { return .float(p - q) }
                do { return try vm.binary(op, x, y) } catch { throw errSite.annotate(error) }
            }
        case .mul:
            return { fp in
                let x = try l(fp), y = try r(fp)
                if case .int(let i) = x, case .int(let j) = y { let (s, o) = i.multipliedReportingOverflow(by: j); if !o { return .int(s) } }
                else if case .float(let p) = x, case .float(let q) = y { return .float(p * q) }
                do { return try vm.binary(op, x, y) } catch { throw errSite.annotate(error) }
            }
        case .div:
            return { fp in
                let x = try l(fp), y = try r(fp)
                if case .float(let p) = x, case .float(let q) = y, q != 0 { return .float(p / q) }
                do { return try vm.binary(op, x, y) } catch { throw errSite.annotate(error) }
            }
        default:
            return { fp in
                let x = try l(fp), y = try r(fp)
                if case .int(let i) = x, case .int(let j) = y, j > 0 {
                    if op == .mod { let m = i % j; return .int(m < 0 ? m + j : m) }
                    if op == .floordiv { let q = i / j; return .int((i % j != 0 && i < 0) ? q - 1 : q) }
                }
                do { return try vm.binary(op, x, y) } catch { throw errSite.annotate(error) }
            }
        }
    }
}
