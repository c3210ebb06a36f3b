import Engine

/// The `linalg` module (LANGUAGE.md).
enum LinalgBindings {
    static func install(_ table: BindingTable) {}
}
