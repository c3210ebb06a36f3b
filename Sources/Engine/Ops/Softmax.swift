/// Numerically stable softmax and log-softmax along one dimension.
extension Tensor {
    public func softmax(dim: Int) throws -> Tensor { try softmaxKernel(dim: dim, log: false) }
    public func logSoftmax(dim: Int) throws -> Tensor { try softmaxKernel(dim: dim, log: true) }

    private func softmaxKernel(dim: Int, log: Bool) throws -> Tensor {
        let op = log ? "log_softmax" : "softmax"
        let d = try Shapes.dim(dim, ndim, op: op)
        let out = try Tensor(zeros: shape, op: op)
        let (outer, n, inner) = ndim == 0 ? (1, 1, 1) : (shape[..<d].reduce(1, *), shape[d], shape[(d + 1)...].reduce(1, *))
        let o = out.storage.floats()
        withFloats { x in
            for a in 0..<outer {
                for j in 0..<inner {
                    let base = a * n * inner + j
                    var m = -Float.infinity
                    for k in 0..<n { m = Swift.max(m, x[base + k * inner]) }
                    if m == -.infinity { m = 0 }
                    var s: Float = 0
                    for k in 0..<n { let e = fexp(x[base + k * inner] - m); o[base + k * inner] = e; s += e }
                    if log {
                        let ls = flog(s) + m
                        for k in 0..<n { o[base + k * inner] = x[base + k * inner] - ls }
                    } else {
                        let inv = 1 / s
                        for k in 0..<n { o[base + k * inner] *= inv }
                    }
                }
            }
        }
        let y = out.detach()
        let dd = ndim == 0 ? 0 : d
        if log {
            return Tensor.record(out, "LogSoftmaxBackward0", [self], saving: [y]) { g in
                [try g.sub(y.exp().mul(g.sum(dim: dd, keepdim: true)))]
            }
        }
        return Tensor.record(out, "SoftmaxBackward0", [self], saving: [y]) { g in
            [try y.mul(g.sub(g.mul(y).sum(dim: dd, keepdim: true)))]
        }
    }
}
