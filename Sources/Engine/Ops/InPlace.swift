/// In-place elementwise updates (`a += b`, `w -= lr * g`), the form optimizer loops and scripts use
/// under `no_grad()`. The common case (float32, contiguous, same shape or a scalar operand) runs in one
/// pass over memory; everything else computes out of place and copies back.
public enum InPlaceOp: Sendable { case add, sub, mul, div }

extension Tensor {
    /// `self op= other` in place, broadcasting `other` to this shape. Keeps this tensor's dtype, and
    /// refuses a float result into an integer tensor (as PyTorch does).
    @discardableResult
    public func applyInPlace(_ op: InPlaceOp, _ other: Tensor) throws -> Tensor {
        let name: String
        switch op { case .add: name = "add_"; case .sub: name = "sub_"; case .mul: name = "mul_"; case .div: name = "div_" }
        if dtype != .float32 && (other.dtype == .float32 || op == .div) {
            throw EngineError.runtime("\(name): result type float32 can't be cast to the desired output type \(dtype.rawValue); convert with .float() first")
        }
        if dtype == .bool {
            throw EngineError.runtime("\(name): in-place arithmetic on a bool tensor is not supported; convert with .long() or .float() first")
        }
        if dtype == .float32 && isContiguous && (other.count == 1 || (other.shape == shape && other.isContiguous)) {
            try prepareInPlace(name)
            let p = storage.floats() + offset, n = count
            if other.count == 1 {
                let s = Float(try other.item())
                switch op {
                case .add: for i in 0..<n { p[i] += s }
                case .sub: for i in 0..<n { p[i] -= s }
                case .mul: for i in 0..<n { p[i] *= s }
                case .div: for i in 0..<n { p[i] /= s }
                }
                return self
            }
            try other.withFloats { q in
                switch op {
                case .add: for i in 0..<n { p[i] += q[i] }
                case .sub: for i in 0..<n { p[i] -= q[i] }
                case .mul: for i in 0..<n { p[i] *= q[i] }
                case .div: for i in 0..<n { p[i] /= q[i] }
                }
            }
            return self
        }
        let result = try withNoGrad { () -> Tensor in
            let a = detach(), b = other.detach()
            switch op {
            case .add: return try a.add(b)
            case .sub: return try a.sub(b)
            case .mul: return try a.mul(b)
            case .div: return try a.div(b)
            }
        }
        guard result.shape == shape else {
            throw EngineError.shape("\(name): output with shape \(describe(shape)) doesn't match the broadcast shape \(describe(result.shape))")
        }
        return try copy_(result)
    }
}
