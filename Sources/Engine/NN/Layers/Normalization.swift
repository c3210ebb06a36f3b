/// `nn.BatchNorm1d` / `nn.BatchNorm2d`: normalise each channel (dim 1) over the batch (and length or
/// spatial dims) in training, with running statistics (momentum 0.1, unbiased variance) for eval.
public class BatchNorm: Module {
    public let numFeatures: Int, eps: Double, momentum: Double, affine: Bool
    let expectedRanks: [Int]

    init(_ numFeatures: Int, eps: Double, momentum: Double, affine: Bool, ranks: [Int]) throws {
        guard numFeatures > 0 else { throw EngineError.value("BatchNorm: num_features must be positive, got \(numFeatures)") }
        self.numFeatures = numFeatures; self.eps = eps; self.momentum = momentum; self.affine = affine
        expectedRanks = ranks
        super.init()
        if affine {
            try register(name: "weight", parameter: Tensor.ones([numFeatures]))
            try register(name: "bias", parameter: Tensor.zeros([numFeatures]))
        }
        register(name: "running_mean", buffer: try Tensor.zeros([numFeatures]))
        register(name: "running_var", buffer: try Tensor.ones([numFeatures]))
        register(name: "num_batches_tracked", buffer: Tensor(scalar: Int64(0)))
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard expectedRanks.contains(input.ndim), input.shape[1] == numFeatures else {
            let want = expectedRanks.map { $0 == 2 ? "[N, \(numFeatures)]" : $0 == 3 ? "[N, \(numFeatures), L]" : "[N, \(numFeatures), H, W]" }
            throw EngineError.shape("\(shortDescription) expects input of shape \(want.joined(separator: " or ")), got shape \(describe(input.shape))")
        }
        var statShape = [Int](repeating: 1, count: input.ndim); statShape[1] = numFeatures
        let dims = (0..<input.ndim).filter { $0 != 1 }
        let n = input.count / numFeatures
        let mean: Tensor, variance: Tensor
        if training {
            guard n > 1 else {
                throw EngineError.value("\(shortDescription): expected more than 1 value per channel when training, got input of shape \(describe(input.shape))")
            }
            mean = try input.mean(dims: dims, keepdim: true)
            let centered = try input.sub(mean)
            variance = try centered.mul(centered).mean(dims: dims, keepdim: true)
            try withNoGrad {
                guard let rm = buffer("running_mean"), let rv = buffer("running_var") else { return }
                let m = Float(momentum), unbias = Float(n) / Float(n - 1)
                let bm = mean.floatArray(), bv = variance.floatArray()
                let pm = rm.storage.floats() + rm.offset, pv = rv.storage.floats() + rv.offset
                for c in 0..<numFeatures {
                    pm[c] = (1 - m) * pm[c] + m * bm[c]
                    pv[c] = (1 - m) * pv[c] + m * bv[c] * unbias
                }
                rm.storage.bumpVersion(); rv.storage.bumpVersion()
                if let nb = buffer("num_batches_tracked") { nb.storage.ints()[nb.offset] += 1 }
            }
        } else {
            guard let rm = buffer("running_mean"), let rv = buffer("running_var") else {
                throw EngineError.runtime("\(shortDescription) has no running statistics")
            }
            mean = try rm.reshape(statShape)
            variance = try rv.reshape(statShape)
        }
        var y = try input.sub(mean).div(variance.add(Tensor(scalar: Float(eps))).sqrt())
        if let w = parameter("weight"), let b = parameter("bias") {
            y = try y.mul(w.reshape(statShape)).add(b.reshape(statShape))
        }
        return y
    }

    public override var extraDescription: String {
        "\(numFeatures), eps=\(formatPython(eps)), momentum=\(formatPython(momentum)), affine=\(affine ? "True" : "False"), track_running_stats=True"
    }
    public override var shortDescription: String { "\(typeName)(\(numFeatures))" }
}

/// `nn.BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=True)` on [N, C] or [N, C, L].
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, ranks: [2, 3])
    }
}

/// `nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True)` on [N, C, H, W].
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, ranks: [4])
    }
}

/// `nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)`: normalise over the last
/// dimensions (biased variance), then scale and shift.
public final class LayerNorm: Module {
    public let normalizedShape: [Int], eps: Double

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true) throws {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw EngineError.value("LayerNorm: normalized_shape must be non-empty and positive, got \(describe(normalizedShape))")
        }
        self.normalizedShape = normalizedShape; self.eps = eps
        super.init()
        if elementwiseAffine {
            try register(name: "weight", parameter: Tensor.ones(normalizedShape))
            try register(name: "bias", parameter: Tensor.zeros(normalizedShape))
        }
    }

    public convenience init(_ size: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true) throws {
        try self.init([size], eps: eps, elementwiseAffine: elementwiseAffine)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let k = normalizedShape.count
        guard input.ndim >= k, Array(input.shape.suffix(k)) == normalizedShape else {
            throw EngineError.shape("\(shortDescription) expects input whose last dimensions are \(describe(normalizedShape)), got shape \(describe(input.shape))")
        }
        let dims = Array((input.ndim - k)..<input.ndim)
        let mean = try input.mean(dims: dims, keepdim: true)
        let centered = try input.sub(mean)
        let variance = try centered.mul(centered).mean(dims: dims, keepdim: true)
        var y = try centered.div(variance.add(Tensor(scalar: Float(eps))).sqrt())
        if let w = parameter("weight"), let b = parameter("bias") { y = try y.mul(w).add(b) }
        return y
    }

    public override var extraDescription: String {
        "(\(normalizedShape.map(String.init).joined(separator: ", "))\(normalizedShape.count == 1 ? "," : "")), eps=\(formatPython(eps)), elementwise_affine=\(parameter("weight") == nil ? "False" : "True")"
    }
    public override var shortDescription: String { "LayerNorm(\(describe(normalizedShape)))" }
}

/// `nn.Embedding(num_embeddings, embedding_dim)`: a lookup table of rows, initialised N(0, 1).
public final class Embedding: Module {
    public let numEmbeddings: Int, embeddingDim: Int

    public init(_ numEmbeddings: Int, _ embeddingDim: Int) throws {
        guard numEmbeddings > 0, embeddingDim > 0 else {
            throw EngineError.value("Embedding: num_embeddings and embedding_dim must be positive")
        }
        self.numEmbeddings = numEmbeddings; self.embeddingDim = embeddingDim
        super.init()
        let w = try Tensor.zeros([numEmbeddings, embeddingDim])
        try Init.normal_(w)
        try register(name: "weight", parameter: w)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.dtype == .int64 else {
            throw EngineError.type("\(shortDescription) expects int64 indices, got a \(input.dtype) tensor of shape \(describe(input.shape))")
        }
        if let bad = input.int64Array().first(where: { $0 < 0 || $0 >= Int64(numEmbeddings) }) {
            throw EngineError.index("\(shortDescription): index \(bad) is out of range (expected 0 ..< \(numEmbeddings))")
        }
        guard let w = parameter("weight") else { throw EngineError.runtime("\(shortDescription) has no weight") }
        return try Functional.embedding(input, w)
    }

    public override var extraDescription: String { "\(numEmbeddings), \(embeddingDim)" }
    public override var shortDescription: String { "Embedding(\(numEmbeddings) => \(embeddingDim))" }
}
