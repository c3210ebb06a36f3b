import Engine

/// Tensors: the `Tensor` type, creation functions, operators, methods and `no_grad()` (LANGUAGE.md
/// "Tensors"). Conversions shared with other binding files are in `TensorBridge.swift`; the pieces are
/// in TensorCreation, TensorMath, TensorMethods, TensorOperators and TensorIndexing.
enum TensorBindings {
    /// Python built-ins that tensors overload, as Python's `__round__`/torch functions do:
    /// `sum(t)` is `t.sum()`, `sum([1, 2])` stays Python's.
    static let overloadedBuiltins = ["sum", "round", "all", "any"]

    static func install(_ table: BindingTable) {
        let python = overloadedBuiltins.compactMap { name in table.functions[name].map { (name, $0) } }
        defer { dispatchOnTensors(table, python) }
        type.repr = { ($0.payload as? Tensor)?.text ?? "tensor(?)" }
        type.mimeBundle = { obj in
            guard let t = obj.payload as? Tensor else { return nil }
            return MimeBundle(data: ["text/html": t.htmlTable()])
        }
        type.constructor = NativeFunction("Tensor", "Tensor(data)", doc: "A float32 tensor from nested lists or numbers (like torch.Tensor).") { a in
            try a.check(max: 1, keywords: ["data"])
            return wrap(try tensorArgument(try a.required(0, "data"), "Tensor()", dtype: .float32))
        }
        installOperators()
        installIndexing()
        installProperties()
        installMethods()
        installMath(table)
        installMatrixOps(table)
        installCreation(table)
        installJoining(table)
        installGradMode(table)
        installDTypes(table)
        table.add(type)
    }

    private static func installJoining(_ table: BindingTable) {
        func tensors(_ a: Arguments) throws -> [Tensor] {
            let v = try a.required(0, "tensors")
            guard let items = v.asList?.items ?? v.asTuple?.items else {
                throw ScriptError(.typeError, "\(a.functionName)() expects a list or tuple of tensors, not \(typeName(v))")
            }
            return try items.map { try tensorArgument($0, "\(a.functionName)() tensors") }
        }
        for name in ["cat", "concatenate", "concat"] {
            table.add(NativeFunction(name, "\(name)(tensors, dim=0)", doc: "Joins tensors along an existing dimension; shapes must match elsewhere.") { a in
                try a.check(max: 2, keywords: ["tensors", "dim"])
                return wrap(try Tensor.cat(try tensors(a), dim: try a.int(1, "dim", default: 0)))
            })
        }
        table.add(NativeFunction("stack", "stack(tensors, dim=0)", doc: "Joins equal-shaped tensors along a new dimension.") { a in
            try a.check(max: 2, keywords: ["tensors", "dim"])
            return wrap(try Tensor.stack(try tensors(a), dim: try a.int(1, "dim", default: 0)))
        })
        table.add(NativeFunction("where", "where(condition, input=None, other=None)",
                                 doc: "Elements of input where condition is True, else of other (all broadcast); input/other may be numbers. With only a condition: a tuple of index tensors, one per dimension, where it holds.") { a in
            try a.check(max: 3, keywords: ["condition", "input", "other"])
            let c = try tensorArg(a, 0, "condition")
            if a.optional(1, "input") == nil && a.optional(2, "other") == nil {
                return .tuple(try c.nonzeroIndices().map(wrap))
            }
            guard c.dtype == .bool else { throw ScriptError(.typeError, "where(): condition must be a bool tensor (e.g. x > 0), got \(c.dtype)") }
            return wrap(try Tensor.where(c, try tensorArg(a, 1, "input"), try tensorArg(a, 2, "other")))
        })
        table.add(NativeFunction("is_tensor", "is_tensor(obj)", doc: "True when obj is a tensor.") { a in
            .bool(tensor(in: try a.required(0, "obj")) != nil)
        })
        table.add(NativeFunction("numel", "numel(input)", doc: "The number of elements of a tensor.") { a in
            .int(try tensorArg(a, 0, "input").count)
        })
    }

    /// Registers each built-in of `python` again so that a call whose first argument is a tensor runs
    /// the tensor method of that name (receiver first), and any other call Python's built-in.
    private static func dispatchOnTensors(_ table: BindingTable, _ python: [(String, NativeFunction)]) {
        for (name, builtin) in python {
            guard let method = type.methods[name] else { continue }
            table.add(NativeFunction(name, "\(name)(tensor, …) | \(builtin.signature)",
                                     doc: "For a tensor, Tensor.\(name): \(method.doc) Otherwise Python's: \(builtin.doc)") { a in
                if let first = a.positional.first, tensor(in: first) != nil { return try method.call(a) }
                return try builtin.call(a)
            })
        }
    }

    private static func installGradMode(_ table: BindingTable) {
        let noGrad = NativeType(name: "no_grad", doc: "Context manager: `with no_grad():` turns off gradient recording inside the block (nests).")
        noGrad.enter = { obj in
            (obj.payload as? GradModeSwitch)?.enter()
            return .none
        }
        noGrad.exit = { obj in (obj.payload as? GradModeSwitch)?.exit() }
        noGrad.repr = { _ in "<no_grad>" }
        noGrad.constructor = NativeFunction("no_grad", "no_grad()", doc: noGrad.doc) { a in
            try a.check(max: 0)
            return noGrad.wrap(GradModeSwitch(enabled: false))
        }
        table.add(noGrad)
        let enableGrad = NativeType(name: "enable_grad", doc: "Context manager: `with enable_grad():` turns gradient recording back on inside a no_grad block.")
        enableGrad.enter = noGrad.enter
        enableGrad.exit = noGrad.exit
        enableGrad.constructor = NativeFunction("enable_grad", "enable_grad()", doc: enableGrad.doc) { a in
            try a.check(max: 0)
            return enableGrad.wrap(GradModeSwitch(enabled: true))
        }
        table.add(enableGrad)
        table.add(NativeFunction("is_grad_enabled", "is_grad_enabled()", doc: "True unless inside no_grad().") { _ in .bool(GradMode.isEnabled) })
        table.add(NativeFunction("gradcheck", "gradcheck(func, inputs, eps=1e-3, atol=1e-2, rtol=1e-2)",
                                 doc: "Checks the gradients backward() gives for func(*inputs) against central finite differences (float32, so tolerances are loose). Returns True, or raises RuntimeError naming the worst element.") { a in
            try a.check(max: 5, keywords: ["func", "inputs", "eps", "atol", "rtol"])
            let f = try a.required(0, "func"), given = try a.required(1, "inputs")
            let items = given.asTuple?.items ?? given.asList?.items ?? [given]
            let inputs = try items.map { try tensorArgument($0, "gradcheck() inputs") }
            guard inputs.contains(where: { $0.requiresGrad }) else {
                throw ScriptError(.valueError, "gradcheck(): no input requires grad; create them with requires_grad=True")
            }
            let vm = try vmNow()
            let report = try Engine.gradcheck({ ts in
                let r = try vm.call(f, ts.map(wrap))
                guard let t = tensor(in: r) else { throw ScriptError(.typeError, "gradcheck(): func must return a tensor, got \(typeName(r))") }
                return t
            }, inputs, eps: try a.double(2, "eps", default: 1e-3), atol: try a.double(3, "atol", default: 1e-2), rtol: try a.double(4, "rtol", default: 1e-2))
            guard report.passed else { throw ScriptError(.runtimeError, "Jacobian mismatch: \(report)") }
            return .bool(true)
        })
    }

    private static func installDTypes(_ table: BindingTable) {
        table.addValue("float32", doc: "The 32-bit float dtype (the default).") { DTypeBox.value(.float32) }
        table.addValue("int64", doc: "The 64-bit integer dtype (indices, class labels).") { DTypeBox.value(.int64) }
        table.addValue("long", doc: "Same as int64.") { DTypeBox.value(.int64) }
    }
}

/// The state of one `no_grad()`/`enable_grad()` object: the modes it replaced, so nesting restores them.
final class GradModeSwitch {
    let enabled: Bool
    private var saved: [Bool] = []
    init(enabled: Bool) { self.enabled = enabled }
    func enter() { saved.append(GradMode.isEnabled); GradMode.setEnabled(enabled) }
    func exit() { GradMode.setEnabled(saved.popLast() ?? true) }
}
