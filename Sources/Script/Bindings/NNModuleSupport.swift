import Engine

/// The engine side of a script class deriving from `nn.Module` (`class Net(nn.Module)`).
///
/// The script instance keeps its attributes; this module's registry is brought up to date from them
/// (`sync`) whenever the tree is walked (parameters, printing, train/eval, save), so parameters are
/// found in assignment order without hooking every attribute store. `forward` calls the script's.
final class ScriptModule: Module {
    /// The script instance owns this side (instance → native part → here), so the way back is weak,
    /// or a model could never be freed (there is no cycle collector)...
    private weak var owner: InstanceObj?
    /// ...except while a parent module (a `Sequential`, a script model's registry) holds this side:
    /// then the parent may be all that keeps the instance alive, and this holds it strongly.
    private var ownerWhileAttached: InstanceObj?
    /// Attribute names given to `register_buffer`: their tensors are saved but not trained.
    var bufferAttributes: Set<String> = []
    /// The class name, kept for messages after the instance is gone.
    private let className: String

    init(instance: InstanceObj) {
        owner = instance
        className = instance.cls.name
        super.init()
    }

    /// The script instance. Whoever reaches this side holds the instance or a parent of this side,
    /// so it is alive; an empty stand-in only guards against a use from a dying model's deinit.
    var instance: InstanceObj { ownerWhileAttached ?? owner ?? InstanceObj(NNModules.moduleType.classObject) }

    override func attachmentChanged(attached: Bool) {
        ownerWhileAttached = attached ? owner : nil
    }

    override var typeName: String { className }

    /// Runs the script's `forward` (used when a native container or `summary` calls this module).
    override func forward(_ input: Tensor) throws -> Tensor {
        guard let vm = VM.current else {
            throw ScriptError(.runtimeError, "\(typeName).forward can only run inside a script session")
        }
        let out = try vm.callMethod(.obj(instance), "forward", [TensorBindings.wrap(input)], [])
        guard let t = TensorBindings.tensor(in: out) else {
            throw ScriptError(.typeError, "\(typeName).forward must return a tensor when used inside Sequential or summary, got \(NNModules.valueTypeName(out))")
        }
        return t
    }

    /// Registers the instance's current attributes: layers and script modules as children, float leaf
    /// tensors that require grad as parameters, lists of either as `name.0`, `name.1`, …
    func sync() throws {
        var present = Set<String>()
        for name in instance.attrs.keys {
            guard let v = instance.attrs[name] else { continue }
            if let m = NNModules.module(in: v) {
                // A back-reference (`self.parent = parent`) is kept as a plain attribute: registering
                // it would make the module tree a cycle.
                if m !== self, !m.contains(self) { register(name: name, child: m); present.insert(name) }
            } else if let t = TensorBindings.tensor(in: v) {
                if bufferAttributes.contains(name) {
                    register(name: name, buffer: t); present.insert(name)
                } else if t.requiresGrad && t.isLeaf && t.dtype == .float32 {
                    try register(name: name, parameter: t); present.insert(name)
                }
            } else if let items = v.asList?.items ?? v.asTuple?.items, !items.isEmpty {
                let modules = items.compactMap { NNModules.module(in: $0) }
                if modules.count == items.count {
                    if let existing = child(name) as? ModuleList, existing.children.map({ ObjectIdentifier($0.module) }) == modules.map(ObjectIdentifier.init) {
                        present.insert(name)
                    } else {
                        register(name: name, child: ModuleList(modules)); present.insert(name)
                    }
                    continue
                }
                for (i, item) in items.enumerated() {
                    guard let t = TensorBindings.tensor(in: item), t.requiresGrad, t.isLeaf, t.dtype == .float32 else { continue }
                    try register(name: "\(name).\(i)", parameter: t); present.insert("\(name).\(i)")
                }
            }
        }
        for n in parameterNames + bufferNames + childNames where !present.contains(n) { unregister(name: n) }
    }
}

extension Module {
    /// Whether `other` is this module or one of its descendants.
    func contains(_ other: Module) -> Bool {
        if children.isEmpty { return self === other }
        return namedModules().contains { $0.module === other }
    }
}

/// Conversions between script values and engine modules, shared by the `nn` binding files.
enum NNModules {
    /// The type of script instances' native part (and of `nn.Module` itself).
    static let moduleType = NativeType(name: "Module", doc: "Base class for all neural network modules; subclass it with __init__ and forward.")
    /// Native layer types by the Swift class they wrap, so a child read back from the engine
    /// (`seq[0]`, `children()`) shows as its own type.
    nonisolated(unsafe) static var typesByClass: [ObjectIdentifier: NativeType] = [:]

    static func valueTypeName(_ v: Value) -> String { typeName(v) }

    /// The engine module inside `v`: a native layer, or a script `nn.Module` instance (its engine
    /// side is made on first use, so a forgotten `super().__init__()` is forgiven).
    static func module(in v: Value) -> Module? {
        if let n = v.asNative { return n.payload as? Module }
        guard let inst = v.asInstance else { return nil }
        if let n = inst.native { return n.payload as? Module }
        guard inst.cls.isSubclass(of: moduleType.classObject) else { return nil }
        return scriptModule(of: inst)
    }

    /// The engine side of a script module instance, made on first use.
    static func scriptModule(of inst: InstanceObj) -> ScriptModule {
        if let s = inst.native?.payload as? ScriptModule { return s }
        let s = ScriptModule(instance: inst)
        inst.native = NativeObject(type: moduleType, payload: s)
        return s
    }

    /// `v` as a module argument, or a TypeError naming `what`.
    static func moduleArgument(_ v: Value, _ what: String) throws -> Module {
        guard let m = module(in: v) else { throw ScriptError(.typeError, "\(what) must be an nn.Module (a layer or a model), not \(typeName(v))") }
        return m
    }

    /// A module as a script value: the script instance for script modules, else a native object.
    static func wrap(_ m: Module) -> Value {
        if let s = m as? ScriptModule { return .obj(s.instance) }
        return (typesByClass[ObjectIdentifier(type(of: m))] ?? moduleType).wrap(m)
    }

    /// Brings every script module in the tree under `root` up to date with its attributes.
    static func syncTree(_ root: Module) throws {
        var seen = Set<ObjectIdentifier>()
        var stack = [root]
        while let m = stack.popLast() {
            guard seen.insert(ObjectIdentifier(m)).inserted else { continue }
            if let s = m as? ScriptModule { try s.sync() }
            stack.append(contentsOf: m.children.map(\.module))
        }
    }

    /// The receiver of a module method (`positional[0]`), synced.
    static func receiver(_ a: Arguments) throws -> Module {
        guard let v = a.positional.first, let m = module(in: v) else {
            throw ScriptError(.typeError, "\(a.functionName)() must be called on an nn.Module")
        }
        try syncTree(m)
        return m
    }

    /// A list of tensors from a script value: a list/tuple of tensors, a module's parameters, or a
    /// list of parameter-group dicts (`[{'params': …}]`).
    static func tensorList(_ v: Value, _ what: String) throws -> [Tensor] {
        if let t = TensorBindings.tensor(in: v) { return [t] }
        if let m = module(in: v) { try syncTree(m); return m.parameters() }
        let items: [Value]
        if let l = v.asList?.items ?? v.asTuple?.items { items = l }
        else if let vm = VM.current, let it = try? vm.iterate(v) {
            var xs: [Value] = []
            while let x = try it.next() { xs.append(x) }
            items = xs
        } else {
            throw ScriptError(.typeError, "\(what) must be a list of tensors (e.g. model.parameters()), not \(typeName(v))")
        }
        var out: [Tensor] = []
        for item in items {
            if let t = TensorBindings.tensor(in: item) { out.append(t); continue }
            if let d = item.asDict, let p = try d.get(.str("params")) { out += try tensorList(p, what); continue }
            if let pair = item.asTuple?.items, pair.count == 2, let t = TensorBindings.tensor(in: pair[1]) { out.append(t); continue }
            throw ScriptError(.typeError, "\(what) must hold tensors, found \(typeName(item))")
        }
        return out
    }

    /// An int or an (h, w) pair (`kernel_size=3` or `kernel_size=(3, 5)`).
    static func pair(_ a: Arguments, _ i: Int, _ name: String, default d: (Int, Int)? = nil) throws -> (Int, Int) {
        guard let v = a.optional(i, name), !v.isNone else {
            if let d { return d }
            throw ScriptError(.typeError, "\(a.functionName)() missing required argument: '\(name)'")
        }
        if let n = v.intValue { return (n, n) }
        if let xs = v.asTuple?.items ?? v.asList?.items, xs.count == 2, let p = xs[0].intValue, let q = xs[1].intValue { return (p, q) }
        throw ScriptError(.typeError, "\(a.functionName)() argument '\(name)' must be an int or a pair of ints, not \(typeName(v))")
    }

    /// An optional tensor argument (None → nil).
    static func optionalTensor(_ a: Arguments, _ i: Int, _ name: String) throws -> Tensor? {
        guard let v = a.optional(i, name), !v.isNone else { return nil }
        return try TensorBindings.tensorArgument(v, "\(a.functionName)() argument '\(name)'")
    }

    /// A required tensor argument.
    static func tensor(_ a: Arguments, _ i: Int, _ name: String) throws -> Tensor {
        try TensorBindings.tensorArgument(try a.required(i, name), "\(a.functionName)() argument '\(name)'")
    }

    static func tuple(_ pair: (Int, Int)) -> Value { .tuple([.int(pair.0), .int(pair.1)]) }

    /// A `str → tensor` dict in order.
    static func dict(_ entries: [(name: String, tensor: Tensor)]) -> Value {
        let d = DictObj()
        for (n, t) in entries { try? d.set(.str(n), TensorBindings.wrap(t)) }
        return .obj(d)
    }
}
