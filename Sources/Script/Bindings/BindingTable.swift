/// A built-in module as the binding table describes it.
public final class BindingModule {
    public let name: String
    public let doc: String
    public var functions: [String: NativeFunction] = [:]
    public var types: [String: NativeType] = [:]
    /// Constant or computed members (`sys.version`, `math.pi`); evaluated when a session imports the module.
    public var values: [String: (doc: String, make: () -> Value)] = [:]
    /// Sub-modules (`nn.functional`, `nn.init`).
    public var submodules: [String: BindingModule] = [:]
    public init(name: String, doc: String) { self.name = name; self.doc = doc }

    public func add(_ f: NativeFunction) { functions[f.name] = f }
    public func add(_ t: NativeType) { types[t.name] = t }
    public func addValue(_ name: String, doc: String, _ make: @escaping () -> Value) { values[name] = (doc, make) }
    public func add(_ m: BindingModule) { submodules[m.name] = m }
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
