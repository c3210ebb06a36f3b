import Engine

/// Matrix helpers notebooks reach for: `diag trace tril triu cumsum index_select` (functions and
/// methods). Each is composed from differentiable engine ops, so gradients flow through them.
extension TensorBindings {
    static func installMatrixOps(_ table: BindingTable) {
        both(table, "diag", "diagonal=0", "For a vector: the square matrix with it on the diagonal. For a matrix: its diagonal as a vector. Only diagonal=0 is supported.") { t, a in
            try a.check(max: 2, keywords: ["input", "diagonal"])
            guard try a.int(1, "diagonal", default: 0) == 0 else { throw ScriptError(.valueError, "diag(): only diagonal=0 is supported") }
            return wrap(try diag(t))
        }
        both(table, "trace", "", "The sum of the diagonal of a matrix.") { t, a in
            try a.check(max: 1)
            guard t.ndim == 2 else { throw ScriptError(.shapeError, "trace(): expected a 2-D matrix, got shape \(t.shape)") }
            return wrap(try diag(t).sum())
        }
        for (name, lower) in [("tril", true), ("triu", false)] {
            both(table, name, "diagonal=0",
                 lower ? "A copy with the elements above the diagonal (shifted by diagonal) set to 0."
                       : "A copy with the elements below the diagonal (shifted by diagonal) set to 0 (e.g. a causal mask: triu(ones(n, n), diagonal=1).bool()).") { t, a in
                try a.check(max: 2, keywords: ["input", "diagonal"])
                guard t.ndim >= 2 else { throw ScriptError(.shapeError, "\(name)(): expected at least 2 dimensions, got shape \(t.shape)") }
                let k = try a.int(1, "diagonal", default: 0)
                let (rows, cols) = (t.shape[t.ndim - 2], t.shape[t.ndim - 1])
                var keep = [Bool](repeating: false, count: rows * cols)
                for i in 0..<rows { for j in 0..<cols { keep[i * cols + j] = lower ? j - i <= k : j - i >= k } }
                let mask = try Tensor(keep, shape: [rows, cols])
                return wrap(try Tensor.where(mask, t, Tensor.zeros([], dtype: t.dtype)))
            }
        }
        both(table, "cumsum", "dim", "Running sums along dim: out[i] = x[0] + … + x[i].") { t, a in
            try a.check(max: 2, keywords: ["input", "dim"])
            guard t.ndim > 0 else { return wrap(t) }
            let d = try normalized(try a.int(1, "dim"), t.ndim), n = t.shape[d]
            // x (dim moved last) @ U with U[j][i] = 1 for j <= i; O(n²) but differentiable and small here.
            var upper = [Float](repeating: 0, count: n * n)
            for j in 0..<n { for i in j..<n { upper[j * n + i] = 1 } }
            let moved = try t.to(.float32).transpose(d, t.ndim - 1)
            let r = try moved.matmul(Tensor(upper, shape: [n, n])).transpose(d, t.ndim - 1)
            return wrap(t.dtype == .float32 ? r : try r.to(.int64))
        }
        both(table, "index_select", "dim, index", "The entries of input at the int64 positions in index along dim.") { t, a in
            try a.check(max: 3, keywords: ["input", "dim", "index"])
            let d = try normalized(try a.int(1, "dim"), t.ndim)
            let index = try tensorArg(a, 2, "index")
            guard index.dtype == .int64, index.ndim <= 1 else { throw ScriptError(.indexError, "index_select(): index must be a 1-D int64 tensor, got \(index.dtype) of shape \(index.shape)") }
            return wrap(try t.index([TensorIndex](repeating: .all, count: d) + [.tensor(try index.reshape([-1]))]))
        }
    }

    /// diag of a vector (a matrix) or of a matrix (a vector), differentiable.
    static func diag(_ t: Tensor) throws -> Tensor {
        switch t.ndim {
        case 1: return try Tensor.eye(t.shape[0], dtype: t.dtype).mul(t.unsqueeze(0))
        case 2:
            let k = Swift.min(t.shape[0], t.shape[1])
            let idx = try Tensor.arange(0, Double(k))
            return try t.index([.tensor(idx), .tensor(idx)])
        default: throw ScriptError(.shapeError, "diag(): expected a 1-D or 2-D tensor, got shape \(t.shape)")
        }
    }
}
