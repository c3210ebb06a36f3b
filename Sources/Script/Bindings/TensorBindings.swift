import Engine

/// Tensors: the `Tensor` type, creation functions, operators, methods and `no_grad()` (LANGUAGE.md
/// "Tensors"). Conversions shared with other binding files are in `TensorBridge.swift`.
enum TensorBindings {
    static func install(_ table: BindingTable) {
        type.repr = { ($0.payload as? Tensor)?.text ?? "tensor(?)" }
        type.mimeBundle = { obj in
            guard let t = obj.payload as? Tensor else { return nil }
            return MimeBundle(data: ["text/html": t.htmlTable()])
        }
        table.add(type)
        table.add(NativeFunction("tensor", "tensor(data, dtype=None, requires_grad=False)",
                                 doc: "A new tensor from a number or nested lists (float32 if any float, else int64, else bool).") { a in
            try a.check(max: 1, keywords: ["data", "dtype", "requires_grad"])
            let t = try tensorArgument(try a.required(0, "data"), "tensor()")
            let result = tensor(in: try a.required(0, "data")) === t ? try t.clone() : t
            if a.bool(2, "requires_grad", default: false) { _ = try result.requiresGrad_(true) }
            return wrap(result)
        })
    }
}
