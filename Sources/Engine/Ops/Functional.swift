/// The functional ops `nn` builds on: `linear`, `embedding`, `dropout`, `pad`.
public enum Functional {
    /// `linear(x, weight, bias)`: x @ weightᵀ + bias, weight is [out_features, in_features].
    public static func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil) throws -> Tensor {
        guard weight.ndim == 2 else {
            throw EngineError.shape("linear: weight must be 2-D [out_features, in_features], got \(describe(weight.shape))")
        }
        guard x.ndim >= 1, x.shape[x.ndim - 1] == weight.shape[1] else {
            throw EngineError.shape("linear: input of shape \(describe(x.shape)) does not match weight of shape \(describe(weight.shape)) (expected last input dimension \(weight.shape[1]))")
        }
        let y = try x.matmul(weight.transpose(0, 1))
        guard let bias else { return y }
        guard bias.shape == [weight.shape[0]] else {
            throw EngineError.shape("linear: bias of shape \(describe(bias.shape)) does not match weight of shape \(describe(weight.shape))")
        }
        return try y.add(bias)
    }

    /// `embedding(indices, weight)`: rows of `weight` picked by int64 `indices`.
    public static func embedding(_ indices: Tensor, _ weight: Tensor) throws -> Tensor {
        guard indices.dtype == .int64 else {
            throw EngineError.type("embedding: indices must be an int64 tensor, got \(indices.dtype)")
        }
        guard weight.ndim == 2 else {
            throw EngineError.shape("embedding: weight must be 2-D [num_embeddings, embedding_dim], got \(describe(weight.shape))")
        }
        return try weight.index([.tensor(indices)])
    }

    /// `dropout(x, p, training)`: zeroes elements with probability p and scales the rest by 1/(1-p).
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true,
                               generator: RandomGenerator = .shared) throws -> Tensor {
        guard p >= 0, p <= 1 else { throw EngineError.value("dropout: probability has to be between 0 and 1, but got \(p)") }
        guard training, p > 0 else { return x }
        let mask = try Tensor(zeros: x.shape, op: "dropout")
        let m = mask.storage.floats(), keep = Float(1 / (1 - p)), threshold = Float(p)
        for i in 0..<mask.count { m[i] = p < 1 && generator.nextFloat() >= threshold ? keep : 0 }
        return try x.mul(mask)
    }

    /// `pad(x, pad, value)`: constant padding; `pad` lists (left, right) pairs from the last dim backwards.
    public static func pad(_ x: Tensor, _ pad: [Int], value: Double = 0) throws -> Tensor {
        guard pad.count % 2 == 0, pad.count / 2 <= x.ndim else {
            throw EngineError.value("pad: padding length must be even and at most 2×ndim (\(2 * x.ndim)), got \(pad.count)")
        }
        guard pad.allSatisfy({ $0 >= 0 }) else { throw EngineError.value("pad: negative padding \(pad) is not supported") }
        var outShape = x.shape
        var region = [TensorIndex](repeating: .all, count: x.ndim)
        for i in 0..<(pad.count / 2) {
            let d = x.ndim - 1 - i
            outShape[d] += pad[2 * i] + pad[2 * i + 1]
            region[d] = .slice(start: pad[2 * i], end: pad[2 * i] + x.shape[d], step: 1)
        }
        let out = try Tensor.full(outShape, value, dtype: x.dtype)
        try withNoGrad { try out.index(region).copyRaw(x) }
        return Tensor.record(out, "ConstantPadNdBackward0", [x]) { g in [try g.index(region)] }
    }
}
