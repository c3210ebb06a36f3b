import Engine

/// `nn.Sequential` and `nn.ModuleList`: indexable, iterable containers of layers.
enum NNContainerBindings {
    static func all() -> [NativeType] { [sequential(), moduleList()] }

    /// Layers given as `*layers` or as one list/tuple of layers.
    static func layers(_ a: Arguments, _ what: String) throws -> [Module] {
        var items = a.positional
        if items.count == 1, let xs = items[0].asList?.items ?? items[0].asTuple?.items { items = xs }
        return try items.enumerated().map { i, v in try NNModules.moduleArgument(v, "\(what) argument \(i)") }
    }

    /// Shared container behaviour: `len`, `c[i]`, iteration, `append`, `extend`.
    static func addContainerHooks(_ t: NativeType, append: @escaping (Module, Module) -> Void) {
        t.length = { n in (n.payload as? Module)?.children.count ?? 0 }
        t.getItem = { n, key in
            guard let m = n.payload as? Module else { return .none }
            try NNModules.syncTree(m)
            let kids = m.children.map(\.module)
            if let i = key.intValue {
                let j = i < 0 ? i + kids.count : i
                guard j >= 0, j < kids.count else {
                    throw ScriptError(.indexError, "index \(i) is out of range for \(m.typeName) of length \(kids.count)")
                }
                return NNModules.wrap(kids[j])
            }
            if case .obj(let o) = key, o.kind == .slice {
                let s = unsafeDowncast(o, to: SliceObj.self)
                let picked = try sliceIndices(s, count: kids.count).map { kids[$0] }
                return t.wrap(m is Sequential ? Sequential(picked) as Module : ModuleList(picked))
            }
            throw ScriptError(.typeError, "\(m.typeName) indices must be integers or slices, not \(typeName(key))")
        }
        t.iterate = { n in
            let kids = (n.payload as? Module)?.children.map(\.module) ?? []
            var i = 0
            return {
                guard i < kids.count else { return nil }
                i += 1
                return NNModules.wrap(kids[i - 1])
            }
        }
        t.methods["append"] = NativeFunction("append", "append(module)", doc: "Adds a layer at the end.") { a in
            guard let m = a.positional.first.flatMap(NNModules.module(in:)) else { throw ScriptError(.typeError, "append() must be called on a container") }
            append(m, try NNModules.moduleArgument(try a.required(1, "module"), "append() argument"))
            return a.positional[0]
        }
        t.methods["extend"] = NativeFunction("extend", "extend(modules)", doc: "Adds several layers at the end.") { a in
            guard let m = a.positional.first.flatMap(NNModules.module(in:)) else { throw ScriptError(.typeError, "extend() must be called on a container") }
            for x in try layers(Arguments([try a.required(1, "modules")], functionName: "extend"), "extend()") { append(m, x) }
            return a.positional[0]
        }
    }

    /// The indices a slice selects (Python's semantics for positive and negative steps).
    static func sliceIndices(_ s: SliceObj, count: Int) throws -> [Int] {
        let step = s.step.isNone ? 1 : (s.step.intValue ?? 1)
        guard step != 0 else { throw ScriptError(.valueError, "slice step cannot be zero") }
        func clamp(_ v: Value, _ dflt: Int) -> Int {
            guard let i = v.intValue else { return dflt }
            let j = i < 0 ? i + count : i
            return step > 0 ? Swift.min(Swift.max(j, 0), count) : Swift.min(Swift.max(j, -1), count - 1)
        }
        let lo = clamp(s.lower, step > 0 ? 0 : count - 1), hi = clamp(s.upper, step > 0 ? count : -1)
        return Array(stride(from: lo, to: hi, by: step))
    }

    static func sequential() -> NativeType {
        let t = NNLayerBindings.layer(Sequential.self, "Sequential", "Sequential(*layers)",
                                      doc: "Applies its layers in order (named 0, 1, …); Linear followed by ReLU/Sigmoid/Tanh runs fused.") { a in
            try a.check(max: Int.max, keywords: [])
            return Sequential(try layers(a, "Sequential"))
        }
        addContainerHooks(t) { c, m in (c as? Sequential)?.append(m) }
        return t
    }

    static func moduleList() -> NativeType {
        let t = NNLayerBindings.layer(ModuleList.self, "ModuleList", "ModuleList(modules=None)",
                                      doc: "Holds layers so their parameters are found; iterate over it and call each.",
                                      call: { _, _ in throw ScriptError(.typeError, "ModuleList is not callable: iterate over it and call each layer") }) { a in
            try a.check(max: 1, keywords: ["modules"])
            guard let v = a.optional(0, "modules"), !v.isNone else { return ModuleList() }
            return ModuleList(try layers(Arguments([v], functionName: "ModuleList"), "ModuleList"))
        }
        addContainerHooks(t) { c, m in (c as? ModuleList)?.append(m) }
        return t
    }
}
