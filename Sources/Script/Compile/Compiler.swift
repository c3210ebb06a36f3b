import Foundation

/// Where compiled code lives, for tracebacks.
final class CodeContext {
    let source: SourceFile
    let function: String
    init(_ s: SourceFile, _ f: String) { source = s; function = f }
}

/// How a name is reached from compiled code.
enum NameRef {
    case slot(Int, checked: Bool)   // plain local
    case cell(Int)                  // local or free variable boxed in a CellObj
    case global(GlobalCell)
    case classNS(String, fallback: GlobalCell)
}

/// Compiles syntax trees into closures over frame slots (`Fp`). Names are resolved to slots,
/// cells or global cells here, once; the closures never look names up by string at run time.
final class Compiler {
    unowned(unsafe) let vm: VM
    let source: SourceFile
    var analyzer = ScopeAnalyzer()

    // per code object state
    var scope: ScopeInfo
    var slots: [String: Int] = [:]
    var nslots = 0
    var paramCount = 0
    var compOverlay: [[String: Int]] = []
    var ctx: CodeContext
    var loopDepth = 0
    var className: String?

    init(vm: VM, source: SourceFile) {
        self.vm = vm
        self.source = source
        scope = ScopeInfo(.module, nil)
        ctx = CodeContext(source, "<module>")
    }

    /// Compiles a module or cell; the returned code runs in a frame of `nslots` slots.
    func compileModule(_ body: [Stmt]) throws -> CodeObj {
        scope = try analyzer.analyze(module: body)
        let b = try block(body)
        return CodeObj(name: "<module>", params: Params(), nslots: nslots, varargsSlot: nil, kwargsSlot: nil, cellSlots: [], freeSlots: [], doc: nil, source: source, line: 1, body: b)
    }

    func newSlot() -> Int { nslots += 1; return nslots - 1 }

    // MARK: names

    func resolve(_ n: String) -> NameRef {
        for overlay in compOverlay.reversed() { if let s = overlay[n] { return .slot(s, checked: false) } }
        switch scope.kind {
        case .module: return .global(vm.cell(n))
        case .classBody:
            if let s = slots[n], scope.cells.contains(n) || scope.free.contains(n) {
                if scope.isLocal(n) && n != "__class__" { return .classNS(n, fallback: vm.cell(n)) }
                return .cell(s)
            }
            return .classNS(n, fallback: vm.cell(n))
        case .function:
            if scope.globals.contains(n) { return .global(vm.cell(n)) }
            if let s = slots[n] {
                if scope.cells.contains(n) || scope.free.contains(n) { return .cell(s) }
                return .slot(s, checked: s >= paramCount)
            }
            return .global(vm.cell(n))
        }
    }

    func load(_ n: String, _ span: Span) -> EvalFn {
        let vm = self.vm, ctx = self.ctx
        switch resolve(n) {
        case .slot(let s, let checked):
            if !checked { return { fp in fp[s] } }
            return { fp in
                let v = fp[s]
                if case .obj(let o) = v, o === UnboundMarker.shared {
                    throw vm.annotate(ScriptError(.unboundLocalError, "cannot access local variable '\(n)' where it is not associated with a value"), span, ctx)
                }
                return v
            }
        case .cell(let s):
            return { fp in
                guard case .obj(let o) = fp[s], let v = unsafeDowncast(o, to: CellObj.self).value else {
                    throw vm.annotate(ScriptError(.nameError, "cannot access free variable '\(n)' where it is not associated with a value in enclosing scope"), span, ctx)
                }
                return v
            }
        case .global(let c):
            // one captured object: the closure is entered directly, without unpacking a capture box
            let read = GlobalRead(c, n, span, ctx, vm)
            return { _ in
                if let v = read.cell.value { return v }
                return try read.unset()
            }
        case .classNS(let name, let c):
            return { fp in
                if case .obj(let o) = fp[0], let v = unsafeDowncast(o, to: DictObj.self).get(string: name) { return v }
                if let v = c.value { return v }
                if let b = c.builtin { return b }
                throw vm.annotate(ScriptError(.nameError, "name '\(n)' is not defined"), span, ctx)
            }
        }
    }

    func store(_ n: String) -> (Fp, Value) throws -> Void {
        switch resolve(n) {
        case .slot(let s, _): return { fp, v in fp[s] = v }
        case .cell(let s): return { fp, v in if case .obj(let o) = fp[s] { unsafeDowncast(o, to: CellObj.self).value = v } }
        case .global(let c): return { _, v in c.value = v }
        case .classNS(let name, _): return { fp, v in if case .obj(let o) = fp[0] { try unsafeDowncast(o, to: DictObj.self).set(.str(name), v) } }
        }
    }

    /// Assignment to any target: name, attribute, subscript, tuple/list unpacking (with one `*rest`).
    func storeTarget(_ t: Expr) throws -> (Fp, Value) throws -> Void {
        let vm = self.vm, ctx = self.ctx, span = t.span
        let errSite = ErrorSite(vm, span, ctx)
        switch t.kind {
        case .name(let n): return store(n)
        case .attribute(let o, let name):
            let site = AttrSite()
            let obj = try operand(o)
            return { fp, v in
                // `self.x = v`, `model.w = v`: the value is already computed and storing runs no user
                // code, so the slot or global holds the instance throughout
                if let inst = obj.peekInstance(fp), inst.storeAttribute(name, v, site: site) { return }
                let target = try obj.evaluate(fp)
                if case .obj(let o) = target, o.kind == .instance {
                    let inst = unsafeDowncast(o, to: InstanceObj.self)
                    if inst.storesAttributesPlainly { inst.attrs.set(name, v, site: site); return }
                }
                do { try vm.setAttr(target, name, v) } catch { throw errSite.annotate(error) }
            }
        case .subscript(let o, let i):
            // globals and parameters read in place (`d[k] = v` at module level: no closure calls)
            let obj = try operand(o), idx = try operand(i)
            return { fp, v in
                let c = try obj.evaluate(fp), k = try idx.evaluate(fp)
                do {
                    // the object taken apart with `consume`: binding it from `c` retained it twice more
                    if case .obj = c {} else { return try vm.setItem(c, k, v) }  // not a container: the TypeError
                    guard case .obj(let co) = consume c else { return }  // (not reached: checked above)
                    if co.kind == .dict { try unsafeDowncast(co, to: DictObj.self).set(k, v); return }
                    if co.kind == .list, case .int(let j) = k {
                        let l = unsafeDowncast(co, to: ListObj.self)
                        let n = l.items.count
                        let jj = j < 0 ? j + n : j
                        if jj >= 0 && jj < n { l.items[jj] = v; return }
                    }
                    try vm.setItem(.obj(co), k, v)
                } catch { throw errSite.annotate(error) }
            }
        case .tuple(let xs), .list(let xs):
            let stores = try xs.map { x -> StoreBox in
                if case .starred(let inner) = x.kind { return StoreBox(store: try storeTarget(inner)) }
                return StoreBox(store: try storeTarget(x))
            }
            let starIndex = xs.firstIndex { if case .starred = $0.kind { return true }; return false }
            return { fp, v in
                let items: [Value]
                do { items = try vm.toArray(v) } catch {
                    throw vm.annotate(ScriptError(.typeError, "cannot unpack non-iterable \(typeName(v)) object"), span, ctx)
                }
                if let si = starIndex {
                    let after = stores.count - si - 1
                    if items.count < stores.count - 1 { throw vm.annotate(ScriptError(.valueError, "not enough values to unpack (expected at least \(stores.count - 1), got \(items.count))"), span, ctx) }
                    for i in 0..<si { try stores[i].store(fp, items[i]) }
                    try stores[si].store(fp, .list(Array(items[si..<(items.count - after)])))
                    for j in 0..<after { try stores[si + 1 + j].store(fp, items[items.count - after + j]) }
                    return
                }
                if items.count != stores.count {
                    let msg = items.count > stores.count ? "too many values to unpack (expected \(stores.count))" : "not enough values to unpack (expected \(stores.count), got \(items.count))"
                    throw vm.annotate(ScriptError(.valueError, msg), span, ctx)
                }
                for i in 0..<stores.count { try stores[i].store(fp, items[i]) }
            }
        default:
            throw SyntaxError(kind: "SyntaxError", message: "cannot assign to expression", line: t.span.line, column: t.span.column, incomplete: false)
        }
    }

    // MARK: statements

    func block(_ body: [Stmt]) throws -> ExecFn {
        // boxed so elements keep their concrete closure representation (no reabstraction thunks)
        let boxed = try body.map { StmtBox(run: try stmt($0)) }
        switch boxed.count {
        case 0: return { _ in .normal }
        case 1: return boxed[0].run
        case 2:
            let a = boxed[0].run, b = boxed[1].run
            return { fp in let f = try a(fp); if f != .normal { return f }; return try b(fp) }
        default:
            return { fp in
                for b in boxed { let r = try b.run(fp); if r != .normal { return r } }
                return .normal
            }
        }
    }

    func stmt(_ s: Stmt) throws -> ExecFn {
        let vm = self.vm, ctx = self.ctx, span = s.span
        let errSite = ErrorSite(vm, span, ctx)
        if let merged = try annotatedSimpleStmt(s) { return merged }
        let inner = try stmtInner(s)
        switch s.kind {
        case .def, .classDef, .pass, .breakStmt, .continueStmt, .ifStmt, .whileStmt, .forStmt, .tryStmt, .with, .global, .nonlocal:
            return inner
        default:
            // a statement-level fallback location for errors no expression claimed
            return { fp in
                do { return try inner(fp) } catch { throw errSite.annotate(error) }
            }
        }
    }

    /// The commonest statements with their error location built in (one closure instead of two):
    /// `return e`, an expression statement, `local = e`, and `if` without `else`.
    func annotatedSimpleStmt(_ s: Stmt) throws -> ExecFn? {
        let vm = self.vm, ctx = self.ctx, span = s.span
        let errSite = ErrorSite(vm, span, ctx)
        switch s.kind {
        case .returnStmt(let e?) where scope.kind == .function:
            if let s = boundSlot(e) {
                return { fp in vm.returnValue = fp[s]; return .returned }  // `return n`: no inner closure
            }
            let f = try expr(e)
            return { fp in
                do { vm.returnValue = try f(fp) } catch { throw errSite.annotate(error) }
                return .returned
            }
        case .expr(let e):
            let f = try expr(e)
            return { fp in
                do { _ = try f(fp) } catch { throw errSite.annotate(error) }
                return .normal
            }
        case .assign(let targets, let value) where targets.count == 1:
            let v = try expr(value)
            if case .name(let n) = targets[0].kind, case .slot(let slot, _) = resolve(n) {
                return { fp in
                    do { fp[slot] = try v(fp) } catch { throw errSite.annotate(error) }
                    return .normal
                }
            }
            if case .name(let n) = targets[0].kind, case .global(let cell) = resolve(n) {
                return { fp in
                    do { cell.value = try v(fp) } catch { throw errSite.annotate(error) }
                    return .normal
                }
            }
            let st = try storeTarget(targets[0])
            return { fp in
                do { try st(fp, try v(fp)) } catch { throw errSite.annotate(error) }
                return .normal
            }
        case .ifStmt(let c, let body, let orelse) where orelse.isEmpty:
            let cond = try condition(c), b = try block(body)
            return { fp in try cond(fp) ? try b(fp) : .normal }
        default:
            return nil
        }
    }

    func stmtInner(_ s: Stmt) throws -> ExecFn {
        let vm = self.vm, ctx = self.ctx
        switch s.kind {
        case .expr(let e):
            let f = try expr(e)
            return { fp in _ = try f(fp); return .normal }
        case .assign(let targets, let value):
            let v = try expr(value)
            if targets.count == 1 {
                if case .name(let n) = targets[0].kind, case .slot(let slot, _) = resolve(n) {
                    return { fp in fp[slot] = try v(fp); return .normal }
                }
                let st = try storeTarget(targets[0])
                return { fp in try st(fp, try v(fp)); return .normal }
            }
            let sts = try targets.map { try storeTarget($0) }
            return { fp in let x = try v(fp); for st in sts { try st(fp, x) }; return .normal }
        case .annAssign(let t, let v):
            guard let v else { return { _ in .normal } }
            let st = try storeTarget(t), val = try expr(v)
            return { fp in try st(fp, try val(fp)); return .normal }
        case .augAssign(let t, let op, let value):
            return try augAssign(t, op, value, s.span)
        case .ifStmt(let c, let body, let orelse):
            let cond = try condition(c), b = try block(body), o = try block(orelse)
            return { fp in try cond(fp) ? try b(fp) : try o(fp) }
        case .whileStmt(let c, let body, let orelse):
            let cond = try condition(c)
            loopDepth += 1
            let b = try block(body)
            loopDepth -= 1
            let o = try block(orelse)
            return { fp in
                while try cond(fp) {
                    vm.ticks &-= 1
                    if vm.ticks < 0 { try vm.poll() }
                    let f = try b(fp)
                    if f == .breakLoop { return .normal }
                    if f == .returned { return f }
                }
                return try o(fp)
            }
        case .forStmt(let t, let iter, let body, let orelse):
            return try forLoop(t, iter, body, orelse)
        case .breakStmt:
            if loopDepth == 0 { throw SyntaxError(kind: "SyntaxError", message: "'break' outside loop", line: s.span.line, column: s.span.column, incomplete: false) }
            return { _ in .breakLoop }
        case .continueStmt:
            if loopDepth == 0 { throw SyntaxError(kind: "SyntaxError", message: "'continue' not properly in loop", line: s.span.line, column: s.span.column, incomplete: false) }
            return { _ in .continueLoop }
        case .pass, .global, .nonlocal: return { _ in .normal }
        case .returnStmt(let e):
            if scope.kind != .function { throw SyntaxError(kind: "SyntaxError", message: "'return' outside function", line: s.span.line, column: s.span.column, incomplete: false) }
            guard let e else { return { _ in vm.returnValue = .none; return .returned } }
            let f = try expr(e)
            return { fp in vm.returnValue = try f(fp); return .returned }
        case .def(let name, let params, let body):
            let make = try function(name: name, params: params, body: body, node: ObjectIdentifier(s), line: s.span.line)
            let st = store(name)
            return { fp in try st(fp, try make(fp)); return .normal }
        case .classDef(let name, let base, let body):
            return try classDef(s, name, base, body)
        case .with(let e, let target, let body):
            return try withStmt(e, target, body, s.span)
        case .assert(let c, let msg):
            let cond = try condition(c), m = try msg.map { try expr($0) }
            return { fp in
                if try !cond(fp) {
                    let args: [Value] = try m.map { [try $0(fp)] } ?? []
                    throw ScriptException(makeException(ExceptionClasses.named("AssertionError"), args))
                }
                return .normal
            }
        case .tryStmt(let body, let handlers, let orelse, let fin):
            return try tryStmt(body, handlers, orelse, fin)
        case .raise(let e, let cause):
            let ev = try e.map { try expr($0) }
            _ = try cause.map { try expr($0) }
            return { fp in
                guard let ev else {
                    if let h = vm.handledException { throw h }
                    throw ScriptError(.runtimeError, "No active exception to reraise")
                }
                let v = try ev(fp)
                if let c = v.asClass, c.isSubclass(of: ExceptionClasses.baseException) {
                    guard let inst = try vm.call(v, []).asInstance else { throw ScriptError(.typeError, "exceptions must derive from BaseException") }
                    throw ScriptException(inst)
                }
                if let inst = v.asInstance, inst.cls.isSubclass(of: ExceptionClasses.baseException) { throw ScriptException(inst) }
                throw ScriptError(.typeError, "exceptions must derive from BaseException")
            }
        case .del(let targets):
            let fns = try targets.map { try delTarget($0) }
            return { fp in for f in fns { try f(fp) }; return .normal }
        case .importStmt(let names):
            let sts = names.map { (n, a) in (n, a, store(a ?? String(n.split(separator: ".")[0]))) }
            return { fp in
                for (n, a, st) in sts {
                    let m = try vm.importModule(n)
                    if a == nil, let top = n.split(separator: ".").first, String(top) != n { try st(fp, try vm.importModule(String(top))) }
                    else { try st(fp, m) }
                }
                return .normal
            }
        case .fromImport(let module, let names):
            if names.count == 1 && names[0].0 == "*" {
                return { _ in
                    let m = try vm.importModule(module)
                    if let mo = m.asModule { for (k, v) in mo.members where !k.hasPrefix("_") { vm.setGlobal(k, v) } }
                    return .normal
                }
            }
            let sts = names.map { (n, a) in (n, store(a ?? n)) }
            return { fp in
                let m = try vm.importModule(module)
                for (n, st) in sts {
                    do { try st(fp, try vm.getAttr(m, n)) } catch { throw ScriptError(.importError, "cannot import name '\(n)' from '\(module)'") }
                }
                return .normal
            }
        case .magic(let name, let text):
            return try magic(name, text, s.span)
        }
        _ = ctx
    }

    func delTarget(_ t: Expr) throws -> (Fp) throws -> Void {
        let vm = self.vm, ctx = self.ctx, span = t.span
        switch t.kind {
        case .name(let n):
            switch resolve(n) {
            case .slot(let s, _): return { fp in fp[s] = .obj(UnboundMarker.shared) }
            case .cell(let s): return { fp in if case .obj(let o) = fp[s] { unsafeDowncast(o, to: CellObj.self).value = nil } }
            case .global(let c):
                return { _ in if c.value == nil { throw vm.annotate(ScriptError(.nameError, "name '\(n)' is not defined"), span, ctx) }; c.value = nil }
            case .classNS(let name, _): return { fp in if case .obj(let o) = fp[0] { try unsafeDowncast(o, to: DictObj.self).remove(.str(name)) } }
            }
        case .subscript(let o, let i):
            let obj = try expr(o), idx = try expr(i)
            return { fp in try vm.delItem(try obj(fp), try idx(fp)) }
        case .attribute(let o, let name):
            let obj = try expr(o)
            return { fp in
                let v = try obj(fp)
                if let inst = v.asInstance, inst.attrs.removeValue(forKey: name) != nil { return }
                throw ScriptError(.attributeError, "'\(typeName(v))' object has no attribute '\(name)'")
            }
        case .tuple(let xs), .list(let xs):
            let fs = try xs.map { try delTarget($0) }
            return { fp in for f in fs { try f(fp) } }
        default:
            throw SyntaxError(kind: "SyntaxError", message: "cannot delete expression", line: t.span.line, column: t.span.column, incomplete: false)
        }
    }

    func forLoop(_ t: Expr, _ iter: Expr, _ body: [Stmt], _ orelse: [Stmt]) throws -> ExecFn {
        let vm = self.vm, ctx = self.ctx, ispan = iter.span
        let it = try expr(iter)
        loopDepth += 1
        let b = try block(body)
        loopDepth -= 1
        let o = try block(orelse)
        var slotTarget: Int?, cellTarget: GlobalCell?
        if case .name(let n) = t.kind {
            switch resolve(n) {
            case .slot(let s, _): slotTarget = s
            case .global(let c): cellTarget = c   // a module-level loop: into the cell, no store closure
            default: break
            }
        }
        let st = try storeTarget(t)
        let loop = ForLoop(vm: vm, body: b, orelse: o, store: st, slot: slotTarget, cell: cellTarget)
        return { fp in
            let source = try it(fp)
            // ranges: a tight integer loop, no iterator object (spelled out here: through `ForLoop` it
            // cost 1–2 instructions more per pass)
            if case .obj(let ro) = source, ro.kind == .range {
                let r = unsafeDowncast(ro, to: RangeObj.self)
                var i = r.start
                let stop = r.stop, step = r.step
                while step > 0 ? i < stop : i > stop {
                    try loop.bind(fp, .int(i))
                    vm.ticks &-= 1
                    if vm.ticks < 0 { try vm.poll() }
                    let f = try b(fp)
                    if f == .breakLoop { return .normal }
                    if f == .returned { return f }
                    let (next, wrapped) = i.addingReportingOverflow(step)
                    if wrapped { break }   // the range ends at the edge of the 64-bit ints
                    i = next
                }
                return try o(fp)
            }
            if case .obj(let lo) = source, lo.kind == .list { return try loop.over(fp, unsafeDowncast(lo, to: ListObj.self)) }
            let iterator: IteratorObj
            do { iterator = try vm.iterate(source) } catch { throw vm.annotate(error, ispan, ctx) }
            return try loop.over(fp, iterator)
        }
    }

    func tryStmt(_ body: [Stmt], _ handlers: [Handler], _ orelse: [Stmt], _ fin: [Stmt]) throws -> ExecFn {
        let vm = self.vm
        let b = try block(body), o = try block(orelse), f = try block(fin)
        let hs: [(EvalFn?, ((Fp, Value) throws -> Void)?, ExecFn)] = try handlers.map { h in
            (try h.type.map { try expr($0) }, h.name.map { store($0) }, try block(h.body))
        }
        let hasFinally = !fin.isEmpty
        let run: ExecFn = { fp in
            var flow: Flow
            do {
                flow = try b(fp)
            } catch {
                let e = toScriptException(error)
                var handled = false
                flow = .normal
                for (type, st, hb) in hs {
                    if let type {
                        let tv = try type(fp)
                        guard try vm.exceptionMatches(e.value, tv) else { continue }
                    }
                    if let st { try st(fp, .obj(e.value)) }
                    let saved = vm.handledException
                    vm.handledException = e
                    defer { vm.handledException = saved }
                    flow = try hb(fp)
                    handled = true
                    break
                }
                if !handled { throw e }
                return flow
            }
            if flow == .normal { return try o(fp) }
            return flow
        }
        if !hasFinally { return run }
        return { fp in
            let flow: Flow
            do { flow = try run(fp) } catch {
                let saved = vm.returnValue
                let ff = try f(fp)
                if ff != .normal { return ff }
                vm.returnValue = saved
                throw error
            }
            let saved = vm.returnValue
            let ff = try f(fp)
            if ff != .normal { return ff }
            vm.returnValue = saved
            return flow
        }
    }

    func withStmt(_ e: Expr, _ target: Expr?, _ body: [Stmt], _ span: Span) throws -> ExecFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        let mgr = try expr(e), b = try block(body)
        let st = try target.map { try storeTarget($0) }
        return { fp in
            let m = try mgr(fp)
            var exitFn: (Bool) throws -> Void = { _ in }
            do {
                if let n = m.nativeObject, n.type.enter != nil || n.type.exit != nil {
                    let entered = try n.type.enter?(n) ?? m
                    try st?(fp, entered)
                    exitFn = { _ in try n.type.exit?(n) }
                } else if let inst = m.asInstance, let en = inst.cls.lookup("__enter__"), let ex = inst.cls.lookup("__exit__") {
                    let entered = try vm.call(en, [m])
                    try st?(fp, entered)
                    exitFn = { failed in _ = try vm.call(ex, [m, .none, .none, .none]); _ = failed }
                } else {
                    throw ScriptError(.typeError, "'\(typeName(m))' object does not support the context manager protocol")
                }
            } catch { throw errSite.annotate(error) }
            let flow: Flow
            do { flow = try b(fp) } catch { try exitFn(true); throw error }
            try exitFn(false)
            return flow
        }
    }

    func magic(_ name: String, _ text: String, _ span: Span) throws -> ExecFn {
        let vm = self.vm
        let body = try Parser.parse(text.trimmingSpaces)
        let saved = scope.kind
        _ = saved
        var analyzer2 = ScopeAnalyzer()
        let tmp = ScopeInfo(.module, nil)
        for s in body { try analyzer2.visit(s, tmp) }
        let b = try block(body)
        if name == "time" {
            return { fp in
                let t0 = DispatchTime.now().uptimeNanoseconds
                let f = try b(fp)
                let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                vm.output.write("Wall time: \(formatDuration(dt))\n", to: .stdout)
                return f
            }
        }
        return { fp in
            // choose a loop count that takes at least 0.2 s, then 7 runs of it
            var loops = 1
            while true {
                let t0 = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<loops { _ = try b(fp) }
                let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                if dt >= 0.2 || loops >= 1_000_000 { break }
                loops *= 10
            }
            var times: [Double] = []
            for _ in 0..<7 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<loops { _ = try b(fp) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 / Double(loops))
            }
            let mean = times.reduce(0, +) / 7
            let sd = (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7).squareRoot()
            vm.output.write("\(formatDuration(mean)) ± \(formatDuration(sd)) per loop (mean ± std. dev. of 7 runs, \(loops) loop\(loops == 1 ? "" : "s") each)\n", to: .stdout)
            return .normal
        }
    }
}

func formatDuration(_ s: Double) -> String {
    if s >= 1 { return String(format: "%.3g s", s) }
    if s >= 1e-3 { return String(format: "%.3g ms", s * 1e3) }
    if s >= 1e-6 { return String(format: "%.3g µs", s * 1e6) }
    return String(format: "%.3g ns", s * 1e9)
}

struct StmtBox { let run: ExecFn }
struct ExprBox { let eval: EvalFn }
struct StoreBox { let store: (Fp, Value) throws -> Void }
struct CondBox { let test: (Fp) throws -> Bool }
struct TextBox { let text: (Fp) throws -> String }
