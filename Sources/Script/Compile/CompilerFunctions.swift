extension Compiler {
    func call(_ f: Expr, _ args: [Arg], _ span: Span) throws -> EvalFn {
        let vm = self.vm, ctx = self.ctx
        let simple = args.allSatisfy { if case .positional = $0 { return true }; return false }
        // zero-argument super(): the class comes from the `__class__` cell, self from slot 0
        if case .name("super") = f.kind, args.isEmpty, scope.kind == .function, case .cell(let cs) = resolve("__class__") {
            return { fp in
                guard case .obj(let co) = fp[cs], let cls = unsafeDowncast(co, to: CellObj.self).value?.asClass else {
                    throw vm.annotate(ScriptError(.runtimeError, "super(): __class__ cell not found"), span, ctx)
                }
                var me = fp[0]
                if case .obj(let o) = me, o.kind == .cell { me = unsafeDowncast(o, to: CellObj.self).value ?? .none }
                return .obj(SuperObj(cls: cls, receiver: me))
            }
        }
        let positional = args.compactMap { a -> Expr? in if case .positional(let x) = a { return x }; return nil }
        if case .attribute(let o, let name) = f.kind, simple { return try methodCall(o, name, positional, span) }
        if simple { return try simpleCall(try operand(f), positional, span) }
        let callee = try expr(f)
        // general calls: keywords, *args, **kw
        let parts: [(Int, String, ExprBox)] = try args.map { a in
            switch a {
            case .positional(let x): return (0, "", ExprBox(eval: try expr(x)))
            case .star(let x): return (1, "", ExprBox(eval: try expr(x)))
            case .keyword(let k, let x): return (2, k, ExprBox(eval: try expr(x)))
            case .doubleStar(let x): return (3, "", ExprBox(eval: try expr(x)))
            }
        }
        var seen = Set<String>()
        for case .keyword(let k, _) in args { if !seen.insert(k).inserted { throw SyntaxError(kind: "SyntaxError", message: "keyword argument repeated: \(k)", line: span.line, column: span.column, incomplete: false) } }
        var recvExpr: EvalFn = { _ in .none }, methodName: String?
        if case .attribute(let o, let name) = f.kind { recvExpr = try expr(o); methodName = name }
        let isMethod = methodName != nil
        let errSite = ErrorSite(vm, span, ctx)
        return { fp in
            var recv: Value = .none
            let fv: Value
            if isMethod { recv = try recvExpr(fp); fv = .none } else { fv = try callee(fp) }
            var pos: [Value] = [], kw: [(String, Value)] = []
            do {
                for (k, name, ef) in parts {
                    let v = try ef.eval(fp)
                    switch k {
                    case 0: pos.append(v)
                    case 1: pos.append(contentsOf: try vm.toArray(v))
                    case 2: kw.append((name, v))
                    default:
                        guard let d = v.asDict else { throw ScriptError(.typeError, "argument after ** must be a mapping, not \(typeName(v))") }
                        for (kk, vv) in d.orderedItems {
                            guard let ks = kk.stringValue else { throw ScriptError(.typeError, "keywords must be strings") }
                            kw.append((ks, vv))
                        }
                    }
                }
                if let methodName { return try vm.callMethod(recv, methodName, pos, kw) }
                return try vm.call(fv, pos, kw)
            } catch { throw errSite.annotate(error) }
        }
    }

    /// `recv.name(a, ...)` with positional arguments: user methods through a per-site cache straight
    /// into a frame, built-in type methods through their native function, `list.append` inline.
    func methodCall(_ o: Expr, _ name: String, _ args: [Expr], _ span: Span) throws -> EvalFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        let receiver = try operand(o)
        let argFns = try args.map { ExprBox(eval: try expr($0)) }
        let cache = MethodCache(), bcache = BuiltinMethodCache()
        switch argFns.count {
        case 0:
            return { fp in
                var r = try receiver.evaluate(fp)
                do {
                    if let fn = cache.lookup(receiver: &r, name, nargs: 0) { return try vm.invoke(fn, consume r) }
                    if let f = bcache.lookup(vm, r, name) { return try f.call(Arguments([r], functionName: name)) }
                    return try vm.callMethod(r, name, [], [])
                } catch { throw errSite.annotate(error) }
            }
        case 1:
            let a0 = argFns[0].eval
            let isAppend = name == "append"
            return { fp in
                var r = try receiver.evaluate(fp)
                let x = try a0(fp)
                do {
                    if isAppend, r.objKind == .list {
                        guard case .obj(let ro) = consume r else { return .none }  // (not reached: a list)
                        unsafeDowncast(ro, to: ListObj.self).items.append(consume x)
                        return .none
                    }
                    if let fn = cache.lookup(receiver: &r, name, nargs: 1) { return try vm.invoke(fn, consume r, consume x) }
                    if let f = bcache.lookup(vm, r, name) { return try f.call(Arguments([r, x], functionName: name)) }
                    return try vm.callMethod(r, name, [x], [])
                } catch { throw errSite.annotate(error) }
            }
        case 2:
            let a0 = argFns[0].eval, a1 = argFns[1].eval
            // `d.get(k, default)` on a dict whose `get` is still the built-in: straight to the table,
            // before any method lookup (copying the cached NativeFunction cost more than the lookup)
            let dictGet = name == "get" ? DictGetSite() : nil
            return { fp in
                var r = try receiver.evaluate(fp)
                let x = try a0(fp), y = try a1(fp)
                do {
                    if let dictGet, r.objKind == .dict, dictGet.isBuiltin {
                        // (taken apart with `consume`: binding the dict from `r` retained it twice more)
                        guard case .obj(let ro) = consume r else { return .none }  // (not reached: a dict)
                        return try unsafeDowncast(ro, to: DictObj.self).get(x) ?? y
                    }
                    if let fn = cache.lookup(receiver: &r, name, nargs: 2) { return try vm.invoke(fn, consume r, consume x, consume y) }
                    if let f = bcache.lookup(vm, r, name) {
                        return try f.call(Arguments([r, x, y], functionName: name))
                    }
                    return try vm.callMethod(r, name, [x, y], [])
                } catch { throw errSite.annotate(error) }
            }
        default:
            return { fp in
                let r = try receiver.evaluate(fp)
                var xs: [Value] = [r]
                xs.reserveCapacity(argFns.count + 1)
                for a in argFns { xs.append(try a.eval(fp)) }
                do {
                    if let f = bcache.lookup(vm, r, name) { return try f.call(Arguments(xs, functionName: name)) }
                    xs.removeFirst()
                    return try vm.callMethod(r, name, xs, [])
                } catch { throw errSite.annotate(error) }
            }
        }
    }

    /// `f(a, ...)` with positional arguments: simple user functions and `Cls(...)` with a plain
    /// `__init__` go straight into a frame; everything else through `vm.call`.
    func simpleCall(_ callee: Operand, _ args: [Expr], _ span: Span) throws -> EvalFn {
        let vm = self.vm, ctx = self.ctx
        let errSite = ErrorSite(vm, span, ctx)
        let argFns = try args.map { ExprBox(eval: try expr($0)) }
        switch argFns.count {
        // The callee is taken apart with `consume` and the arguments moved into the frame: without that
        // the optimizer retained the function object twice more and copied each argument per call.
        case 0:
            return { fp in
                let fv = try callee.evaluate(fp)
                do {
                    if case .obj = fv {} else { return try vm.call(fv, []) }  // not callable: the TypeError
                    guard case .obj(let fo) = consume fv else { return .none }  // (not reached: checked above)
                    if fo.kind == .function {
                        let fn = unsafeDowncast(fo, to: FunctionObj.self)
                        if fn.code.fastArity == 0 {
                            let fp2 = try vm.pushFrame(fn.code, bound: 0)
                            vm.bindFree(fn, fp2)
                            return try vm.runFrame(fn.code, fp2)
                        }
                    } else if fo.kind == .classObj, let (inst, fn) = vm.plainInit(unsafeDowncast(fo, to: ClassObj.self), nargs: 0) {
                        let me = Value.obj(inst)
                        try vm.checkInitResult(try vm.invoke(fn, me))
                        return me
                    }
                    return try vm.call(.obj(fo), [])
                } catch { throw errSite.annotate(error) }
            }
        case 1:
            let a0 = argFns[0].eval
            return { fp in
                let fv = try callee.evaluate(fp)
                let x = try a0(fp)
                do {
                    if case .obj = fv {} else { return try vm.call(fv, [x]) }  // not callable: the TypeError
                    guard case .obj(let fo) = consume fv else { return .none }  // (not reached: checked above)
                    if fo.kind == .function {
                        let fn = unsafeDowncast(fo, to: FunctionObj.self)
                        if fn.code.fastArity == 1 { return try vm.invoke(fn, consume x) }
                    } else if fo.kind == .classObj {
                        let cls = unsafeDowncast(fo, to: ClassObj.self)
                        if let (inst, fn) = vm.plainInit(cls, nargs: 1) {
                            let me = Value.obj(inst)
                            try vm.checkInitResult(try vm.invoke(fn, me, consume x))
                            return me
                        }
                        if case .obj(let c)? = cls.builtinConstructor, c.kind == .builtin,
                           let unary = unsafeDowncast(c, to: BuiltinObj.self).function.unary {
                            return try unary(x)  // str(i): the built-in type's one-argument form
                        }
                    } else if fo.kind == .builtin, let unary = unsafeDowncast(fo, to: BuiltinObj.self).function.unary {
                        return try unary(x)
                    }
                    return try vm.call(.obj(fo), [x])
                } catch { throw errSite.annotate(error) }
            }
        case 2:
            let a0 = argFns[0].eval, a1 = argFns[1].eval
            return { fp in
                let fv = try callee.evaluate(fp)
                let x = try a0(fp), y = try a1(fp)
                do {
                    if case .obj = fv {} else { return try vm.call(fv, [x, y]) }  // not callable: the TypeError
                    guard case .obj(let fo) = consume fv else { return .none }  // (not reached: checked above)
                    if fo.kind == .function {
                        let fn = unsafeDowncast(fo, to: FunctionObj.self)
                        if fn.code.fastArity == 2 { return try vm.invoke(fn, consume x, consume y) }
                    } else if fo.kind == .classObj, let (inst, fn) = vm.plainInit(unsafeDowncast(fo, to: ClassObj.self), nargs: 2) {
                        let me = Value.obj(inst)
                        try vm.checkInitResult(try vm.invoke(fn, me, consume x, consume y))
                        return me
                    }
                    return try vm.call(.obj(fo), [x, y])
                } catch { throw errSite.annotate(error) }
            }
        case 3:
            let a0 = argFns[0].eval, a1 = argFns[1].eval, a2 = argFns[2].eval
            return { fp in
                let fv = try callee.evaluate(fp)
                let x = try a0(fp), y = try a1(fp), z = try a2(fp)
                do {
                    if case .obj = fv {} else { return try vm.call(fv, [x, y, z]) }  // not callable: the TypeError
                    guard case .obj(let fo) = consume fv else { return .none }  // (not reached: checked above)
                    if fo.kind == .function {
                        let fn = unsafeDowncast(fo, to: FunctionObj.self)
                        if fn.code.fastArity == 3 { return try vm.invoke(fn, consume x, consume y, consume z) }
                    }
                    return try vm.call(.obj(fo), [x, y, z])
                } catch { throw errSite.annotate(error) }
            }
        default:
            return { fp in
                let fv = try callee.evaluate(fp)
                var xs: [Value] = []
                xs.reserveCapacity(argFns.count)
                for a in argFns { xs.append(try a.eval(fp)) }
                do { return try vm.call(fv, xs) } catch { throw errSite.annotate(error) }
            }
        }
    }

    /// Compiles a def or lambda; the returned closure makes the function object (evaluating defaults).
    func function(name: String, params: Params, body: [Stmt], node: ObjectIdentifier, line: Int) throws -> EvalFn {
        guard let fscope = analyzer.scopes[node] else { throw SyntaxError(kind: "SyntaxError", message: "internal: no scope for \(name)", line: line, column: 1, incomplete: false) }
        let vm = self.vm
        let defaults = try params.defaults.map { try expr($0) }
        let kwDefaults = try params.kwonlyDefaults.map { try $0.map { try expr($0) } }
        // free variables are read from the enclosing frame when the function is made
        let freeLoads: [(Fp) throws -> CellObj] = fscope.free.map { n in
            switch resolve(n) {
            case .cell(let s): return { fp in if case .obj(let o) = fp[s], o.kind == .cell { return unsafeDowncast(o, to: CellObj.self) }; return CellObj(nil) }
            default: return { _ in CellObj(nil) }
            }
        }
        // save state, compile the body in a fresh code context
        let saved = (scope, slots, nslots, paramCount, compOverlay, ctx, loopDepth)
        scope = fscope
        slots = [:]; nslots = 0; compOverlay = []; loopDepth = 0
        let qual = className.map { "\($0).\(name)" } ?? name
        ctx = CodeContext(source, name)
        var order = params.names
        var varargsSlot: Int?, kwargsSlot: Int?
        for n in params.names { slots[n] = newSlot() }
        if let v = params.varargs { varargsSlot = newSlot(); slots[v] = varargsSlot; order.append(v) }
        for n in params.kwonly { slots[n] = newSlot() }
        if let k = params.kwargs { kwargsSlot = newSlot(); slots[k] = kwargsSlot }
        paramCount = nslots
        for n in fscope.assigned where slots[n] == nil { slots[n] = newSlot() }
        var freeSlots: [Int] = []
        for n in fscope.free { let s = newSlot(); slots[n] = s; freeSlots.append(s) }
        let cellSlots = fscope.cells.compactMap { slots[$0] }.sorted()
        var doc: String?
        if case .expr(let first)? = body.first?.kind, case .string(let s) = first.kind { doc = s }
        let savedClass = className
        className = nil
        let b = try block(body)
        className = savedClass
        let code = CodeObj(name: name, params: params, nslots: nslots, varargsSlot: varargsSlot, kwargsSlot: kwargsSlot, cellSlots: cellSlots, freeSlots: freeSlots, doc: doc, source: source, line: line, body: b)
        code.qualname = qual
        (scope, slots, nslots, paramCount, compOverlay, ctx, loopDepth) = saved
        _ = vm
        return { fp in
            let ds = try defaults.map { try $0(fp) }
            let kds = try kwDefaults.map { try $0.map { try $0(fp) } }
            let cells = try freeLoads.map { try $0(fp) }
            return .obj(FunctionObj(code: code, defaults: ds, kwDefaults: kds, closure: cells))
        }
    }

    func classDef(_ s: Stmt, _ name: String, _ base: Expr?, _ body: [Stmt]) throws -> ExecFn {
        guard let cscope = analyzer.scopes[ObjectIdentifier(s)] else { throw SyntaxError(kind: "SyntaxError", message: "internal: no scope for class", line: s.span.line, column: 1, incomplete: false) }
        let vm = self.vm, ctx = self.ctx, span = s.span
        let baseF = try base.map { try expr($0) }
        let freeLoads: [(Fp) -> CellObj] = cscope.free.map { n in
            if case .cell(let sl) = resolve(n) { return { fp in if case .obj(let o) = fp[sl], o.kind == .cell { return unsafeDowncast(o, to: CellObj.self) }; return CellObj(nil) } }
            return { _ in CellObj(nil) }
        }
        let st = store(name)
        let saved = (scope, slots, nslots, paramCount, compOverlay, self.ctx, loopDepth)
        scope = cscope
        slots = [:]; nslots = 1; compOverlay = []; loopDepth = 0; paramCount = 1   // slot 0: the namespace
        self.ctx = CodeContext(source, name)
        var classCellSlot: Int?
        if cscope.cells.contains("__class__") { let sl = newSlot(); slots["__class__"] = sl; classCellSlot = sl }
        var freeSlots: [Int] = []
        for n in cscope.free { let sl = newSlot(); slots[n] = sl; freeSlots.append(sl) }
        var doc: String?
        if case .expr(let first)? = body.first?.kind, case .string(let d) = first.kind { doc = d }
        let savedClass = className
        className = name
        let b = try block(body)
        className = savedClass
        let n = nslots
        (scope, slots, nslots, paramCount, compOverlay, self.ctx, loopDepth) = saved
        return { fp in
            var baseClass: ClassObj?
            if let baseF {
                let bv = try baseF(fp)
                guard let bc = bv.asClass else { throw vm.annotate(ScriptError(.typeError, "a class can only derive from a class, not \(typeName(bv))"), span, ctx) }
                if bc.isBuiltinValueType { throw vm.annotate(ScriptError(.typeError, "subclassing the built-in type '\(bc.name)' is not supported"), span, ctx) }
                baseClass = bc
            }
            let ns = DictObj()
            let classCell = CellObj(nil)
            let cells = freeLoads.map { $0(fp) }
            let nfp = vm.sp
            nfp.initialize(repeating: .obj(UnboundMarker.shared), count: n)
            vm.sp = nfp + n
            defer { nfp.deinitialize(count: n); vm.sp = nfp }
            nfp[0] = .obj(ns)
            if let cs = classCellSlot { nfp[cs] = .obj(classCell) }
            for (i, sl) in freeSlots.enumerated() { nfp[sl] = .obj(cells[i]) }
            _ = try b(nfp)
            var attrs: [String: Value] = [:]
            for (k, v) in ns.orderedItems { if let ks = k.stringValue { attrs[ks] = v } }
            let cls = ClassObj(name: name, base: baseClass ?? (baseClass == nil ? BuiltinTypes.object : nil), attrs: attrs)
            cls.doc = doc
            classCell.value = .obj(cls)
            try st(fp, .obj(cls))
            return .normal
        }
    }
}

/// The proxy returned by `super()`: attribute lookups start above the defining class.
final class SuperObj: Obj {
    let cls: ClassObj
    let receiver: Value
    init(cls: ClassObj, receiver: Value) { self.cls = cls; self.receiver = receiver; super.init(kind: .superProxy) }
}
