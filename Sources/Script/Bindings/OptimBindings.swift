import Engine

/// The `optim` module (LANGUAGE.md).
enum OptimBindings {
    static func install(_ table: BindingTable) {}
}
