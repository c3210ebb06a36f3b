/// `nn.ReLU()`: max(0, x).
public final class ReLU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.relu() }
}

/// `nn.LeakyReLU(negative_slope=0.01)`.
public final class LeakyReLU: Module {
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01) { self.negativeSlope = negativeSlope; super.init() }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try NNFunctional.leakyRelu(input, negativeSlope: negativeSlope)
    }
    public override var extraDescription: String { "negative_slope=\(formatPython(negativeSlope))" }
}

/// `nn.Sigmoid()`: 1 / (1 + e⁻ˣ).
public final class Sigmoid: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }
}

/// `nn.Tanh()`.
public final class Tanh: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.tanh() }
}

/// `nn.SELU()`: self-normalising ELU with PyTorch's α and scale.
public final class SELU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try NNFunctional.selu(input) }
}

/// `nn.Softmax(dim)`.
public final class Softmax: Module {
    public let dim: Int
    public init(dim: Int = -1) { self.dim = dim; super.init() }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.softmax(dim: dim) }
    public override var extraDescription: String { "dim=\(dim)" }
}

/// The perceptron's Heaviside step: 1 where x > 0, else 0 (zero gradient).
public final class Step: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try NNFunctional.step(input) }
}

/// `nn.Flatten(start_dim=1, end_dim=-1)`.
public final class Flatten: Module {
    public let startDim: Int, endDim: Int
    public init(startDim: Int = 1, endDim: Int = -1) { self.startDim = startDim; self.endDim = endDim; super.init() }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.flatten(startDim: startDim, endDim: endDim)
    }
    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}

/// `nn.Dropout(p=0.5)`: active only in training mode.
public final class Dropout: Module {
    public let p: Double
    public init(p: Double = 0.5) throws {
        guard p >= 0, p <= 1 else { throw EngineError.value("Dropout: probability has to be between 0 and 1, but got \(p)") }
        self.p = p
        super.init()
    }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.dropout(input, p: p, training: training)
    }
    public override var extraDescription: String { "p=\(formatPython(p)), inplace=False" }
}

/// A Double the way Python prints it in a repr (`0.5`, `0.01`, `1.0`).
func formatPython(_ v: Double) -> String {
    if v == v.rounded(), Swift.abs(v) < 1e16 { return "\(Int(v)).0" }
    return "\(v)"
}
