import Engine

/// The `plot` module (LANGUAGE.md).
enum PlotBindings {
    static func install(_ table: BindingTable) {}
}
