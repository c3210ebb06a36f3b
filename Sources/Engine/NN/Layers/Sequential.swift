/// `nn.Sequential(*layers)`: applies its children in order; they are named `0`, `1`, …
public final class Sequential: Module {
    public init(_ layers: [Module]) {
        super.init()
        for (i, m) in layers.enumerated() { register(name: String(i), child: m) }
    }

    public convenience init(_ layers: Module...) { self.init(layers) }

    /// Adds a layer at the end (`append`).
    public func append(_ layer: Module) { register(name: String(childNames.count), child: layer) }

    public var count: Int { childNames.count }

    /// The layer at `index` (negative counts from the end), or an IndexError.
    public func layer(at index: Int) throws -> Module {
        let layers = children
        let i = index < 0 ? index + layers.count : index
        guard i >= 0, i < layers.count else {
            throw EngineError.index("index \(index) is out of range for Sequential of length \(layers.count)")
        }
        return layers[i].module
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let layers = children.map(\.module)
        var x = input
        var i = 0
        while i < layers.count {
            // Linear followed by a plain activation runs as one fused op (same values, one node);
            // not while `summary` traces, which wants every layer's output.
            if !ModuleTrace.isActive, let lin = layers[i] as? Linear, i + 1 < layers.count,
               let act = Sequential.fusable(layers[i + 1]) {
                x = try lin.forward(x, activation: act)
                i += 2
                continue
            }
            x = try layers[i](x)
            i += 1
        }
        return x
    }

    private static func fusable(_ m: Module) -> FusedActivation? {
        switch ObjectIdentifier(type(of: m)) {
        case ObjectIdentifier(ReLU.self): return .relu
        case ObjectIdentifier(Sigmoid.self): return .sigmoid
        case ObjectIdentifier(Tanh.self): return .tanh
        default: return nil
        }
    }
}

/// `nn.ModuleList`: holds layers under `0`, `1`, … so their parameters are found, without a forward
/// of its own. The script binding can wrap a list attribute of modules (`self.layers = [...]`) in one.
public final class ModuleList: Module {
    public init(_ layers: [Module] = []) {
        super.init()
        for (i, m) in layers.enumerated() { register(name: String(i), child: m) }
    }

    /// Adds a layer at the end (`append`).
    public func append(_ layer: Module) { register(name: String(childNames.count), child: layer) }

    public var count: Int { childNames.count }

    public override func forward(_ input: Tensor) throws -> Tensor {
        throw EngineError(.runtime, "ModuleList is not callable: iterate over it and call each layer")
    }
}
