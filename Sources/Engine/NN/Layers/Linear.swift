/// `nn.Linear(in_features, out_features, bias=True)`: y = x Wᵀ + b, W of shape [out, in],
/// initialised as PyTorch does (kaiming_uniform with a = √5, bias U(±1/√in)).
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw EngineError.value("Linear: in_features and out_features must be non-negative, got \(inFeatures) and \(outFeatures)")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init()
        let w = try Tensor.zeros([outFeatures, inFeatures])
        let b = bias ? try Tensor.zeros([outFeatures]) : nil
        try Init.defaultLayer(weight: w, bias: b)
        try register(name: "weight", parameter: w)
        try register(name: "bias", parameter: b)
    }

    public var weight: Tensor? { parameter("weight") }
    public var bias: Tensor? { parameter("bias") }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try forward(input, activation: .none)
    }

    /// The forward pass with an activation fused into the same kernel (used by `Sequential`).
    public func forward(_ input: Tensor, activation: FusedActivation) throws -> Tensor {
        guard let w = weight else { throw EngineError.runtime("\(shortDescription) has no weight") }
        return try NNFunctional.linear(input, w, bias, activation: activation, layer: shortDescription)
    }

    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True")"
    }
    public override var shortDescription: String { "Linear(\(inFeatures) => \(outFeatures))" }
}
