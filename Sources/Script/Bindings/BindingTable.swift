/// A built-in module as the binding table describes it.
///
/// A module made with `fill` is filled on first use (its contents read, or something added): making
/// `nn`'s layer types costs ~1.5 ms of start-up that scripts which never use `nn` should not pay.
public final class BindingModule {
    public let name: String
    public let doc: String
    private var storedFunctions: [String: NativeFunction] = [:]
    private var storedTypes: [String: NativeType] = [:]
    private var storedValues: [String: (doc: String, make: () -> Value)] = [:]
    private var storedSubmodules: [String: BindingModule] = [:]
    private var pendingFill: ((BindingModule) -> Void)?

    public init(name: String, doc: String, fill: ((BindingModule) -> Void)? = nil) {
        self.name = name; self.doc = doc; pendingFill = fill
    }

    public var functions: [String: NativeFunction] { filled(); return storedFunctions }
    public var types: [String: NativeType] { filled(); return storedTypes }
    /// Constant or computed members (`sys.version`, `math.pi`); evaluated when a session imports the module.
    public var values: [String: (doc: String, make: () -> Value)] { filled(); return storedValues }
    /// Sub-modules (`nn.functional`, `nn.init`).
    public var submodules: [String: BindingModule] { filled(); return storedSubmodules }

    public func add(_ f: NativeFunction) { filled(); storedFunctions[f.name] = f }
    public func add(_ t: NativeType) { filled(); storedTypes[t.name] = t }
    public func addValue(_ name: String, doc: String, _ make: @escaping () -> Value) { filled(); storedValues[name] = (doc, make) }
    public func add(_ m: BindingModule) { filled(); storedSubmodules[m.name] = m }

    /// Runs the pending fill once, on the script thread like every installer (see `BindingTable.standard`).
    private func filled() {
        guard let fill = pendingFill else { return }
        pendingFill = nil
        LargeStack.run { fill(self) }
    }
}

/// The one table of everything native that scripts can name: global functions, native types and
/// modules, each with its signature and docstring. Calls, completion, inspect and help() all read it.
public final class BindingTable {
    public var functions: [String: NativeFunction] = [:]
    /// Native types visible as global names (their constructor is called as `Name(...)`).
    public var types: [String: NativeType] = [:]
    public var modules: [String: BindingModule] = [:]
    /// Called after every cell or script run (also when it raised), in order; e.g. `plot` shows the
    /// figures drawn in the cell. Installers add them; they belong to this table's session.
    public var cellEndHooks: [(CellEnd) -> Void] = []
    /// Global constants (`float32`, `int64`): made once per session.
    public var values: [String: (doc: String, make: () -> Value)] = [:]

    public init() {}
    public func addValue(_ name: String, doc: String, _ make: @escaping () -> Value) { values[name] = (doc, make) }

    public func add(_ f: NativeFunction) { functions[f.name] = f }
    public func add(_ t: NativeType) { types[t.name] = t }
    public func add(_ m: BindingModule) { modules[m.name] = m }

    /// Installers run once to fill the standard table; Engine/Plot bindings append theirs here
    /// (see Bindings/README.md).
    nonisolated(unsafe) public static var installers: [(BindingTable) -> Void] = []

    /// The table every new session starts from: the language's built-ins plus every installer.
    /// Installers also (re)configure shared native types (`Tensor`'s methods and hooks), so they run
    /// on the one script thread: a session made while another session's code runs (tests, `--jobs`
    /// in one process) then never mutates a type that running code is reading.
    public static func standard() -> BindingTable {
        let t = BindingTable()
        LargeStack.run {
            Builtins.install(into: t)
            for i in installers { i(t) }
        }
        return t
    }
}

/// What a cell-end hook learns about the run that just finished.
public struct CellEnd {
    /// Where the session's output goes.
    public let output: ScriptOutput
    /// The value the cell will show as its result (nil when there is none, or the cell raised).
    public let value: Value?
    /// True when the cell raised.
    public let raised: Bool
    /// False for whole files run by `myelin run`: hooks should display nothing then.
    public let isCell: Bool
}
