/// `gather` along a dimension and the sorting ops built on it (`sort`, `argsort`, `topk`).
extension Tensor {
    /// `gather(dim, index)`: `out[i][j][k] = self[index[i][j][k]][j][k]` for dim 0 (and so on), like
    /// `torch.gather`. `index` is int64 with the same number of dimensions; the gradient scatters back.
    public func gather(dim: Int, index: Tensor) throws -> Tensor {
        guard index.dtype == .int64 else { throw EngineError.type("gather: index must be an int64 tensor, got \(index.dtype)") }
        guard index.ndim == ndim else {
            throw EngineError.shape("gather: index of shape \(describe(index.shape)) must have as many dimensions as the input of shape \(describe(shape))")
        }
        let d = try Shapes.dim(dim, ndim, op: "gather")
        if ndim == 0 {
            guard try index.itemInt() == 0 else { throw EngineError.index("gather: index out of range for a 0-d tensor") }
            return try clone()
        }
        for k in 0..<ndim where k != d && index.shape[k] > shape[k] {
            throw EngineError.shape("gather: index of shape \(describe(index.shape)) is larger than the input of shape \(describe(shape)) outside dimension \(d)")
        }
        let ix = index.int64Array(), size = shape[d]
        for v in ix where v < -Int64(size) || v >= Int64(size) {
            throw EngineError.index("gather: index \(v) is out of bounds for dimension \(d) with size \(size)")
        }
        // Storage offset in `self`, and row-major position in the input, of each index position.
        let outStrides = Shapes.contiguousStrides(index.shape), inStrides = Shapes.contiguousStrides(shape)
        var sources = [Int](repeating: 0, count: ix.count), positions = sources
        for p in 0..<ix.count {
            var rest = p, o = offset, pos = 0
            for k in 0..<ndim {
                let i = rest / outStrides[k]; rest %= outStrides[k]
                let j = k == d ? Int(ix[p] < 0 ? ix[p] + Int64(size) : ix[p]) : i
                o += j * strides[k]; pos += j * inStrides[k]
            }
            sources[p] = o; positions[p] = pos
        }
        let out = try Tensor(zeros: index.shape, dtype: dtype, op: "gather")
        switch dtype {
        case .float32: let s = storage.floats(), o = out.storage.floats(); for (p, q) in sources.enumerated() { o[p] = s[q] }
        case .int64: let s = storage.ints(), o = out.storage.ints(); for (p, q) in sources.enumerated() { o[p] = s[q] }
        case .bool: let s = storage.bools(), o = out.storage.bools(); for (p, q) in sources.enumerated() { o[p] = s[q] }
        }
        let inputShape = shape
        return Tensor.record(out, "GatherBackward0", [self]) { g in
            let grad = try Tensor.zeros(inputShape)
            let gp = grad.storage.floats(), gv = g.floatArray()
            for (p, pos) in positions.enumerated() { gp[pos] += gv[p] }
            return [grad]
        }
    }

    /// `sort(dim, descending)`: sorted values (differentiable, through `gather`) and their int64
    /// indices. The sort is stable, so equal values keep their order.
    public func sort(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        if ndim == 0 { return (self, Tensor(scalar: Int64(0))) }
        let d = try Shapes.dim(dim, ndim, op: "sort")
        let moved = try contiguousCopy().transposedCopy(d)
        let n = shape[d], rows = n == 0 ? 0 : count / n
        let values = moved.doubleArray()
        var order = [Int64](repeating: 0, count: count)
        for r in 0..<rows {
            let base = r * n
            let idx = (0..<n).sorted { a, b in
                let x = values[base + a], y = values[base + b]
                // NaN sorts last (ascending) like PyTorch; ties keep their order.
                if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN ? !descending : (x.isNaN && !y.isNaN ? descending : a < b) }
                if x == y { return a < b }
                return descending ? x > y : x < y
            }
            for (k, i) in idx.enumerated() { order[base + k] = Int64(i) }
        }
        var movedShape = shape; movedShape.remove(at: d); movedShape.append(n)
        var back = Array(0..<(ndim - 1)); back.insert(ndim - 1, at: d)
        let indices = try Tensor(order, shape: movedShape).permute(back).contiguousCopy()
        return (try gather(dim: d, index: indices), indices)
    }

    /// `argsort(dim, descending)`: the indices `sort` would return.
    public func argsort(dim: Int = -1, descending: Bool = false) throws -> Tensor {
        try withNoGrad { try sort(dim: dim, descending: descending).indices }
    }

    /// `topk(k, dim, largest)`: the k largest (or smallest) values along `dim`, sorted, and their indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        let d = try Shapes.dim(dim, ndim, op: "topk")
        let size = ndim == 0 ? 1 : shape[d]
        guard k >= 0, k <= size else { throw EngineError.index("topk: k (\(k)) is out of range for dimension \(d) of size \(size)") }
        let order = try argsort(dim: d, descending: largest)
        let indices = ndim == 0 ? order : try order.narrow(d, start: 0, length: k).contiguousCopy()
        return (try gather(dim: d, index: indices), indices)
    }

    /// A contiguous copy with dimension `d` moved last (not recorded).
    private func transposedCopy(_ d: Int) throws -> Tensor {
        var order = Array(0..<ndim); order.remove(at: d); order.append(d)
        return try withNoGrad { try detach().permute(order).contiguousCopy() }
    }
}

extension Tensor {
    /// `nonzero(as_tuple=True)`: one int64 tensor of positions per dimension where the element is
    /// nonzero (True), in row-major order.
    public func nonzeroIndices() throws -> [Tensor] {
        if ndim == 0 { return [try Tensor(try item() != 0 ? [0] : [] as [Int64], shape: [try item() != 0 ? 1 : 0])] }
        return try nonzeroColumns()
    }

    /// `nonzero()`: the positions of nonzero elements as an int64 tensor of shape [count, ndim].
    public func nonzero() throws -> Tensor {
        let columns = try nonzeroIndices()
        let n = columns.first?.count ?? 0
        if ndim == 0 { return try Tensor([Int64](repeating: 0, count: 0), shape: [n, 0]) }
        return try Tensor.stack(columns, dim: 1).reshape([n, ndim])
    }
}
