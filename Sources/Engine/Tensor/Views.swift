/// Shape-changing views. Each shares storage when it can and records a node whose backward undoes it.
extension Tensor {
    /// Resolves one `-1` in a requested shape against `count`.
    func inferShape(_ requested: [Int], op: String) throws -> [Int] {
        var shape = requested
        let unknown = requested.indices.filter { requested[$0] == -1 }
        guard unknown.count <= 1 else { throw EngineError.value("\(op): only one dimension can be -1, got \(describe(requested))") }
        for d in requested where d < -1 { throw EngineError.value("\(op): invalid dimension \(d) in \(describe(requested))") }
        let known = try Shapes.count(requested.filter { $0 != -1 }, op: op)
        if let u = unknown.first {
            guard known != 0, count % known == 0 else {
                throw EngineError.shape("\(op): shape \(describe(requested)) is invalid for input of shape \(describe(self.shape)) (\(count) elements)")
            }
            shape[u] = count / known
        } else if known != count {
            throw EngineError.shape("\(op): shape \(describe(requested)) is invalid for input of shape \(describe(self.shape)) (\(count) elements)")
        }
        return shape
    }

    /// `.reshape(shape)`: a view when the layout allows it, else a copy. One dimension may be -1.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        let target = try inferShape(newShape, op: "reshape")
        if target == shape { return self }
        let base = isContiguous ? self : try contiguousCopy()
        let out = base.alias(shape: target, strides: Shapes.contiguousStrides(target), offset: base.offset)
        let inputShape = shape
        return Tensor.record(out, isContiguous ? "ViewBackward0" : "ReshapeAliasBackward0", [self]) { g in
            [try g.reshape(inputShape)]
        }
    }

    /// `.view(shape)`: like reshape but never copies; non-contiguous input is an error, as in PyTorch.
    public func view(_ newShape: [Int]) throws -> Tensor {
        guard isContiguous else {
            throw EngineError.runtime("view: the tensor of shape \(describe(shape)) is not contiguous (e.g. after transpose); use .reshape(...) or .contiguous().view(...)")
        }
        return try reshape(newShape)
    }

    /// `.flatten(start_dim, end_dim)`.
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if ndim == 0 { return try reshape([1]) }
        let s = try Shapes.dim(startDim, ndim, op: "flatten"), e = try Shapes.dim(endDim, ndim, op: "flatten")
        guard s <= e else { throw EngineError.value("flatten: start_dim \(startDim) comes after end_dim \(endDim)") }
        let middle = shape[s...e].reduce(1, *)
        return try reshape(Array(shape[..<s]) + [middle] + Array(shape[(e + 1)...]))
    }

    /// `.permute(dims)`: reorders dimensions (a view).
    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == ndim else {
            throw EngineError.shape("permute: got \(dims.count) dims \(describe(dims)) for a tensor of shape \(describe(shape))")
        }
        let normal = try dims.map { try Shapes.dim($0, ndim, op: "permute") }
        guard Set(normal).count == ndim else { throw EngineError.value("permute: repeated dimension in \(describe(dims))") }
        let out = alias(shape: normal.map { shape[$0] }, strides: normal.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: ndim)
        for (i, d) in normal.enumerated() { inverse[d] = i }
        return Tensor.record(out, "PermuteBackward0", [self]) { g in [try g.permute(inverse)] }
    }

    /// `.transpose(dim0, dim1)` (a view).
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        if ndim == 0 { return self }
        let a = try Shapes.dim(dim0, ndim, op: "transpose"), b = try Shapes.dim(dim1, ndim, op: "transpose")
        var order = Array(0..<ndim)
        order.swapAt(a, b)
        let out = alias(shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
        return Tensor.record(out, "TransposeBackward0", [self]) { g in [try g.transpose(a, b)] }
    }

    /// `.T`: reverses the dimensions (the matrix transpose for 2-D).
    public func T() throws -> Tensor {
        ndim < 2 ? self : try permute(Array((0..<ndim).reversed()))
    }

    /// `.squeeze()` drops every size-1 dimension; `.squeeze(dim)` only that one if it has size 1.
    public func squeeze(_ dim: Int? = nil) throws -> Tensor {
        var keep = Array(0..<ndim)
        if let dim {
            let d = try Shapes.dim(dim, ndim, op: "squeeze")
            if ndim > 0 && shape[d] == 1 { keep.remove(at: d) }
        } else {
            keep = keep.filter { shape[$0] != 1 }
        }
        if keep.count == ndim { return self }
        let out = alias(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset)
        let inputShape = shape
        return Tensor.record(out, "SqueezeBackward0", [self]) { g in [try g.reshape(inputShape)] }
    }

    /// `.unsqueeze(dim)`: inserts a size-1 dimension (dim may be -ndim-1 … ndim).
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Shapes.dim(dim, ndim + 1, op: "unsqueeze")
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: d)
        newStrides.insert(d < ndim ? strides[d] * shape[d] : 1, at: d)
        let out = alias(shape: newShape, strides: newStrides, offset: offset)
        let inputShape = shape
        return Tensor.record(out, "UnsqueezeBackward0", [self]) { g in [try g.reshape(inputShape)] }
    }

    /// `.expand(shape)`: broadcasts size-1 dimensions without copying (-1 keeps a size).
    public func expand(_ target: [Int]) throws -> Tensor {
        if target == shape { return self }
        let out = try broadcastView(to: target, op: "expand")
        let inputShape = shape
        return Tensor.record(out, "ExpandBackward0", [self]) { g in [try g.sumTo(inputShape)] }
    }

    /// A stride-0 view broadcasting this tensor to `target` (not recorded).
    func broadcastView(to target: [Int], op: String) throws -> Tensor {
        let lead = target.count - ndim
        guard lead >= 0 else {
            throw EngineError.shape("\(op): cannot expand shape \(describe(shape)) to \(describe(target))")
        }
        var newShape = target, newStrides = [Int](repeating: 0, count: target.count)
        for i in 0..<ndim {
            let want = target[lead + i]
            if want == -1 || want == shape[i] {
                newShape[lead + i] = shape[i]; newStrides[lead + i] = strides[i]
            } else if shape[i] == 1 && want >= 0 {
                newStrides[lead + i] = 0
            } else {
                throw EngineError.shape("\(op): cannot expand shape \(describe(shape)) to \(describe(target))")
            }
        }
        for i in 0..<lead where target[i] < 0 {
            throw EngineError.shape("\(op): cannot expand shape \(describe(shape)) to \(describe(target))")
        }
        return alias(shape: newShape, strides: newStrides, offset: offset)
    }

    /// Sums a broadcast gradient back down to `target` (the inverse of broadcasting).
    func sumTo(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let lead = ndim - target.count
        guard lead >= 0 else { throw EngineError.shape("sum_to: cannot reduce \(describe(shape)) to \(describe(target))") }
        var dims: [Int] = Array(0..<lead)
        for i in 0..<target.count where target[i] == 1 && shape[lead + i] != 1 { dims.append(lead + i) }
        var r = dims.isEmpty ? self : try sum(dims: dims, keepdim: true)
        if lead > 0 || r.shape != target { r = try r.reshape(target) }
        return r
    }
}
