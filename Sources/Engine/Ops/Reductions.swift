/// Reductions over all elements or along dimensions, with `keepdim`.
extension Tensor {
    /// Splits the shape around `dim` into (outer, size, inner) for contiguous row-major loops.
    private func split(_ dim: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<dim].reduce(1, *), shape[dim], shape[(dim + 1)...].reduce(1, *))
    }

    private func reducedShape(_ dims: Set<Int>, keepdim: Bool) -> [Int] {
        var out: [Int] = []
        for (i, d) in shape.enumerated() {
            if dims.contains(i) { if keepdim { out.append(1) } } else { out.append(d) }
        }
        return out
    }

    /// Sum of all elements (int64 for integer/bool input, float32 otherwise).
    public func sum() throws -> Tensor {
        let out: Tensor
        if dtype == .float32 {
            let s = withFloats { p -> Double in
                // Eight float64 lanes (independent accumulators, vectorised widening); the tail serially.
                guard let base = p.baseAddress else { return 0 }
                var low = SIMD4<Double>(), high = SIMD4<Double>()
                let head = p.count / 8 * 8, raw = UnsafeRawPointer(base)
                for k in stride(from: 0, to: head * 4, by: 32) {
                    let v = raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Float>.self)
                    low += SIMD4<Double>(v.lowHalf); high += SIMD4<Double>(v.highHalf)
                }
                var total = (low + high).sum()
                for i in head..<p.count { total += Double(p[i]) }
                return total
            }
            out = Tensor(scalar: Float(s))
        } else {
            out = Tensor(scalar: int64Array().reduce(0, &+))
        }
        let inputShape = shape
        return Tensor.record(out, "SumBackward0", [self]) { g in [try g.expand(inputShape)] }
    }

    /// Sum over `dim`.
    public func sum(dim: Int, keepdim: Bool = false) throws -> Tensor { try sum(dims: [dim], keepdim: keepdim) }

    /// Sum over several dimensions.
    public func sum(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        let normal = Set(try dims.map { try Shapes.dim($0, ndim, op: "sum") })
        if ndim == 0 { return try sum() }
        var current = dtype == .float32 ? self : try to(.int64)
        for d in normal.sorted(by: >) { current = try current.sumKeepingDim(d) }
        let keepShape = current.shape
        let out = keepdim ? current : current.alias(shape: reducedShape(normal, keepdim: false), strides: Shapes.contiguousStrides(reducedShape(normal, keepdim: false)), offset: current.offset)
        let inputShape = shape
        return Tensor.record(out, "SumBackward1", [self]) { g in [try g.reshape(keepShape).expand(inputShape)] }
    }

    /// Contiguous sum along one dimension with keepdim (not recorded).
    private func sumKeepingDim(_ dim: Int) throws -> Tensor {
        var outShape = shape; outShape[dim] = 1
        let (outer, n, inner) = split(dim)
        if dtype == .int64 {
            let x = int64Array(), out = try Tensor(zeros: outShape, dtype: .int64)
            let o = out.storage.ints()
            for a in 0..<outer { for k in 0..<n { for j in 0..<inner { o[a * inner + j] &+= x[(a * n + k) * inner + j] } } }
            return out
        }
        let out = try Tensor(zeros: outShape, op: "sum")
        let o = out.storage.floats()
        withFloats { x in
            guard let base = x.baseAddress else { return }
            for a in 0..<outer {
                let dst = o + a * inner
                for k in 0..<n {
                    let src = base + (a * n + k) * inner
                    for j in 0..<inner { dst[j] += src[j] }
                }
            }
        }
        return out
    }

    /// Mean of all elements (float).
    public func mean() throws -> Tensor {
        let x = dtype == .float32 ? self : try to(.float32)
        let n = Float(count), inputShape = shape
        let out = try withNoGrad { try x.sum().div(Tensor(scalar: n)) }
        return Tensor.record(out, "MeanBackward0", [x]) { g in
            [try g.div(Tensor(scalar: n)).expand(inputShape)]
        }
    }

    /// Mean over dimensions.
    public func mean(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        let x = dtype == .float32 ? self : try to(.float32)
        let normal = Set(try dims.map { try Shapes.dim($0, ndim, op: "mean") })
        let n = Float(normal.reduce(1) { $0 * shape[$1] })
        let out = try withNoGrad { try x.sum(dims: dims, keepdim: keepdim).div(Tensor(scalar: n)) }
        let keepShape = ndim == 0 ? shape : reducedShape(normal, keepdim: true), inputShape = shape
        return Tensor.record(out, "MeanBackward1", [x]) { g in
            [try g.div(Tensor(scalar: n)).reshape(keepShape).expand(inputShape)]
        }
    }

    public func mean(dim: Int, keepdim: Bool = false) throws -> Tensor { try mean(dims: [dim], keepdim: keepdim) }

    /// Variance with Bessel's correction by default (`correction=1`, like `torch.var`).
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        let x = dtype == .float32 ? self : try to(.float32)
        let all = dims ?? Array(0..<ndim)
        let normal = Set(try all.map { try Shapes.dim($0, ndim, op: "var") })
        let n = normal.reduce(1) { $0 * shape[$1] }
        let m = ndim == 0 ? x : try x.mean(dims: all, keepdim: true)
        let d = try x.sub(m)
        let sq = try d.mul(d)
        let s = ndim == 0 ? sq : try sq.sum(dims: all, keepdim: keepdim)
        return try s.div(Tensor(scalar: Float(Swift.max(n - correction, 0))))
    }

    /// Standard deviation (`torch.std`).
    public func std(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        try variance(dims: dims, correction: correction, keepdim: keepdim).sqrt()
    }

    /// Max of all elements; the gradient is shared evenly among ties, as in PyTorch.
    public func max() throws -> Tensor { try extreme(op: "max", name: "MaxBackward1", >) }
    /// Min of all elements.
    public func min() throws -> Tensor { try extreme(op: "min", name: "MinBackward1", <) }

    private func extreme(op: String, name: String, _ better: @escaping (Float, Float) -> Bool) throws -> Tensor {
        guard count > 0 else { throw EngineError.runtime("\(op): cannot reduce an empty tensor without a dim") }
        if dtype != .float32 {
            let v = int64Array()
            let r = op == "max" ? v.max() : v.min()
            return dtype == .bool ? Tensor(scalar: (r ?? 0) != 0) : Tensor(scalar: r ?? 0)
        }
        let best = withFloats { p -> Float in
            var b = p[0]
            for x in p where better(x, b) || x.isNaN { b = x }
            return b
        }
        let out = Tensor(scalar: best)
        let x = self
        return Tensor.record(out, name, [x], saving: [x]) { g in
            let mask = try Kernels.unary(x, op: op, as: Float.self) { $0 == best ? Float(1) : 0 }
            let ties = try mask.sum().item()
            return [try mask.mul(g).div(Tensor(scalar: Float(Swift.max(ties, 1))))]
        }
    }

    /// `max(dim)`: values and int64 indices of the first maximum along `dim`.
    public func max(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extreme(dim: dim, keepdim: keepdim, op: "max", name: "MaxBackward0", >)
    }

    /// `min(dim)`: values and indices along `dim`.
    public func min(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extreme(dim: dim, keepdim: keepdim, op: "min", name: "MinBackward0", <)
    }

    /// `argmax()` over the flattened tensor, or along `dim`.
    public func argmax(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try reshape([-1]).extreme(dim: 0, keepdim: false, op: "argmax", name: "", >).indices }
        return try extreme(dim: dim, keepdim: keepdim, op: "argmax", name: "", >).indices
    }

    /// `argmin()` over the flattened tensor, or along `dim`.
    public func argmin(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try reshape([-1]).extreme(dim: 0, keepdim: false, op: "argmin", name: "", <).indices }
        return try extreme(dim: dim, keepdim: keepdim, op: "argmin", name: "", <).indices
    }

    private func extreme(dim: Int, keepdim: Bool, op: String, name: String,
                         _ better: (Float, Float) -> Bool) throws -> (values: Tensor, indices: Tensor) {
        let d = try Shapes.dim(dim, ndim, op: op)
        if ndim == 0 { return (self, Tensor(scalar: Int64(0))) }
        guard shape[d] > 0 else { throw EngineError.index("\(op): dimension \(dim) has size 0, so there is no \(op)") }
        let (outer, n, inner) = split(d)
        var keepShape = shape; keepShape[d] = 1
        let indices = try Tensor(zeros: keepShape, dtype: .int64, op: op)
        let values = try Tensor(zeros: keepShape, op: op)
        let vi = indices.storage.ints(), vv = values.storage.floats()
        defer { withExtendedLifetime(indices) {}; withExtendedLifetime(values) {} }
        withFloats { x in
            for a in 0..<outer {
                for j in 0..<inner {
                    var bestK = 0, best = x[a * n * inner + j]
                    for k in 1..<Swift.max(n, 1) {
                        let v = x[(a * n + k) * inner + j]
                        if !best.isNaN && (better(v, best) || v.isNaN) { best = v; bestK = k }
                    }
                    vi[a * inner + j] = Int64(bestK); vv[a * inner + j] = best
                }
            }
        }
        let outShape = keepdim ? keepShape : reducedShape([d], keepdim: false)
        let idx = try indices.reshape(outShape)
        var vals = try values.reshape(outShape)
        if dtype != .float32 { vals = try vals.to(dtype) }
        guard !name.isEmpty else { return (vals, idx) }
        let inputShape = shape
        vals = Tensor.record(vals, name, [self]) { g in
            let grad = try Tensor.zeros(inputShape)
            let gp = grad.storage.floats(), gv = try g.reshape(keepShape).floatArray()
            let ip = indices.int64Array()
            for a in 0..<outer { for j in 0..<inner {
                gp[(a * n + Int(ip[a * inner + j])) * inner + j] += gv[a * inner + j]
            } }
            return [grad]
        }
        return (vals, idx)
    }
}
