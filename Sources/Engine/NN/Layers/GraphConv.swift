/// `nn.GraphConv(in_features, out_features, bias=True)`: a graph convolution (Kipf & Welling's GCN
/// layer) H′ = Â H Wᵀ + b, where Â is a normalised adjacency (see `NNFunctional.normalizeAdjacency`).
/// Weight [out, in] is xavier_uniform, bias zeros (PyTorch Geometric's GCNConv defaults).
public final class GraphConv: Module {
    public let inFeatures: Int, outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        guard inFeatures > 0, outFeatures > 0 else {
            throw EngineError.value("GraphConv: in_features and out_features must be positive, got \(inFeatures) and \(outFeatures)")
        }
        self.inFeatures = inFeatures; self.outFeatures = outFeatures
        super.init()
        let w = try Tensor.zeros([outFeatures, inFeatures])
        try Init.xavierUniform_(w)
        try register(name: "weight", parameter: w)
        try register(name: "bias", parameter: bias ? try Tensor.zeros([outFeatures]) : nil)
    }

    /// `layer(x, adjacency)`: x [nodes, in], adjacency [nodes, nodes] (already normalised).
    public func forward(_ x: Tensor, adjacency: Tensor) throws -> Tensor {
        guard x.ndim == 2, x.shape[1] == inFeatures else {
            throw EngineError.shape("\(shortDescription) expects node features of shape [nodes, \(inFeatures)], got shape \(describe(x.shape))")
        }
        guard adjacency.shape == [x.shape[0], x.shape[0]] else {
            throw EngineError.shape("\(shortDescription) expects an adjacency of shape \(describe([x.shape[0], x.shape[0]])) for \(x.shape[0]) nodes, got shape \(describe(adjacency.shape))")
        }
        guard let w = parameter("weight") else { throw EngineError.runtime("\(shortDescription) has no weight") }
        // Â (X Wᵀ) + b: transform first, the cheaper order when out ≤ in.
        let h = try NNFunctional.linear(x, w, nil)
        let propagated = try adjacency.to(.float32).matmul(h)
        guard let b = parameter("bias") else { return propagated }
        return try propagated.add(b)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        throw EngineError(.type, "\(shortDescription) needs the graph too: call it as layer(x, adjacency)")
    }

    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(parameter("bias") == nil ? "False" : "True")"
    }
    public override var shortDescription: String { "GraphConv(\(inFeatures) => \(outFeatures))" }
}

extension NNFunctional {
    /// `normalize_adjacency(A)` = D^−½ (A + I) D^−½ with D the degrees of A + I (the GCN propagation
    /// matrix). Not recorded: the graph is data.
    public static func normalizeAdjacency(_ adjacency: Tensor) throws -> Tensor {
        guard adjacency.ndim == 2, adjacency.shape[0] == adjacency.shape[1] else {
            throw EngineError.shape("normalize_adjacency: expected a square [nodes, nodes] matrix, got shape \(describe(adjacency.shape))")
        }
        let n = adjacency.shape[0]
        var a = adjacency.floatArray()
        for i in 0..<n { a[i * n + i] += 1 }
        var dinv = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let d = a[(i * n)..<(i * n + n)].reduce(0, +)
            dinv[i] = d > 0 ? 1 / d.squareRoot() : 0
        }
        for i in 0..<n { for j in 0..<n { a[i * n + j] *= dinv[i] * dinv[j] } }
        return try Tensor(a, shape: [n, n])
    }
}
