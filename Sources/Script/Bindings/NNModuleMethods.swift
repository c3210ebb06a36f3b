import Engine

/// The methods every module offers (`parameters() train() eval() save() …`) and the `nn.Module`
/// base class scripts derive from.
extension NNModules {
    /// Methods shared by native layers and script modules; the receiver is `positional[0]`.
    static let sharedMethods: [NativeFunction] = [
        NativeFunction("parameters", "parameters(recurse=True)", doc: "The trainable tensors of this module and its children, in registration order.") { a in
            .list(try receiver(a).parameters().map(TensorBindings.wrap))
        },
        NativeFunction("named_parameters", "named_parameters()", doc: "(name, tensor) pairs with dotted names (`fc1.weight`).") { a in
            .list(try receiver(a).namedParameters().map { .tuple([.str($0.name), TensorBindings.wrap($0.tensor)]) })
        },
        NativeFunction("buffers", "buffers()", doc: "Saved, untrained tensors (BatchNorm's running statistics).") { a in
            .list(try receiver(a).namedBuffers().map { TensorBindings.wrap($0.tensor) })
        },
        NativeFunction("named_buffers", "named_buffers()", doc: "(name, tensor) pairs of the buffers.") { a in
            .list(try receiver(a).namedBuffers().map { .tuple([.str($0.name), TensorBindings.wrap($0.tensor)]) })
        },
        NativeFunction("children", "children()", doc: "The direct sub-modules, in registration order.") { a in
            .list(try receiver(a).children.map { wrap($0.module) })
        },
        NativeFunction("named_children", "named_children()", doc: "(name, module) pairs of the direct sub-modules.") { a in
            .list(try receiver(a).children.map { .tuple([.str($0.name), wrap($0.module)]) })
        },
        NativeFunction("modules", "modules()", doc: "This module and every descendant, parents first.") { a in
            .list(try receiver(a).namedModules().map { wrap($0.module) })
        },
        NativeFunction("named_modules", "named_modules()", doc: "(name, module) pairs of this module ('') and every descendant.") { a in
            .list(try receiver(a).namedModules().map { .tuple([.str($0.name), wrap($0.module)]) })
        },
        NativeFunction("train", "train(mode=True)", doc: "Training mode for this module and its children (dropout on, batch norm uses batch statistics). Returns the module.") { a in
            try receiver(a).train(a.bool(1, "mode", default: true))
            return a.positional[0]
        },
        NativeFunction("eval", "eval()", doc: "Evaluation mode for this module and its children (dropout off, batch norm uses running statistics). Returns the module.") { a in
            try receiver(a).eval()
            return a.positional[0]
        },
        NativeFunction("zero_grad", "zero_grad(set_to_none=True)", doc: "Clears the gradients of every parameter.") { a in
            let m = try receiver(a)
            if a.bool(1, "set_to_none", default: true) { m.zeroGrad() } else {
                for p in m.parameters() where p.grad != nil { p.grad = try Tensor.zeros(p.shape) }
            }
            return .none
        },
        NativeFunction("requires_grad_", "requires_grad_(requires_grad=True)", doc: "Turns gradient recording on or off for every parameter (freezing). Returns the module.") { a in
            let flag = a.bool(1, "requires_grad", default: true)
            for p in try receiver(a).parameters() { _ = try p.requiresGrad_(flag) }
            return a.positional[0]
        },
        NativeFunction("state_dict", "state_dict()", doc: "An ordered dict of every parameter and buffer by dotted name.") { a in
            dict(try receiver(a).stateDict())
        },
        NativeFunction("load_state_dict", "load_state_dict(state_dict, strict=True)", doc: "Copies tensors into the parameters and buffers of the same names.") { a in
            let m = try receiver(a)
            guard let d = try a.required(1, "state_dict").asDict else {
                throw ScriptError(.typeError, "load_state_dict() expects a dict of name → tensor (from state_dict())")
            }
            var entries: [String: Tensor] = [:]
            for (k, v) in d.orderedItems {
                guard let name = k.stringValue, let t = TensorBindings.tensor(in: v) else {
                    throw ScriptError(.typeError, "load_state_dict(): entries must be str → tensor, got \(typeName(k)) → \(typeName(v))")
                }
                entries[name] = t
            }
            try m.loadStateDict(entries, strict: a.bool(2, "strict", default: true))
            return .none
        },
        NativeFunction("save", "save(path)", doc: "Writes the parameters and buffers to a .safetensors file (PyTorch-style names, readable by safetensors.torch.load_file).") { a in
            try receiver(a).save(try a.string(1, "path"))
            return .none
        },
        NativeFunction("load", "load(path, strict=True)", doc: "Reads parameters and buffers saved by save() (or by safetensors from PyTorch). Returns the module.") { a in
            try receiver(a).load(try a.string(1, "path"), strict: a.bool(2, "strict", default: true))
            return a.positional[0]
        },
        NativeFunction("num_parameters", "num_parameters()", doc: "The number of scalar parameters (shared tensors counted once).") { a in
            .int(try receiver(a).parameterCount)
        },
        NativeFunction("apply", "apply(fn)", doc: "Calls fn(module) on every descendant and then on this module (for custom initialisation). Returns the module.") { a in
            let m = try receiver(a)
            let fn = try a.required(1, "fn")
            guard let vm = VM.current else { throw ScriptError(.runtimeError, "apply() needs a running script") }
            for (_, sub) in m.namedModules().reversed() { _ = try vm.call(fn, [wrap(sub)]) }
            return a.positional[0]
        },
        NativeFunction("to", "to(*args)", doc: "Kept for PyTorch code: everything runs on the CPU in float32, so this returns the module unchanged.") { a in
            _ = try receiver(a); return a.positional[0]
        },
        NativeFunction("cpu", "cpu()", doc: "Returns the module (everything runs on the CPU).") { a in
            _ = try receiver(a); return a.positional[0]
        },
    ]

    static let trainingProperty = NativeProperty("training", doc: "True in training mode (see train() and eval()).",
                                                 get: { n in .bool((n.payload as? Module)?.training ?? false) },
                                                 set: { n, v in (n.payload as? Module)?.train(truthy(v)) })

    /// Module description used by `print(model)` / repr, after syncing script modules.
    static func describe(_ n: NativeObject) -> String {
        guard let m = n.payload as? Module else { return "Module()" }
        try? syncTree(m)
        return m.description
    }

    /// Sets up `nn.Module`: its methods live on the class object so script subclasses inherit them;
    /// `super().__init__()` makes the engine side, `model(x)` calls `forward`.
    static func installModuleBase(_ nn: BindingModule) {
        let t = moduleType
        t.repr = describe
        t.properties["training"] = trainingProperty
        let cls = t.classObject
        for f in sharedMethods { cls.attrs[f.name] = .obj(BuiltinObj(f)) }
        let extras: [NativeFunction] = [
            NativeFunction("__init__", "__init__(self)", doc: "Makes the module's registry; call it first in your __init__ (super().__init__()).") { a in
                guard let inst = a.positional.first?.asInstance else { throw ScriptError(.typeError, "Module.__init__() needs an instance") }
                if a.positional.count > 1 || !a.keywords.isEmpty {
                    throw ScriptError(.typeError, "\(inst.cls.name)() takes no arguments (define __init__ to accept some)")
                }
                _ = scriptModule(of: inst)
                return .none
            },
            NativeFunction("__call__", "__call__(self, *args, **kwargs)", doc: "Calls forward(*args, **kwargs).") { a in
                guard let recv = a.positional.first, let vm = VM.current else { throw ScriptError(.runtimeError, "a module can only be called inside a script") }
                guard let inst = recv.asInstance, inst.cls.lookup("forward") != nil else {
                    throw ScriptError(.notImplementedError, "\(typeName(recv)) has no forward(); define forward(self, x) in the class")
                }
                return try vm.callMethod(recv, "forward", Array(a.positional.dropFirst()), a.keywords)
            },
            NativeFunction("__repr__", "__repr__(self)", doc: "The module tree with parameter counts.") { a in
                guard let inst = a.positional.first?.asInstance else { return .str("Module()") }
                let s = scriptModule(of: inst)
                return .str(describe(inst.native ?? NativeObject(type: moduleType, payload: s)))
            },
            NativeFunction("register_buffer", "register_buffer(name, tensor)", doc: "Stores a tensor that is saved with the model but not trained (like running statistics).") { a in
                guard let inst = a.positional.first?.asInstance else { throw ScriptError(.typeError, "register_buffer() must be called on a module") }
                let name = try a.string(1, "name")
                let v = try a.required(2, "tensor")
                guard TensorBindings.tensor(in: v) != nil else { throw ScriptError(.typeError, "register_buffer(): '\(name)' must be a tensor, not \(typeName(v))") }
                scriptModule(of: inst).bufferAttributes.insert(name)
                inst.attrs[name] = v
                return .none
            },
            NativeFunction("register_parameter", "register_parameter(name, tensor)", doc: "Adds a trainable tensor (same as assigning it with requires_grad=True).") { a in
                guard let inst = a.positional.first?.asInstance else { throw ScriptError(.typeError, "register_parameter() must be called on a module") }
                let name = try a.string(1, "name")
                let v = try a.required(2, "tensor")
                guard let t = TensorBindings.tensor(in: v) else { throw ScriptError(.typeError, "register_parameter(): '\(name)' must be a tensor, not \(typeName(v))") }
                if !t.requiresGrad { _ = try t.requiresGrad_(true) }
                inst.attrs[name] = v
                return .none
            },
            NativeFunction("add_module", "add_module(name, module)", doc: "Adds a child module (same as assigning it as an attribute).") { a in
                guard let inst = a.positional.first?.asInstance else { throw ScriptError(.typeError, "add_module() must be called on a module") }
                let name = try a.string(1, "name")
                let v = try a.required(2, "module")
                _ = try moduleArgument(v, "add_module(): '\(name)'")
                inst.attrs[name] = v
                return .none
            },
        ]
        for f in extras { cls.attrs[f.name] = .obj(BuiltinObj(f)) }
        nn.add(t)
    }

    /// Gives a native layer type the shared methods, `training`, `forward`, printing, and makes
    /// `nn.Name(…)` return the native object directly (no instance wrapper, so calls stay cheap).
    static func finish(_ t: NativeType, for cls: AnyClass, constructor: NativeFunction) {
        typesByClass[ObjectIdentifier(cls)] = t
        t.constructor = constructor
        t.classObject.attrs["__new__"] = .obj(BuiltinObj(constructor))
        for f in sharedMethods { t.methods[f.name] = f }
        t.properties["training"] = trainingProperty
        t.repr = describe
        if let call = t.call {
            t.methods["forward"] = NativeFunction("forward", "forward(input)", doc: "The layer's computation (same as calling the layer).") { a in
                guard let n = a.positional.first?.asNative else { throw ScriptError(.typeError, "forward() must be called on a layer") }
                return try call(n, Arguments(Array(a.positional.dropFirst()), keywords: a.keywords, functionName: t.name))
            }
        }
    }
}
