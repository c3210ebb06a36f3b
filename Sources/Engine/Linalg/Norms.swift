/// Linear algebra (`linalg`): norms here, LAPACK-backed decompositions and solvers in the other files.
public enum Linalg {
    /// `linalg.vector_norm`: the `ord`-norm of the flattened tensor, or along `dims`. `ord` may be any
    /// positive number, `.infinity` (max |x|) or 0 (count of nonzeros). Differentiable; at x = 0 the
    /// 2-norm's gradient is 0, as in PyTorch.
    public static func vectorNorm(_ x: Tensor, ord: Double = 2, dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard x.dtype == .float32 else {
            throw EngineError.type("norm: expected a float32 tensor, got \(x.dtype); use .float() first")
        }
        let a = try x.abs()
        func total(_ t: Tensor) throws -> Tensor {
            guard let dims else { return keepdim ? try t.sum(dims: Array(0..<x.ndim), keepdim: true) : try t.sum() }
            return try t.sum(dims: dims, keepdim: keepdim)
        }
        if ord == .infinity || ord == -.infinity {
            guard let dims else {
                let r = ord > 0 ? try a.max() : try a.min()
                return keepdim ? try r.reshape([Int](repeating: 1, count: x.ndim)) : r
            }
            guard dims.count == 1 else { throw EngineError.value("norm: ord=inf over several dims is not supported; flatten them first") }
            return ord > 0 ? try a.max(dim: dims[0], keepdim: keepdim).values : try a.min(dim: dims[0], keepdim: keepdim).values
        }
        if ord == 0 { return try total(a.ne(Tensor(scalar: Float(0))).to(.float32)) }
        guard ord > 0, ord.isFinite else { throw EngineError.value("norm: ord must be positive, inf or 0, got \(ord)") }
        if ord == 1 { return try total(a) }
        if ord == 2 {
            let s = try total(x.mul(x))
            return try safeSqrt(s)
        }
        return try total(a.pow(ord)).pow(1 / ord)
    }

    /// sqrt with a zero gradient where the input is 0 (instead of inf·0 = NaN).
    static func safeSqrt(_ s: Tensor) throws -> Tensor {
        let out = try withNoGrad { try s.sqrt() }
        guard Tensor.needsGrad(s) else { return out }
        let y = out.detach()
        return Tensor.record(out, "LinalgVectorNormBackward0", [s], saving: [y]) { g in
            let inv = try Kernels.unary(y, op: "norm", as: Float.self) { $0 > 0 ? 0.5 / $0 : 0 }
            return [try g.mul(inv)]
        }
    }

    /// `linalg.norm` for matrices: the Frobenius norm over the last two dims (or `dims`).
    public static func frobeniusNorm(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard x.ndim >= 2 || dims != nil else {
            throw EngineError.shape("norm: the Frobenius norm needs a matrix, got shape \(describe(x.shape))")
        }
        return try vectorNorm(x, ord: 2, dims: dims ?? [-2, -1], keepdim: keepdim)
    }
}
