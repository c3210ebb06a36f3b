import Engine

/// The `nn` module (LANGUAGE.md).
enum NNBindings {
    static func install(_ table: BindingTable) {}
}
