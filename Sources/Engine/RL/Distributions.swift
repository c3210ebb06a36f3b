#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Policy distributions over tensors, as `torch.distributions` defines them. `logProb` and `entropy`
/// are compositions of recorded engine ops, so gradients reach whatever made the parameters
/// (REINFORCE's `-(dist.logProb(a) * G).sum().backward()`); `sample` draws without a graph.

/// `torch.distributions.Categorical`: one distribution over the last dimension's classes per row.
public final class Categorical {
    /// Normalised log-probabilities `[..., classes]` (log-softmax of the logits, or log of the
    /// clamped normalised probabilities, as PyTorch stores them).
    public let logits: Tensor
    /// Probabilities `[..., classes]`, rows summing to 1.
    public let probs: Tensor

    public var classCount: Int { probs.shape.last ?? 0 }
    /// The shape of one sample: the parameters' shape without the class dimension.
    public var batchShape: [Int] { Array(probs.shape.dropLast()) }

    /// From probabilities (non-negative, normalised per row here, as PyTorch does).
    public init(probs: Tensor) throws {
        try Categorical.checkParameter(probs, "probs")
        let values = probs.floatArray()
        guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw EngineError.value("Categorical: probs must be finite and ≥ 0")
        }
        let p = try probs.div(probs.sum(dim: -1, keepdim: true))
        guard p.floatArray().allSatisfy({ $0.isFinite }) else {
            throw EngineError.value("Categorical: every row of probs needs a positive sum")
        }
        // PyTorch's probs_to_logits clamps to [eps, 1 - eps] so log stays finite.
        let eps = Double(Float.ulpOfOne)
        self.probs = p
        self.logits = try p.clamp(min: eps, max: 1 - eps).log()
    }

    /// From unnormalised log-probabilities.
    public init(logits: Tensor) throws {
        try Categorical.checkParameter(logits, "logits")
        guard logits.floatArray().allSatisfy({ !$0.isNaN && $0 != .infinity }) else {
            throw EngineError.value("Categorical: logits must not be NaN or +inf")
        }
        let normalised = try logits.logSoftmax(dim: -1)
        self.logits = normalised
        self.probs = try normalised.exp()
    }

    private static func checkParameter(_ t: Tensor, _ name: String) throws {
        guard t.dtype == .float32 else { throw EngineError.type("Categorical: \(name) must be a float tensor, got \(t.dtype)") }
        guard t.ndim >= 1, let c = t.shape.last, c > 0 else {
            throw EngineError.shape("Categorical: \(name) must have a class dimension [..., classes], got shape \(describe(t.shape))")
        }
    }

    /// One class index per row, int64 of `batchShape` (a 0-d tensor for a single distribution).
    public func sample(using generator: RandomGenerator = .shared) throws -> Tensor {
        let c = classCount, rows = probs.count / max(c, 1)
        let draws = try PolicySampling.categorical(probs: probs.floatArray(), shape: [rows, c], using: generator)
        return try Tensor(draws.map { Int64($0) }, shape: batchShape)
    }

    /// log P(value): `value` holds class indices and broadcasts against `batchShape`.
    public func logProb(_ value: Tensor) throws -> Tensor {
        let c = classCount
        let ids = value.dtype == .int64 ? value.int64Array() : value.doubleArray().map { Int64(exactly: $0) ?? -1 }
        for v in ids where v < 0 || v >= c {
            throw EngineError.value("Categorical.log_prob: value \(v) is not a class index 0..\(c - 1)")
        }
        let indices = try Tensor(ids, shape: value.shape)
        let classes = try Tensor((0..<Int64(c)).map { $0 }, shape: [c])
        let oneHot = try indices.unsqueeze(-1).eq(classes).to(.float32)
        // -inf · 0 would be NaN; PyTorch's gather never touches the other classes.
        return try logits.clamp(min: -Double(Float.greatestFiniteMagnitude)).mul(oneHot).sum(dim: -1)
    }

    /// −Σ p log p per row, of `batchShape`.
    public func entropy() throws -> Tensor {
        try logits.clamp(min: -Double(Float.greatestFiniteMagnitude)).mul(probs).sum(dim: -1).neg()
    }
}

/// `torch.distributions.Normal`: independent Gaussians with elementwise `mean` and `std`
/// (broadcast against each other).
public final class Normal {
    public let mean: Tensor
    public let std: Tensor
    /// The broadcast shape of `mean` and `std`: the shape of one sample.
    public let batchShape: [Int]

    public init(mean: Tensor, std: Tensor) throws {
        guard mean.dtype == .float32, std.dtype == .float32 else {
            throw EngineError.type("Normal: mean and std must be float tensors, got \(mean.dtype) and \(std.dtype)")
        }
        guard std.floatArray().allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw EngineError.value("Normal: std must be finite and > 0")
        }
        batchShape = try Shapes.broadcast(mean.shape, std.shape, op: "Normal")
        self.mean = try mean.expand(batchShape)
        self.std = try std.expand(batchShape)
    }

    /// A draw without a graph (`sample()`), shape `batchShape`.
    public func sample(using generator: RandomGenerator = .shared) throws -> Tensor {
        try withNoGrad { try rsample(using: generator) }.detach()
    }

    /// A reparameterised draw `mean + std · ε`, ε ~ N(0, 1): gradients reach mean and std.
    public func rsample(using generator: RandomGenerator = .shared) throws -> Tensor {
        let noise = try Tensor.randn(batchShape, generator: generator)
        return try mean.add(std.mul(noise))
    }

    /// log N(value; mean, std²) = −(value − mean)² / (2 std²) − log std − ½ log 2π, elementwise.
    public func logProb(_ value: Tensor) throws -> Tensor {
        let v = value.dtype == .float32 ? value : try value.to(.float32)
        let z = try v.sub(mean)
        let quadratic = try z.mul(z).div(std.mul(std).mul(Tensor(scalar: Float(2))))
        return try quadratic.neg().sub(std.log()).sub(Tensor(scalar: Float(halfLogTwoPi)))
    }

    /// ½ + ½ log 2π + log std, elementwise.
    public func entropy() throws -> Tensor {
        try std.log().add(Tensor(scalar: Float(0.5 + halfLogTwoPi)))
    }
}

/// ½ log 2π, the Gaussian's normalising constant in log space.
private let halfLogTwoPi = 0.5 * log(2 * Double.pi)
