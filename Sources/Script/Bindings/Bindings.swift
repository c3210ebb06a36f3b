import Engine

/// Every module the language offers beyond its core built-ins (LANGUAGE.md "Tensors", "Built-in
/// modules", "Plots"). Each installer lives in its own file of this folder and owns its names.
public enum Bindings {
    nonisolated(unsafe) private static var installed = false

    /// Registers every installer with `BindingTable.standard()`; safe to call more than once.
    /// Call before the first session is made (the `myelin` CLI does it at start-up).
    public static func installOnce() {
        if installed { return }
        installed = true
        ErrorMapping.register { error in
            guard let e = error as? EngineError else { return nil }
            return ScriptError(ScriptError.Kind(rawValue: e.pythonName) ?? .runtimeError, e.message)
        }
        BindingTable.installers.append(contentsOf: [
            TensorBindings.install,
            LinalgBindings.install,
            NNBindings.install,
            OptimBindings.install,
            DataBindings.install,
            RLBindings.install,
            PlotBindings.install,
        ])
    }
}
