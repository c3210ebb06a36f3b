/// One component of a subscript, as Python writes it: `x[1, 2:5:2, None, ..., idx]`.
public enum TensorIndex {
    case int(Int)
    /// `start:end:step`, each optional; step must be positive (as in PyTorch).
    case slice(start: Int?, end: Int?, step: Int?)
    /// `None`: inserts a size-1 dimension.
    case newAxis
    /// `...`: as many full slices as needed.
    case ellipsis
    /// An int64 index tensor or a bool mask.
    case tensor(Tensor)

    public static let all = TensorIndex.slice(start: nil, end: nil, step: nil)
}

/// The result of resolving basic indices: a view plus where the advanced (tensor) indices apply.
private struct ResolvedIndex {
    var shape: [Int], strides: [Int], offset: Int
    /// (dimension in the view, int64 index tensor) for each advanced index, in order.
    var advanced: [(dim: Int, index: Tensor)] = []
}

extension Tensor {
    /// Basic indexing as a view; tensor indices are kept aside for gathering.
    private func resolve(_ indices: [TensorIndex], op: String) throws -> ResolvedIndex {
        // Expand bool masks into one int64 index per masked dimension and count consumed dims.
        var items: [TensorIndex] = []
        for i in indices {
            if case .tensor(let t) = i, t.dtype == .bool {
                items.append(contentsOf: try t.nonzeroColumns().map { .tensor($0) })
            } else {
                items.append(i)
            }
        }
        let consumed = items.reduce(0) { n, i in
            switch i { case .newAxis, .ellipsis: return n; default: return n + 1 }
        }
        guard consumed <= ndim else {
            throw EngineError.index("\(op): too many indices for tensor of dimension \(ndim) (got \(consumed))")
        }
        guard items.filter({ if case .ellipsis = $0 { return true } else { return false } }).count <= 1 else {
            throw EngineError.index("\(op): an index can only have a single ellipsis ('...')")
        }
        var r = ResolvedIndex(shape: [], strides: [], offset: offset)
        var dim = 0
        for item in items {
            switch item {
            case .int(let i):
                let size = shape[dim]
                guard i >= -size, i < size else {
                    throw EngineError.index("\(op): index \(i) is out of bounds for dimension \(dim) with size \(size)")
                }
                r.offset += (i < 0 ? i + size : i) * strides[dim]
                dim += 1
            case .slice(let start, let end, let step):
                let size = shape[dim]
                guard (step ?? 1) > 0 else { throw EngineError.value("\(op): slice step must be positive, got \(step ?? 1)") }
                // Any step ≥ size selects one element; clamping keeps stride arithmetic in range.
                let s = Swift.min(step ?? 1, Swift.max(size, 1))
                func clampIndex(_ v: Int?, _ fallback: Int) -> Int {
                    guard let v else { return fallback }
                    return Swift.min(Swift.max(v < 0 ? v + size : v, 0), size)
                }
                let lo = clampIndex(start, 0), hi = Swift.max(clampIndex(end, size), clampIndex(start, 0))
                r.shape.append(hi > lo ? (hi - lo - 1) / s + 1 : 0)
                r.strides.append(strides[dim] * s)
                r.offset += lo * strides[dim]
                dim += 1
            case .newAxis:
                r.shape.append(1); r.strides.append(0)
            case .ellipsis:
                for _ in 0..<(ndim - consumed) {
                    r.shape.append(shape[dim]); r.strides.append(strides[dim]); dim += 1
                }
            case .tensor(let t):
                guard t.dtype == .int64 else {
                    throw EngineError.index("\(op): tensors used as indices must be int64 or bool, got \(t.dtype)")
                }
                let size = shape[dim]
                for v in t.int64Array() where v < -Int64(size) || v >= Int64(size) {
                    throw EngineError.index("\(op): index \(v) is out of bounds for dimension \(dim) with size \(size)")
                }
                r.advanced.append((r.shape.count, t))
                r.shape.append(size); r.strides.append(strides[dim])
                dim += 1
            }
        }
        while dim < ndim { r.shape.append(shape[dim]); r.strides.append(strides[dim]); dim += 1 }
        return r
    }

    /// For a bool mask, one int64 tensor of positions per mask dimension (like `nonzero(as_tuple=True)`).
    func nonzeroColumns() throws -> [Tensor] {
        let flags = boolArray()
        var columns = [[Int64]](repeating: [], count: Swift.max(ndim, 1))
        let st = Shapes.contiguousStrides(shape)
        for (i, f) in flags.enumerated() where f {
            var rest = i
            for d in 0..<ndim { columns[d].append(Int64(rest / Swift.max(st[d], 1))); rest %= Swift.max(st[d], 1) }
            if ndim == 0 { columns[0].append(0) }
        }
        return try columns.map { try Tensor($0, shape: [$0.count]) }
    }

    /// Gather layout: view permuted so advanced dims come first, the broadcast index shape, and
    /// where the index dims go in the final result (nil: stay in front).
    private func gatherPlan(_ r: ResolvedIndex, op: String) throws -> (front: Tensor, indices: [[Int64]], indexShape: [Int], insertAt: Int?) {
        let view = alias(shape: r.shape, strides: r.strides, offset: r.offset)
        let advDims = r.advanced.map(\.dim)
        let rest = (0..<view.ndim).filter { !advDims.contains($0) }
        let front = view.alias(shape: (advDims + rest).map { view.shape[$0] }, strides: (advDims + rest).map { view.strides[$0] }, offset: view.offset)
        var indexShape: [Int] = []
        for (_, t) in r.advanced { indexShape = try Shapes.broadcast(indexShape, t.shape, op: op) }
        let indices = try r.advanced.map { (dim, t) -> [Int64] in
            let size = Int64(view.shape[dim])
            return try t.broadcastView(to: indexShape, op: op).int64Array().map { $0 < 0 ? $0 + size : $0 }
        }
        let adjacent = zip(advDims, advDims.dropFirst()).allSatisfy { $1 == $0 + 1 }
        let insertAt = adjacent && (advDims.first ?? 0) > 0 ? advDims.first : nil
        return (front, indices, indexShape, insertAt)
    }

    /// `x[indices]`: a view for ints/slices/None/..., a gathered copy when tensors index.
    public func index(_ indices: [TensorIndex]) throws -> Tensor {
        let r = try resolve(indices, op: "index")
        if r.advanced.isEmpty {
            let out = alias(shape: r.shape, strides: r.strides, offset: r.offset)
            let inputShape = shape
            return Tensor.record(out, "SliceBackward0", [self]) { g in
                // Resolve again against the contiguous gradient: `self` may be a strided view.
                let grad = try Tensor.zeros(inputShape)
                let rg = try grad.resolve(indices, op: "index")
                try grad.alias(shape: rg.shape, strides: rg.strides, offset: rg.offset).copy_(g)
                return [grad]
            }
        }
        let plan = try gatherPlan(r, op: "index")
        let k = r.advanced.count
        let restShape = Array(plan.front.shape.dropFirst(k))
        let restCount = restShape.reduce(1, *), positions = plan.indexShape.reduce(1, *)
        let src = plan.front
        var out = try Tensor(zeros: plan.indexShape + restShape, dtype: dtype, op: "index")
        // Offsets of every "rest" element relative to the gathered row.
        let restOffsets = src.alias(shape: restShape, strides: Array(src.strides.dropFirst(k)), offset: 0).offsets()
        func rowOffset(_ p: Int) -> Int {
            var o = src.offset
            for j in 0..<k { o += Int(plan.indices[j][p]) * src.strides[j] }
            return o
        }
        switch dtype {
        case .float32: let s = storage.floats(), d = out.storage.floats()
            for p in 0..<positions { let base = rowOffset(p); for (q, ro) in restOffsets.enumerated() { d[p * restCount + q] = s[base + ro] } }
        case .int64: let s = storage.ints(), d = out.storage.ints()
            for p in 0..<positions { let base = rowOffset(p); for (q, ro) in restOffsets.enumerated() { d[p * restCount + q] = s[base + ro] } }
        case .bool: let s = storage.bools(), d = out.storage.bools()
            for p in 0..<positions { let base = rowOffset(p); for (q, ro) in restOffsets.enumerated() { d[p * restCount + q] = s[base + ro] } }
        }
        let gathered = plan.indices, inputShape = shape
        out = Tensor.record(out, "IndexBackward0", [self]) { g in
            // Offsets come from the contiguous gradient's own layout, not from `self`'s strides
            // (`self` may be a strided view, whose offsets would fall outside `grad`).
            let grad = try Tensor.zeros(inputShape)
            let front = try grad.gatherPlan(try grad.resolve(indices, op: "index"), op: "index").front
            let gradRest = front.alias(shape: restShape, strides: Array(front.strides.dropFirst(k)), offset: 0).offsets()
            let gp = grad.storage.floats(), gv = g.floatArray()
            for p in 0..<positions {
                var base = front.offset
                for j in 0..<k { base += Int(gathered[j][p]) * front.strides[j] }
                for (q, ro) in gradRest.enumerated() { gp[base + ro] += gv[p * restCount + q] }
            }
            return [grad]
        }
        if let at = plan.insertAt {
            let m = plan.indexShape.count, rn = restShape.count
            let order = Array(m..<(m + at)) + Array(0..<m) + Array((m + at)..<(m + rn))
            out = try out.permute(order)
        }
        return out
    }

    /// `x[indices] = value` in place (value broadcasts to the indexed shape).
    public func indexPut(_ indices: [TensorIndex], _ value: Tensor) throws {
        let r = try resolve(indices, op: "index_put")
        try prepareInPlace("index assignment")
        if r.advanced.isEmpty {
            let view = alias(shape: r.shape, strides: r.strides, offset: r.offset)
            try withNoGrad { try view.copyRaw(value) }
            return
        }
        let plan = try gatherPlan(r, op: "index_put")
        let k = r.advanced.count
        let restShape = Array(plan.front.shape.dropFirst(k))
        var resultShape = plan.indexShape + restShape
        var inverse: [Int]? = nil
        if let at = plan.insertAt {
            let m = plan.indexShape.count, rn = restShape.count
            let order = Array(m..<(m + at)) + Array(0..<m) + Array((m + at)..<(m + rn))
            resultShape = order.map { resultShape[$0] }
            var inv = [Int](repeating: 0, count: order.count)
            for (i, d) in order.enumerated() { inv[d] = i }
            inverse = inv
        }
        var v = try value.detach().broadcastView(to: resultShape, op: "index_put")
        if let inverse { v = v.alias(shape: inverse.map { v.shape[$0] }, strides: inverse.map { v.strides[$0] }, offset: v.offset) }
        let values = try v.to(dtype)
        let src = plan.front
        let restOffsets = src.alias(shape: restShape, strides: Array(src.strides.dropFirst(k)), offset: 0).offsets()
        let restCount = restOffsets.count, positions = plan.indexShape.reduce(1, *)
        func rowOffset(_ p: Int) -> Int {
            var o = src.offset
            for j in 0..<k { o += Int(plan.indices[j][p]) * src.strides[j] }
            return o
        }
        switch dtype {
        case .float32: let d = storage.floats(), s = values.floatArray()
            for p in 0..<positions { let b = rowOffset(p); for (q, ro) in restOffsets.enumerated() { d[b + ro] = s[p * restCount + q] } }
        case .int64: let d = storage.ints(), s = values.int64Array()
            for p in 0..<positions { let b = rowOffset(p); for (q, ro) in restOffsets.enumerated() { d[b + ro] = s[p * restCount + q] } }
        case .bool: let d = storage.bools(), s = values.boolArray()
            for p in 0..<positions { let b = rowOffset(p); for (q, ro) in restOffsets.enumerated() { d[b + ro] = s[p * restCount + q] } }
        }
    }

    /// Storage offsets of every element in row-major order.
    func offsets() -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        forEachOffset { out.append($0) }
        return out
    }

    /// Copies `source` (broadcast) into this view without version/grad checks.
    func copyRaw(_ source: Tensor) throws {
        let src = try source.broadcastView(to: shape, op: "index_put").to(dtype)
        switch dtype {
        case .float32: let v = src.floatArray(), p = storage.floats(); var i = 0; forEachOffset { p[$0] = v[i]; i += 1 }
        case .int64: let v = src.int64Array(), p = storage.ints(); var i = 0; forEachOffset { p[$0] = v[i]; i += 1 }
        case .bool: let v = src.boolArray(), p = storage.bools(); var i = 0; forEachOffset { p[$0] = v[i]; i += 1 }
        }
    }

    /// `narrow(dim, start, length)`: a view of `length` entries of `dim` from `start`.
    public func narrow(_ dim: Int, start: Int, length: Int) throws -> Tensor {
        let d = try Shapes.dim(dim, ndim, op: "narrow")
        guard start >= 0, length >= 0, start <= shape[d], length <= shape[d] - start else {
            throw EngineError.index("narrow: start \(start) and length \(length) are out of bounds for dimension \(d) with size \(shape[d])")
        }
        var idx = [TensorIndex](repeating: .all, count: d)
        idx.append(.slice(start: start, end: start + length, step: 1))
        return try index(idx)
    }
}
