extension VM {
    /// Records where an error passed through the current frame (once per frame) and makes it a script exception.
    func annotate(_ error: Error, _ span: Span, _ ctx: CodeContext) -> ScriptException {
        let e = toScriptException(error)
        if e.annotatedDepth > depth {
            e.traceback.append(TracebackEntry(source: ctx.source, function: ctx.function, span: span))
            e.annotatedDepth = depth
        }
        return e
    }

    func truth(_ v: Value, _ span: Span, _ ctx: CodeContext) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none: return false
        default:
            if v.nativeObject != nil { do { return try nativeTruth(v) } catch { throw annotate(error, span, ctx) } }
            return truthy(v)
        }
    }

    func nativeTruth(_ v: Value) throws -> Bool {
        guard let n = v.nativeObject else { return truthy(v) }
        if let t = n.type.truthiness { return try t(n) }
        if let l = n.type.length { return try l(n) != 0 }
        return true
    }

    func format(_ v: Value, _ spec: String) throws -> String {
        if let inst = v.asInstance, let m = inst.cls.lookup("__format__") {
            return str(try call(m, [v, .str(spec)]))
        }
        if let n = v.nativeObject, let f = n.type.format { return try f(n, spec) }
        return try formatWithSpec(v, spec)
    }

    /// `except T` matching: a class or a tuple of classes.
    func exceptionMatches(_ e: InstanceObj, _ t: Value) throws -> Bool {
        if let c = t.asClass { return e.cls.isSubclass(of: c) }
        if let tup = t.asTuple { for x in tup.items where try exceptionMatches(e, x) { return true }; return false }
        throw ScriptError(.typeError, "catching classes that do not inherit from BaseException is not allowed")
    }

    /// A built-in module, made once per session from the binding table. A submodule is made with its
    /// parent's members, so `import nn.functional` and `nn.functional` are one object.
    func importModule(_ name: String) throws -> Value {
        if let m = modules[name] { return .obj(m) }
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first, let spec = table.modules[first] else {
            throw ScriptException(makeException(ExceptionClasses.named("ModuleNotFoundError"), [.str("No module named '\(name)' (Myelin has only its built-in modules: \(table.modules.keys.sorted().joined(separator: ", ")))")]))
        }
        var current = modules[first] ?? {
            let m = makeModule(spec, qualified: first)
            modules[first] = m
            return m
        }()
        for i in 1..<parts.count {
            _ = current.members  // makes the submodules
            guard let sub = modules[parts[...i].joined(separator: ".")] else {
                throw ScriptException(makeException(ExceptionClasses.named("ModuleNotFoundError"), [.str("No module named '\(name)'")]))
            }
            current = sub
        }
        return .obj(current)
    }

    /// The module object for `spec`; its members are made on first use.
    func makeModule(_ spec: BindingModule, qualified: String) -> ModuleObj {
        let m = ModuleObj(name: qualified, doc: spec.doc)
        m.pendingMembers = { [weak self] m in
            for (k, f) in spec.functions { m.setMember(k, .obj(BuiltinObj(f))) }
            for (k, t) in spec.types { m.setMember(k, .obj(t.classObject)) }
            for (k, v) in spec.values { m.setMember(k, v.make()) }
            for (k, s) in spec.submodules {
                guard let self else { return }
                let sub = self.makeModule(s, qualified: qualified + "." + k)
                self.modules[qualified + "." + k] = sub
                m.setMember(k, .obj(sub))
            }
        }
        return m
    }

    /// Runs compiled module code in a frame of its own slots (globals live in cells).
    func runModule(_ code: CodeObj) throws {
        let fp = sp
        let n = code.nslots
        fp.initialize(repeating: .none, count: n)
        sp = fp + n
        defer { fp.deinitialize(count: n); sp = fp }
        _ = try code.body(fp)
    }

    /// Attribute lookup through `super()`.
    func superAttr(_ s: SuperObj, _ name: String) throws -> Value {
        if let base = s.cls.base, let m = base.lookup(name) {
            if case .obj(let f) = m, f.kind == .function || f.kind == .builtin { return .obj(BoundMethodObj(s.receiver, m)) }
            return m
        }
        if name == "__init__" {
            let recv = s.receiver
            if let nt = s.cls.nativeType, let ctor = nt.constructor, let inst = recv.asInstance {
                return .obj(BuiltinObj(NativeFunction("__init__", ctor.signature, doc: ctor.doc) { a in
                    inst.native = try ctor.call(Arguments(a.positional, keywords: a.keywords, functionName: nt.name)).asNative
                    return .none
                }))
            }
            return .obj(BuiltinObj(NativeFunction("__init__", "__init__(self)", doc: "") { a in
                if let inst = recv.asInstance, inst.cls.isSubclass(of: ExceptionClasses.baseException) { inst.attrs["args"] = .tuple(a.positional) }
                return .none
            }))
        }
        throw ScriptError(.attributeError, "'super' object has no attribute '\(name)'")
    }
}

/// What a compiled closure needs only when something fails: the VM, the source span and the code
/// context, in one object. A closure's forwarding thunk copies every captured word on each call, so
/// hot closures capture this one reference instead of six words they use only on error paths.
final class ErrorSite {
    let vm: VM
    let span: Span
    let ctx: CodeContext
    init(_ vm: VM, _ span: Span, _ ctx: CodeContext) { self.vm = vm; self.span = span; self.ctx = ctx }

    func annotate(_ error: Error) -> ScriptException { vm.annotate(error, span, ctx) }
}
