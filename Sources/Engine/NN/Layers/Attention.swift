/// `nn.MultiheadAttention(embed_dim, num_heads, dropout=0, bias=True, batch_first=False)` with
/// PyTorch's packed `in_proj_weight` [3E, E] (xavier_uniform), `in_proj_bias` (zeros) and `out_proj`.
/// Inputs are [L, N, E] ([N, L, E] with batch_first) or unbatched [L, E].
public final class MultiheadAttention: Module {
    public let embedDim: Int, numHeads: Int, dropout: Double, batchFirst: Bool
    public let outProj: Linear
    var headDim: Int { embedDim / numHeads }

    public init(_ embedDim: Int, _ numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false) throws {
        guard embedDim > 0, numHeads > 0, embedDim % numHeads == 0 else {
            throw EngineError.value("MultiheadAttention: embed_dim (\(embedDim)) must be positive and divisible by num_heads (\(numHeads))")
        }
        guard dropout >= 0, dropout <= 1 else { throw EngineError.value("MultiheadAttention: dropout must be in [0, 1], got \(dropout)") }
        self.embedDim = embedDim; self.numHeads = numHeads; self.dropout = dropout; self.batchFirst = batchFirst
        outProj = try Linear(embedDim, embedDim, bias: bias)
        super.init()
        let w = try Tensor.zeros([3 * embedDim, embedDim])
        try Init.xavierUniform_(w)
        try register(name: "in_proj_weight", parameter: w)
        try register(name: "in_proj_bias", parameter: bias ? try Tensor.zeros([3 * embedDim]) : nil)
        if let b = outProj.bias { try Init.zeros_(b) }
        register(name: "out_proj", child: outProj)
    }

    /// Self-attention on `input` (query = key = value), returning the attention output only.
    public override func forward(_ input: Tensor) throws -> Tensor {
        try forward(input, input, input, needWeights: false).output
    }

    /// `attn_output, attn_weights = mha(query, key, value, key_padding_mask, need_weights, attn_mask)`.
    /// `keyPaddingMask` [N, S] (bool: true = ignore that key; float: added); `attnMask` [L, S] or
    /// [N·heads, L, S] (bool: true = not allowed; float: added). Weights are averaged over heads.
    public func forward(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: Tensor? = nil,
                        needWeights: Bool = true, attnMask: Tensor? = nil,
                        averageAttnWeights: Bool = true) throws -> (output: Tensor, weights: Tensor?) {
        let batched = query.ndim == 3
        for (name, t) in [("query", query), ("key", key), ("value", value)] {
            guard t.ndim == query.ndim, (t.ndim == 3 || t.ndim == 2), t.shape[t.ndim - 1] == embedDim else {
                throw EngineError.shape("\(shortDescription) expects \(name) of shape \(batchFirst ? "[N, L" : "[L, N"), \(embedDim)] or [L, \(embedDim)], got shape \(describe(t.shape))")
            }
        }
        func seqFirst(_ t: Tensor) throws -> Tensor { batched ? (batchFirst ? try t.transpose(0, 1) : t) : try t.unsqueeze(1) }
        let q0 = try seqFirst(query), k0 = try seqFirst(key), v0 = try seqFirst(value)
        let (L, N, S) = (q0.shape[0], q0.shape[1], k0.shape[0])
        guard k0.shape[1] == N, v0.shape[1] == N, v0.shape[0] == S else {
            throw EngineError.shape("\(shortDescription): key \(describe(key.shape)) and value \(describe(value.shape)) must share the batch and source length, and match query \(describe(query.shape))")
        }
        guard let w = parameter("in_proj_weight") else { throw EngineError.runtime("\(shortDescription) has no in_proj_weight") }
        let b = parameter("in_proj_bias")
        let E = embedDim, H = numHeads, hd = headDim
        func project(_ x: Tensor, _ i: Int, _ len: Int) throws -> Tensor {
            let y = try NNFunctional.linear(x, w.narrow(0, start: i * E, length: E), b?.narrow(0, start: i * E, length: E))
            // [len, N, E] → [N·H, len, hd]
            return try y.reshape([len, N * H, hd]).transpose(0, 1)
        }
        let q = try project(q0, 0, L), k = try project(k0, 1, S), v = try project(v0, 2, S)
        var scores = try q.matmul(k.transpose(1, 2)).mul(Tensor(scalar: Float(1 / Double(hd).squareRoot())))
        if let mask = try additiveMask(attnMask: attnMask, keyPaddingMask: keyPaddingMask, n: N, l: L, s: S, batched: batched) {
            scores = try scores.add(mask)
        }
        var attn = try scores.softmax(dim: -1)
        if dropout > 0 && training { attn = try Functional.dropout(attn, p: dropout, training: true) }
        let heads = try attn.matmul(v)  // [N·H, L, hd]
        var out = try outProj(heads.transpose(0, 1).reshape([L, N, E]))
        out = batched ? (batchFirst ? try out.transpose(0, 1) : out) : try out.squeeze(1)
        guard needWeights else { return (out, nil) }
        var weights = try attn.reshape([N, H, L, S])
        weights = averageAttnWeights ? try weights.mean(dim: 1) : weights
        if !batched { weights = try weights.squeeze(0) }
        return (out, weights)
    }

    /// Both masks folded into one additive [N·H, L, S] (or broadcastable) float tensor, outside the graph.
    private func additiveMask(attnMask: Tensor?, keyPaddingMask: Tensor?, n: Int, l: Int, s: Int, batched: Bool) throws -> Tensor? {
        guard attnMask != nil || keyPaddingMask != nil else { return nil }
        let H = numHeads
        var mask = [Float](repeating: 0, count: n * H * l * s)
        func values(_ t: Tensor) -> [Float] { t.dtype == .bool ? t.boolArray().map { $0 ? -Float.infinity : 0 } : t.floatArray() }
        if let m = attnMask {
            let v = values(m)
            if m.shape == [l, s] {
                for b in 0..<(n * H) { for i in 0..<(l * s) { mask[b * l * s + i] += v[i] } }
            } else if m.shape == [n * H, l, s] {
                for i in 0..<mask.count { mask[i] += v[i] }
            } else {
                throw EngineError.shape("\(shortDescription): attn_mask must have shape \(describe([l, s])) or \(describe([n * H, l, s])), got \(describe(m.shape))")
            }
        }
        if let m = keyPaddingMask {
            let want = batched ? [n, s] : [s]
            guard m.shape == want else {
                throw EngineError.shape("\(shortDescription): key_padding_mask must have shape \(describe(want)), got \(describe(m.shape))")
            }
            let v = values(m)
            for b in 0..<n { for h in 0..<H { for i in 0..<l { for j in 0..<s { mask[((b * H + h) * l + i) * s + j] += v[b * s + j] } } } }
        }
        return try Tensor(mask, shape: [n * H, l, s])
    }

    public override var shortDescription: String { "MultiheadAttention(\(embedDim), heads=\(numHeads))" }
}

/// `nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu',
/// layer_norm_eps=1e-5, batch_first=False, norm_first=False)`:
/// post-norm x ← norm1(x + sa(x)), x ← norm2(x + ff(x)); pre-norm x ← x + sa(norm1(x)), x ← x + ff(norm2(x)).
public final class TransformerEncoderLayer: Module {
    public let selfAttn: MultiheadAttention
    public let linear1: Linear, linear2: Linear, norm1: LayerNorm, norm2: LayerNorm
    public let dropoutP: Double, normFirst: Bool

    public init(dModel: Int, nhead: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1, activation: String = "relu",
                layerNormEps: Double = 1e-5, batchFirst: Bool = false, normFirst: Bool = false) throws {
        guard activation == "relu" else { throw EngineError.value("TransformerEncoderLayer: activation '\(activation)' is not supported (use 'relu')") }
        selfAttn = try MultiheadAttention(dModel, nhead, dropout: dropout, batchFirst: batchFirst)
        linear1 = try Linear(dModel, dimFeedforward)
        linear2 = try Linear(dimFeedforward, dModel)
        norm1 = try LayerNorm(dModel, eps: layerNormEps)
        norm2 = try LayerNorm(dModel, eps: layerNormEps)
        dropoutP = dropout; self.normFirst = normFirst
        super.init()
        register(name: "self_attn", child: selfAttn)
        register(name: "linear1", child: linear1)
        register(name: "dropout", child: try Dropout(p: dropout))
        register(name: "linear2", child: linear2)
        register(name: "norm1", child: norm1)
        register(name: "norm2", child: norm2)
        register(name: "dropout1", child: try Dropout(p: dropout))
        register(name: "dropout2", child: try Dropout(p: dropout))
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try forward(input, srcMask: nil, srcKeyPaddingMask: nil) }

    /// `layer(src, src_mask, src_key_padding_mask)`.
    public func forward(_ src: Tensor, srcMask: Tensor?, srcKeyPaddingMask: Tensor?) throws -> Tensor {
        func drop(_ t: Tensor) throws -> Tensor { try Functional.dropout(t, p: dropoutP, training: training) }
        func sa(_ x: Tensor) throws -> Tensor {
            try drop(selfAttn.forward(x, x, x, keyPaddingMask: srcKeyPaddingMask, needWeights: false, attnMask: srcMask).output)
        }
        func ff(_ x: Tensor) throws -> Tensor {
            try drop(linear2(drop(linear1.forward(x, activation: .relu))))
        }
        if normFirst {
            let x = try src.add(sa(norm1(src)))
            return try x.add(ff(norm2(x)))
        }
        let x = try norm1(src.add(sa(src)))
        return try norm2(x.add(ff(x)))
    }
}
