import Engine

/// The `data` module (LANGUAGE.md).
enum DataBindings {
    static func install(_ table: BindingTable) {}
}
