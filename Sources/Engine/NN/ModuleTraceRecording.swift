extension Module {
    /// Records `shape` as this module's output while `summary` traces the model. Layers called
    /// through another entry point than `callAsFunction` (several inputs, tuple outputs — e.g. from
    /// the script bindings) use it so `summary` still lists them.
    public func recordOutputShape(_ shape: [Int]) {
        ModuleTrace.record(self, shape)
    }
}
