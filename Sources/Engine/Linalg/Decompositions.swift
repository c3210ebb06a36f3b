/// `linalg.svd`, `eigh`, `inv`, `solve` and matrix norms on 2-D float32 tensors. `inv`, `solve` and the
/// norms are differentiable; `svd` and `eigh` return tensors outside the graph.
extension Linalg {
    /// Checks that `a` is a float32 matrix (square when asked).
    static func checkMatrix(_ a: Tensor, _ op: String, square: Bool) throws {
        guard a.dtype == .float32 else { throw EngineError.type("\(op): expected a float32 matrix, got \(a.dtype); use .float() first") }
        guard a.ndim == 2 else { throw EngineError.shape("\(op): expected a 2-D matrix, got shape \(describe(a.shape))") }
        guard !square || a.shape[0] == a.shape[1] else {
            throw EngineError.shape("\(op): expected a square matrix, got shape \(describe(a.shape))")
        }
    }

    /// `svd(a, full_matrices)`: `a = u @ diag(s) @ vt`, singular values descending.
    public static func svd(_ a: Tensor, fullMatrices: Bool = true) throws -> (u: Tensor, s: Tensor, vt: Tensor) {
        try checkMatrix(a, "svd", square: false)
        return try LAPACK.svd(a, full: fullMatrices)
    }

    /// `eigh(a)`: eigenvalues ascending and the matching orthonormal eigenvectors as columns, of a
    /// symmetric matrix (only the lower triangle is read, or the upper with `upper`).
    public static func eigh(_ a: Tensor, upper: Bool = false) throws -> (values: Tensor, vectors: Tensor) {
        try checkMatrix(a, "eigh", square: true)
        return try LAPACK.eigh(a, upper: upper)
    }

    /// `inv(a)`; singular matrices are a RuntimeError. Gradient: -A⁻ᵀ g A⁻ᵀ.
    public static func inv(_ a: Tensor) throws -> Tensor {
        try checkMatrix(a, "inv", square: true)
        let out = try LAPACK.inverse(a)
        let y = out.detach()
        return Tensor.record(out, "LinalgInvExBackward0", [a], saving: [y]) { g in
            let yt = try y.transpose(0, 1)
            return [try yt.matmul(g).matmul(yt).neg()]
        }
    }

    /// `solve(a, b)`: x with a @ x = b, for b a vector [n] or a matrix [n, k]. Gradients:
    /// g_b = solve(aᵀ, g), g_a = -g_b xᵀ.
    public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try checkMatrix(a, "solve", square: true)
        guard b.dtype == .float32 else { throw EngineError.type("solve: expected a float32 right-hand side, got \(b.dtype); use .float() first") }
        guard (b.ndim == 1 || b.ndim == 2), b.shape[0] == a.shape[0] else {
            throw EngineError.shape("solve: the right-hand side of shape \(describe(b.shape)) does not match the matrix of shape \(describe(a.shape)) (expected [\(a.shape[0])] or [\(a.shape[0]), k])")
        }
        let vector = b.ndim == 1
        let b2 = vector ? try withNoGrad { try b.detach().reshape([b.shape[0], 1]) } : b
        var out = try LAPACK.solve(a, b2)
        if vector { out = try out.reshape([a.shape[0]]) }
        let x = out.detach(), ad = a.detach()
        return Tensor.record(out, "LinalgSolveExBackward0", [a, b], saving: [ad, x]) { g in
            let gb = try solve(ad.transpose(0, 1).contiguous(), g)
            let ga = vector ? try gb.outer(x).neg() : try gb.matmul(x.transpose(0, 1)).neg()
            return [a.requiresGrad ? ga : nil, b.requiresGrad ? gb : nil]
        }
    }

    /// Matrix norms: "fro", "nuc", 1/-1 (max/min column abs-sum), inf/-inf (rows), 2/-2 (largest/smallest
    /// singular value). Differentiable (2/-2/nuc through the SVD's singular vectors).
    public static func matrixNorm(_ a: Tensor, ord: String) throws -> Tensor {
        try checkMatrix(a, "norm", square: false)
        switch ord {
        case "fro": return try frobeniusNorm(a)
        case "1", "-1": let s = try a.abs().sum(dim: 0); return ord == "1" ? try s.max() : try s.min()
        case "inf", "-inf": let s = try a.abs().sum(dim: 1); return ord == "inf" ? try s.max() : try s.min()
        case "2", "-2", "nuc":
            let (u, s, vt) = try svd(a.detach(), fullMatrices: false)
            guard s.count > 0 else { return Tensor(scalar: Float(0)) }
            let k = s.count
            let value: Float, grad: Tensor
            switch ord {
            case "nuc":
                value = Float(try s.sum().item())
                grad = try u.matmul(vt)
            default:
                let i = ord == "2" ? 0 : k - 1
                value = Float(try s.index([.int(i)]).item())
                grad = try u.index([.all, .int(i)]).outer(vt.index([.int(i)]))
            }
            return Tensor.record(Tensor(scalar: value), "LinalgMatrixNormBackward0", [a], saving: []) { g in [try grad.mul(g)] }
        default:
            throw EngineError.value("norm: unknown matrix norm ord '\(ord)'; use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf")
        }
    }
}
