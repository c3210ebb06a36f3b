/// What completion, inspect, help() and display read about values — without running user code
/// (except `__repr__` for display).
extension VM {
    static let maxRecursionLimit = 30_000

    func installBuiltins() {
        for (n, f) in table.functions { builtins[n] = .obj(BuiltinObj(f)) }
        for (n, t) in table.types { builtins[n] = .obj(t.classObject) }
        for (n, v) in table.values { builtins[n] = v.make() }
        for c in BuiltinTypes.all where c !== BuiltinTypes.noneType && c !== BuiltinTypes.function && c !== BuiltinTypes.module { builtins[c.name] = .obj(c) }
        for (n, c) in ExceptionClasses.all { builtins[n] = .obj(c) }
        builtins["NotImplemented"] = .obj(NotImplementedObj.shared)
        builtins["Ellipsis"] = .ellipsis
        for (n, _) in table.modules where n != "sys" && n != "math" && n != "random" {
            // Engine/Plot modules (nn, optim, plot, …) are usable without an import, like in the notes
            if let m = try? importModule(n) { builtins[n] = m }
        }
    }

    func globalNames() -> [String] { globals.compactMap { $0.value.value != nil ? $0.key : nil }.filter { !$0.hasPrefix("__") } }

    /// Attribute names a value offers (for dir() and completion).
    func attributeNames(of v: Value) -> [String] {
        var names = Set<String>()
        switch v {
        case .obj(let o):
            switch o.kind {
            case .module: names.formUnion(unsafeDowncast(o, to: ModuleObj.self).members.keys)
            case .instance:
                let inst = unsafeDowncast(o, to: InstanceObj.self)
                names.formUnion(inst.attrs.keys)
                var c: ClassObj? = inst.cls
                while let k = c { names.formUnion(k.attrs.keys); c = k.base }
                if let n = inst.native { names.formUnion(n.type.methods.keys); names.formUnion(n.type.properties.keys) }
            case .classObj:
                var c: ClassObj? = unsafeDowncast(o, to: ClassObj.self)
                while let k = c { names.formUnion(k.attrs.keys); if let nt = k.nativeType { names.formUnion(nt.methods.keys) }; c = k.base }
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                names.formUnion(n.type.methods.keys); names.formUnion(n.type.properties.keys)
            default: names.formUnion(classOf(v).attrs.keys)
            }
        default: names.formUnion(classOf(v).attrs.keys)
        }
        return names.filter { !$0.hasPrefix("__") }.sorted()
    }

    /// Resolves a dotted name (`np.zeros`, `model.fc`) using only stored values, never running code.
    func resolvePath(_ path: [String]) -> Value? {
        guard let first = path.first else { return nil }
        var cur: Value
        if let c = globals[first], let v = c.value ?? c.builtin { cur = v }
        else if let b = builtins[first] { cur = b }
        else if table.modules[first] != nil, let m = try? importModule(first) { cur = m }
        else { return nil }
        for name in path.dropFirst() {
            guard let next = safeAttr(cur, name) else { return nil }
            cur = next
        }
        return cur
    }

    func safeAttr(_ v: Value, _ name: String) -> Value? {
        guard case .obj(let o) = v else { return classOf(v).lookup(name) }
        switch o.kind {
        case .module: return unsafeDowncast(o, to: ModuleObj.self).members[name]
        case .instance:
            let inst = unsafeDowncast(o, to: InstanceObj.self)
            if let a = inst.attrs[name] { return a }
            if let m = inst.cls.lookup(name) { return m }
            if let n = inst.native, let m = n.type.methods[name] { return .obj(BuiltinObj(m)) }
            return nil
        case .classObj:
            let c = unsafeDowncast(o, to: ClassObj.self)
            if let a = c.lookup(name) { return a }
            if let nt = c.nativeType, let m = nt.methods[name] { return .obj(BuiltinObj(m)) }
            return nil
        case .native:
            let n = unsafeDowncast(o, to: NativeObject.self)
            if let m = n.type.methods[name] { return .obj(BuiltinObj(m)) }
            return nil
        default: return classOf(v).lookup(name)
        }
    }

    func signature(of fn: FunctionObj) -> String {
        let p = fn.code.params
        var parts: [String] = []
        let firstDefault = p.names.count - fn.defaults.count
        for (i, n) in p.names.enumerated() { parts.append(i >= firstDefault ? "\(n)=\(repr(fn.defaults[i - firstDefault]))" : n) }
        if let v = p.varargs { parts.append("*" + v) } else if !p.kwonly.isEmpty { parts.append("*") }
        for (i, n) in p.kwonly.enumerated() { parts.append(fn.kwDefaults[i].map { "\(n)=\(repr($0))" } ?? n) }
        if let k = p.kwargs { parts.append("**" + k) }
        return "\(fn.code.name)(\(parts.joined(separator: ", ")))"
    }

    /// The text of help(x) and of Shift-Tab: signature, then docstring.
    func helpText(for v: Value) -> String {
        guard case .obj(let o) = v else { return "\(typeName(v)): \(repr(v))\n\n\(classOf(v).doc ?? "")" }
        switch o.kind {
        case .builtin:
            let f = unsafeDowncast(o, to: BuiltinObj.self).function
            return f.signature + "\n\n" + f.doc
        case .function:
            let f = unsafeDowncast(o, to: FunctionObj.self)
            return signature(of: f) + (f.code.doc.map { "\n\n" + $0 } ?? "")
        case .boundMethod:
            let b = unsafeDowncast(o, to: BoundMethodObj.self)
            return helpText(for: b.function)
        case .classObj:
            let c = unsafeDowncast(o, to: ClassObj.self)
            var s = "class \(c.name)" + (c.base.map { $0 === BuiltinTypes.object ? "" : "(\($0.name))" } ?? "")
            if let nt = c.nativeType, c.base == nil {
                if let ctor = nt.constructor { s = ctor.signature }
                s += "\n\n" + nt.doc
                let ms = nt.methods.values.sorted { $0.name < $1.name }
                if !ms.isEmpty { s += "\n\nMethods:\n" + ms.map { "  \($0.signature): \($0.doc.split(separator: "\n").first ?? "")" }.joined(separator: "\n") }
                let ps = nt.properties.values.sorted { $0.name < $1.name }
                if !ps.isEmpty { s += "\n\nProperties:\n" + ps.map { "  \($0.name): \($0.doc)" }.joined(separator: "\n") }
                return s
            }
            if let ctor = c.attrs["__new__"], case .obj(let co) = ctor, co.kind == .builtin { let f = unsafeDowncast(co, to: BuiltinObj.self).function; return f.signature + "\n\n" + f.doc }
            if let i = c.lookup("__init__"), case .obj(let io) = i, io.kind == .function {
                var sig = signature(of: unsafeDowncast(io, to: FunctionObj.self))
                sig = sig.replacingOccurrences(of: "__init__(self, ", with: "\(c.name)(").replacingOccurrences(of: "__init__(self)", with: "\(c.name)()")
                s = sig
            }
            if let d = c.doc { s += "\n\n" + d }
            let methods = c.attrs.keys.filter { !$0.hasPrefix("_") }.sorted()
            if !methods.isEmpty { s += "\n\nMethods: " + methods.joined(separator: ", ") }
            return s
        case .module:
            let m = unsafeDowncast(o, to: ModuleObj.self)
            return "module \(m.name)\n\n\(m.doc)\n\nMembers: " + m.members.keys.sorted().joined(separator: ", ")
        case .native:
            let n = unsafeDowncast(o, to: NativeObject.self)
            return helpText(for: .obj(n.type.classObject))
        case .instance:
            let inst = unsafeDowncast(o, to: InstanceObj.self)
            return "\(inst.cls.name) instance: \(repr(v))" + (inst.cls.doc.map { "\n\n" + $0 } ?? "")
        default:
            let c = classOf(v)
            return "\(c.name): \(repr(v))" + (c.doc.map { "\n\n" + $0 } ?? "")
        }
    }

    /// The MIME bundle a value displays as: its repr, plus whatever its native type offers.
    func mimeBundle(for v: Value) -> MimeBundle {
        var b = MimeBundle(data: ["text/plain": repr(v)])
        if let n = v.nativeObject, let extra = n.type.mimeBundle, let more = extra(n) {
            for (k, x) in more.data { b.data[k] = x }
            for (k, x) in more.metadata { b.metadata[k] = x }
        }
        if let inst = v.asInstance, let m = inst.cls.lookup("_repr_html_"), let h = try? call(m, [v]), let s = h.stringValue { b.data["text/html"] = s }
        return b
    }
}
