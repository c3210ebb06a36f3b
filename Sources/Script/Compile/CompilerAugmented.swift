/// Augmented assignment (`x += e`, `obj.a -= e`, `xs[i] *= e`): int and float pairs inline,
/// everything else (in-place list `+=`, native in-place hooks, `__iadd__`-style dunders, then the
/// plain operator) through `combine`. Python's order: target, current value, right side, store.
extension Compiler {
    typealias Combine = (Value, Value) throws -> Value

    func augAssign(_ t: Expr, _ op: BinOp, _ value: Expr, _ span: Span) throws -> ExecFn {
        let v = try expr(value)
        let combine = augmentedCombine(op)
        switch t.kind {
        case .name(let n): return augAssignName(n, t.span, op, v, combine, span)
        case .attribute(let o, let name): return try augAssignAttribute(o, name, op, v, runsNoUserCode(value), combine, span)
        case .subscript(let o, let i): return try augAssignItem(o, i, op, v, combine, span)
        default:
            throw SyntaxError(kind: "SyntaxError", message: "illegal expression for augmented assignment", line: t.span.line, column: t.span.column, incomplete: false)
        }
    }

    /// The general `a op= b`.
    func augmentedCombine(_ op: BinOp) -> Combine {
        let vm = self.vm
        let nativeOp = BinaryOperator(rawValue: op.rawValue)
        return { a, b in
            // in-place forms for lists (+=) like Python
            if op == .add, let l = a.asList {
                if let lb = b.asList { l.items.append(contentsOf: lb.items); return a }
                l.items.append(contentsOf: try vm.toArray(b)); return a
            }
            if let nativeOp, let n = a.nativeObject, let f = n.type.inplaceOperator,
               let r = try f(nativeOp, a, b) { return r }
            if let inst = a.asInstance {
                let iname = "__i" + (VM.dunders[op]?.0.dropFirst(2) ?? "")
                if let m = inst.cls.lookup(iname) { return try vm.call(m, [a, b]) }
            }
            return try vm.binary(op, a, b)
        }
    }

    /// Int (without overflow) and float `+ - *` inline; nil sends the pair to `combine`.
    @inline(__always)
    static func quickArithmetic(_ op: BinOp, _ a: Value, _ b: Value) -> Value? {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case .add: let (z, o) = x.addingReportingOverflow(y); return o ? nil : .int(z)
            case .sub: let (z, o) = x.subtractingReportingOverflow(y); return o ? nil : .int(z)
            case .mul: let (z, o) = x.multipliedReportingOverflow(by: y); return o ? nil : .int(z)
            default: return nil
            }
        case (.float(let x), .float(let y)):
            switch op {
            case .add: return .float(x + y)
            case .sub: return .float(x - y)
            case .mul: return .float(x * y)
            default: return nil
            }
        default: return nil
        }
    }

    func augAssignName(_ n: String, _ nameSpan: Span, _ op: BinOp, _ v: @escaping EvalFn, _ combine: @escaping Combine, _ span: Span) -> ExecFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        let ld = load(n, nameSpan)
        switch resolve(n) {
        case .slot(let s, _):
            return { fp in
                let cur = try ld(fp), r = try v(fp)
                if let x = Compiler.quickArithmetic(op, cur, r) { fp[s] = x; return .normal }
                do { fp[s] = try combine(cur, r) } catch { throw errSite.annotate(error) }
                return .normal
            }
        case .global(let cell):
            // module-level counters (`total += x`): the cell read and written in place
            return { fp in
                let cur = try ld(fp), r = try v(fp)
                do { cell.value = try Compiler.quickArithmetic(op, cur, r) ?? combine(cur, r) } catch { throw errSite.annotate(error) }
                return .normal
            }
        default:
            let st = store(n)
            return { fp in
                let cur = try ld(fp), r = try v(fp)
                do { try st(fp, try Compiler.quickArithmetic(op, cur, r) ?? combine(cur, r)) } catch { throw errSite.annotate(error) }
                return .normal
            }
        }
    }

    /// `obj.a op= v`. With a plain right side (`rightIsPlain`: a literal or a variable, which runs no
    /// user code), a parameter's or global's instance is updated where its slot or cell holds it.
    func augAssignAttribute(_ o: Expr, _ name: String, _ op: BinOp, _ v: @escaping EvalFn, _ rightIsPlain: Bool, _ combine: @escaping Combine, _ span: Span) throws -> ExecFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        let obj = try operand(o)
        let site = AttrSite()
        return { fp in
            do {
                if rightIsPlain, let inst = obj.peekInstance(fp), try inst._withUnsafeGuaranteedRef({ i in
                    guard i.storesAttributesPlainly, let cur = i.attrs.value(name, site: site),
                          let x = Compiler.quickArithmetic(op, cur, try v(fp)) else { return false }
                    i.attrs.set(name, x, site: site)
                    return true
                }) { return .normal }
                // (evaluating a plain right side again below is harmless)
                let target = try obj.evaluate(fp)
                // a plain instance holding the attribute itself: read and write its entry directly
                if case .obj(let ob) = target, ob.kind == .instance {
                    let inst = unsafeDowncast(ob, to: InstanceObj.self)
                    if inst.storesAttributesPlainly, let cur = inst.attrs.value(name, site: site) {
                        let r = try v(fp)
                        // the right side may have added or removed attributes: `set` finds the entry again
                        inst.attrs.set(name, try Compiler.quickArithmetic(op, cur, r) ?? combine(cur, r), site: site)
                        return .normal
                    }
                }
                let cur = try vm.getAttr(target, name)
                try vm.setAttr(target, name, try combine(cur, try v(fp)))
            } catch { throw errSite.annotate(error) }
            return .normal
        }
    }

    /// True when evaluating `e` cannot run user code (a literal or a variable), so nothing can rebind
    /// or free what a fast path holds unretained meanwhile.
    func runsNoUserCode(_ e: Expr) -> Bool {
        switch e.kind {
        case .int, .float, .string, .name: return true
        default: return false
        }
    }

    func augAssignItem(_ o: Expr, _ i: Expr, _ op: BinOp, _ v: @escaping EvalFn, _ combine: @escaping Combine, _ span: Span) throws -> ExecFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        let obj = try expr(o), idx = try expr(i)
        return { fp in
            let c = try obj(fp), k = try idx(fp)
            do {
                if case .obj(let co) = c, co.kind == .list, case .int(let j) = k {
                    let l = unsafeDowncast(co, to: ListObj.self)
                    let jj = j < 0 ? j + l.items.count : j
                    if jj >= 0 && jj < l.items.count {
                        let cur = l.items[jj], r = try v(fp)
                        let x = try Compiler.quickArithmetic(op, cur, r) ?? combine(cur, r)
                        // the right side may have resized the list: index it afresh
                        let j2 = j < 0 ? j + l.items.count : j
                        if j2 >= 0 && j2 < l.items.count { l.items[j2] = x } else { try vm.setItem(c, k, x) }
                        return .normal
                    }
                }
                let cur = try vm.getItem(c, k)
                try vm.setItem(c, k, try combine(cur, try v(fp)))
            } catch { throw errSite.annotate(error) }
            return .normal
        }
    }
}
