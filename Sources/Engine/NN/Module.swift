/// The base of every layer and model, like `torch.nn.Module`.
///
/// A module owns an ordered registry of named parameters, buffers and child modules; parameter
/// discovery (`namedParameters()`), `train()`/`eval()`, `zeroGrad()`, `stateDict()` and printing walk
/// that registry. Built-in layers register in their initialisers; the script binding registers the
/// attributes a script's `__init__` assigns (`register(name:parameter:)`, `register(name:child:)`) and
/// subclasses `Module` to route `forward` into the script.
open class Module {
    /// Parameter names in registration order, and their tensors (nil for e.g. `bias=False`).
    public private(set) var parameterNames: [String] = []
    private var parameterSlots: [String: Tensor?] = [:]
    /// Buffers are saved state that is not trained (BatchNorm's running statistics).
    public private(set) var bufferNames: [String] = []
    private var bufferSlots: [String: Tensor] = [:]
    /// Child module names in registration order.
    public private(set) var childNames: [String] = []
    private var childSlots: [String: Module] = [:]

    /// True in training mode (the default); `eval()` clears it for the whole tree.
    public private(set) var training = true

    /// How many modules hold this one as a child.
    public private(set) var parentCount = 0

    public init() {}

    deinit {
        for child in childSlots.values { detach(child) }
    }

    /// Called when the module gets its first parent (`attached` true) or loses its last one. The script
    /// binding keeps a script-written module's script half alive exactly while a parent holds it.
    open func attachmentChanged(attached: Bool) {}

    private func attach(_ child: Module) {
        child.parentCount += 1
        if child.parentCount == 1 { child.attachmentChanged(attached: true) }
    }

    private func detach(_ child: Module) {
        child.parentCount -= 1
        if child.parentCount == 0 { child.attachmentChanged(attached: false) }
    }

    // MARK: registry

    /// Registers a parameter under `name` (replacing one of that name in its place, as attribute
    /// reassignment does in PyTorch); `nil` records an absent optional parameter.
    /// A parameter is a float leaf tensor; it is made to require grad.
    public func register(name: String, parameter: Tensor?) throws {
        if let p = parameter {
            guard p.dtype == .float32 else {
                throw EngineError.type("\(typeName): parameter '\(name)' must be a float tensor, got \(p.dtype)")
            }
            if !p.requiresGrad { try p.requiresGrad_(true) }
        }
        if parameterSlots[name] != nil { parameterSlots[name] = .some(parameter); return }  // keeps its place
        removeName(name)
        parameterNames.append(name)
        parameterSlots[name] = .some(parameter)
    }

    /// Registers (or replaces) a child module under `name` (`self.fc1 = nn.Linear(…)`).
    public func register(name: String, child: Module) {
        if let old = childSlots[name] {  // keeps its place
            guard old !== child else { return }
            attach(child)
            childSlots[name] = child
            detach(old)
            return
        }
        removeName(name)
        childNames.append(name)
        childSlots[name] = child
        attach(child)
    }

    /// Registers (or replaces) a buffer: state saved with the model but not trained.
    public func register(name: String, buffer: Tensor) {
        if bufferSlots[name] != nil { bufferSlots[name] = buffer; return }  // keeps its place
        removeName(name)
        bufferNames.append(name)
        bufferSlots[name] = buffer
    }

    /// Forgets whatever was registered under `name` (an attribute reassigned to a plain value).
    public func unregister(name: String) { removeName(name) }

    private func removeName(_ name: String) {
        if parameterSlots.removeValue(forKey: name) != nil { parameterNames.removeAll { $0 == name } }
        if bufferSlots.removeValue(forKey: name) != nil { bufferNames.removeAll { $0 == name } }
        if let removed = childSlots.removeValue(forKey: name) {
            childNames.removeAll { $0 == name }
            detach(removed)
        }
    }

    /// The parameter registered under `name`, if any.
    public func parameter(_ name: String) -> Tensor? { parameterSlots[name] ?? nil }
    /// The buffer registered under `name`, if any.
    public func buffer(_ name: String) -> Tensor? { bufferSlots[name] }
    /// The child registered under `name`, if any.
    public func child(_ name: String) -> Module? { childSlots[name] }
    /// Direct children in registration order.
    public var children: [(name: String, module: Module)] {
        childNames.compactMap { n in childSlots[n].map { (n, $0) } }
    }

    // MARK: discovery

    /// Every parameter with its dotted path (`0.weight`, `fc1.bias`), depth first in registration
    /// order; a tensor shared by two layers is listed once, as PyTorch does.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        walk(prefix: "") { prefix, m in
            for n in m.parameterNames {
                guard let p = m.parameterSlots[n] ?? nil, seen.insert(ObjectIdentifier(p)).inserted else { continue }
                out.append((prefix + n, p))
            }
        }
        return out
    }

    /// The parameters, in `namedParameters()` order.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Every buffer with its dotted path.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        walk(prefix: "") { prefix, m in
            for n in m.bufferNames { if let b = m.bufferSlots[n] { out.append((prefix + n, b)) } }
        }
        return out
    }

    /// Every module in the tree with its dotted path ("" for self), parents first.
    public func namedModules() -> [(name: String, module: Module)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Module)] = []
        walk(prefix: "") { prefix, m in
            if seen.insert(ObjectIdentifier(m)).inserted { out.append((prefix.isEmpty ? "" : String(prefix.dropLast()), m)) }
        }
        return out
    }

    /// Parameters and buffers by name, as `state_dict()` lists them (parameters first per module).
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        walk(prefix: "") { prefix, m in
            for n in m.parameterNames {
                if let p = m.parameterSlots[n] ?? nil, seen.insert(ObjectIdentifier(p)).inserted { out.append((prefix + n, p)) }
            }
            for n in m.bufferNames { if let b = m.bufferSlots[n] { out.append((prefix + n, b)) } }
        }
        return out
    }

    /// Calls `visit` on self and each descendant with its name prefix (`"fc1."`), depth first.
    /// Iterative so that very deep scripted models cannot overflow the stack.
    private func walk(prefix: String, _ visit: (String, Module) -> Void) {
        var stack: [(String, Module, Int)] = [(prefix, self, 0)]
        var onPath = Set<ObjectIdentifier>([ObjectIdentifier(self)])
        visit(prefix, self)
        while let (p, m, next) = stack.last {
            if next < m.childNames.count {
                stack[stack.count - 1].2 += 1
                let name = m.childNames[next]
                guard let c = m.childSlots[name], !onPath.contains(ObjectIdentifier(c)) else { continue }
                onPath.insert(ObjectIdentifier(c))
                visit(p + name + ".", c)
                stack.append((p + name + ".", c, 0))
            } else {
                onPath.remove(ObjectIdentifier(m))
                stack.removeLast()
            }
        }
    }

    // MARK: modes and gradients

    /// Sets training mode on this module and all descendants (`model.train()`); returns self.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for (_, m) in namedModules() { m.training = mode }
        return self
    }

    /// Evaluation mode: dropout off, batch norm uses running statistics (`model.eval()`).
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Clears every parameter's gradient (PyTorch's default `set_to_none=True`).
    public func zeroGrad() {
        for p in parameters() { p.grad = nil }
    }

    /// Number of scalar parameters (shared tensors counted once).
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    // MARK: forward

    /// The layer's computation; subclasses override it (a script class's `forward`).
    open func forward(_ input: Tensor) throws -> Tensor {
        throw EngineError(.runtime, "\(typeName) has no forward(); define forward(self, x) in the class")
    }

    /// Calls `forward`, recording the output shape while `summary` traces the model.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let out = try forward(input)
        ModuleTrace.record(self, out.shape)
        return out
    }

    // MARK: description

    /// The class name shown when printing (`Linear`); script subclasses override it with theirs.
    open var typeName: String {
        let full = String(describing: type(of: self))
        return full.split(separator: ".").last.map(String.init) ?? full
    }

    /// The arguments PyTorch prints inside the parentheses (`in_features=2, out_features=8, bias=True`).
    open var extraDescription: String { "" }

    /// The short name used in shape errors, Flux style (`Linear(2 => 8)`); defaults to the type name.
    open var shortDescription: String { typeName }
}

/// Collects (module, output shape) pairs while `summary` runs a forward pass — per thread, so a
/// summary never sees layers that other threads run at the same time.
enum ModuleTrace {
    final class Box { var entries: [(Module, [Int])] = [] }
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// The trace being collected on this thread, if any.
    static var active: [(Module, [Int])]? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<Box>.fromOpaque(p).takeUnretainedValue().entries
    }

    static var isActive: Bool { pthread_getspecific(key) != nil }

    /// Runs `body` with a fresh trace on this thread and returns what it recorded.
    static func collect(_ body: () throws -> Void) rethrows -> [(Module, [Int])] {
        let previous = pthread_getspecific(key)
        let box = Box()
        let retained = Unmanaged.passRetained(box)
        pthread_setspecific(key, retained.toOpaque())
        defer { pthread_setspecific(key, previous); retained.release() }
        try body()
        return box.entries
    }

    @inline(__always)
    static func record(_ module: Module, _ shape: [Int]) {
        guard let p = pthread_getspecific(key) else { return }
        Unmanaged<Box>.fromOpaque(p).takeUnretainedValue().entries.append((module, shape))
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
