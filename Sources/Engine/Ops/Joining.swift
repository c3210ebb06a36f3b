/// Joining and selecting: `cat`, `stack`, `where`.
extension Tensor {
    /// `torch.cat(tensors, dim)`: all shapes equal except along `dim`.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw EngineError.value("cat: expected a non-empty list of tensors") }
        let d = try Shapes.dim(dim, first.ndim, op: "cat")
        guard first.ndim > 0 else { throw EngineError.shape("cat: zero-dimensional tensors cannot be concatenated") }
        var dtype = first.dtype, total = 0
        for t in tensors {
            guard t.ndim == first.ndim, zip(t.shape, first.shape).enumerated().allSatisfy({ $0.offset == d || $0.element.0 == $0.element.1 }) else {
                throw EngineError.shape("cat: shapes \(describe(first.shape)) and \(describe(t.shape)) differ outside dimension \(d)")
            }
            dtype = DType.promote(dtype, t.dtype)
            total += t.shape[d]
        }
        var outShape = first.shape; outShape[d] = total
        let out = try Tensor(zeros: outShape, dtype: dtype, op: "cat")
        var start = 0
        for t in tensors {
            var idx = [TensorIndex](repeating: .all, count: d)
            idx.append(.slice(start: start, end: start + t.shape[d], step: 1))
            let region = try withNoGrad { try out.index(idx) }
            try region.copyRaw(t)
            start += t.shape[d]
        }
        let sizes = tensors.map { $0.shape[d] }
        return Tensor.record(out, "CatBackward0", tensors) { g in
            var s = 0
            return try sizes.map { n in
                defer { s += n }
                return try g.narrow(d, start: s, length: n)
            }
        }
    }

    /// `torch.stack(tensors, dim)`: a new dimension; all shapes must be equal.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw EngineError.value("stack: expected a non-empty list of tensors") }
        for t in tensors where t.shape != first.shape {
            throw EngineError.shape("stack: expects each tensor to be equal size, but got \(describe(first.shape)) and \(describe(t.shape))")
        }
        let d = try Shapes.dim(dim, first.ndim + 1, op: "stack")
        return try cat(tensors.map { try $0.unsqueeze(d) }, dim: d)
    }

    /// `torch.where(condition, a, b)`: elements of `a` where the condition holds, else `b` (broadcast).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try Shapes.broadcast(Shapes.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let c = try condition.broadcastView(to: shape, op: "where").boolArray()
        let dtype = DType.promote(a.dtype, b.dtype)
        let ea = try a.broadcastView(to: shape, op: "where"), eb = try b.broadcastView(to: shape, op: "where")
        let out: Tensor
        if dtype == .float32 {
            let va = ea.floatArray(), vb = eb.floatArray()
            out = try Tensor(zeros: shape, op: "where")
            let o = out.storage.floats()
            for i in 0..<c.count { o[i] = c[i] ? va[i] : vb[i] }
        } else {
            let va = ea.int64Array(), vb = eb.int64Array()
            out = try Tensor(zeros: shape, dtype: .int64, op: "where")
            let o = out.storage.ints()
            for i in 0..<c.count { o[i] = c[i] ? va[i] : vb[i] }
            if dtype == .bool { return try out.to(.bool) }
        }
        let mask = try condition.to(.float32)
        return Tensor.record(out, "WhereBackward0", [a, b], saving: [condition]) { g in
            [a.requiresGrad ? try g.mul(mask).sumTo(a.shape) : nil,
             b.requiresGrad ? try g.mul(Tensor(scalar: Float(1)).sub(mask)).sumTo(b.shape) : nil]
        }
    }
}
