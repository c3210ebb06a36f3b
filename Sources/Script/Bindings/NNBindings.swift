import Engine

/// The `nn` module (LANGUAGE.md): layers, containers, `nn.Module` for script subclasses, losses,
/// activations as functions, `nn.functional`, `nn.init`, `nn.utils` and `summary`.
enum NNBindings {
    static func install(_ table: BindingTable) {
        table.add(summaryFunction)
        table.add(BindingModule(name: "nn", doc: "Neural-network layers, losses and the Module base class (PyTorch's torch.nn).",
                                fill: fill))
    }

    /// The module's contents, made when a session first uses `nn` (see `BindingModule`).
    private static func fill(_ nn: BindingModule) {
        NNModules.installModuleBase(nn)
        for t in NNLayerBindings.types { nn.add(t) }

        let functional = BindingModule(name: "functional", doc: "Functional forms of layers, activations and losses (torch.nn.functional).")
        for l in NNFunctionalBindings.losses {
            nn.add(NNFunctionalBindings.lossTypes[l.className] ?? NNFunctionalBindings.lossType(l))
            for name in [l.name] + l.aliases {
                let f = NNFunctionalBindings.lossFunction(l, name: name)
                nn.add(f); functional.add(f)
            }
        }
        for f in NNFunctionalBindings.activationFunctions() { nn.add(f); functional.add(f) }
        for f in NNFunctionalBindings.functionalForms() { functional.add(f) }
        nn.add(functional)

        let initModule = BindingModule(name: "init", doc: "In-place weight initialisers (torch.nn.init); each returns its tensor.")
        for f in NNFunctionalBindings.initFunctions() { initModule.add(f) }
        nn.add(initModule)

        let utils = BindingModule(name: "utils", doc: "Training utilities (torch.nn.utils).")
        utils.add(OptimBindings.clipGradNorm)
        nn.add(utils)

        nn.add(parameter)
        nn.add(summaryFunction)
    }

    /// `nn.Parameter(t)`: the tensor itself made a trainable leaf.
    static let parameter = NativeFunction("Parameter", "Parameter(data, requires_grad=True)",
                                          doc: "Marks a tensor as a trainable parameter (a leaf that requires grad); assign it to a module attribute.") { a in
        var args = a; args.functionName = "Parameter"
        try args.check(max: 2, keywords: ["data", "requires_grad"])
        let t = try TensorBindings.tensorArgument(try args.required(0, "data"), "Parameter()", dtype: .float32)
        let leaf = t.isLeaf ? t : t.detach()
        _ = try leaf.requiresGrad_(args.bool(1, "requires_grad", default: true))
        return TensorBindings.wrap(leaf)
    }

    /// The text `summary` returns: shows as the table in a cell and with print().
    final class SummaryText { let text: String; init(_ t: String) { text = t } }
    static let summaryType: NativeType = {
        let t = NativeType(name: "ModelSummary", doc: "The table summary() made.")
        t.repr = { ($0.payload as? SummaryText)?.text ?? "" }
        return t
    }()

    static let summaryFunction = NativeFunction("summary", "summary(model, input_shape)",
                                                doc: "Runs a zero input of input_shape (batch included) through the model and lists each layer's output shape and parameter count.") { a in
        var args = a; args.functionName = "summary"
        try args.check(max: 2, keywords: ["model", "input_shape", "input_size"])
        let model = try NNModules.moduleArgument(try args.required(0, "model"), "summary() model")
        let shapeValue = try args.optional(1, "input_shape") ?? args.required(1, "input_size")
        let shape = try TensorBindings.shape([shapeValue], "summary() input_shape")
        try NNModules.syncTree(model)
        return summaryType.wrap(SummaryText(try Engine.summary(model, inputShape: shape)))
    }
}
