import Engine

/// The `rl` module (LANGUAGE.md).
enum RLBindings {
    static func install(_ table: BindingTable) {}
}
