#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Piecewise-constant elementwise ops (`sign floor ceil round`) and `bernoulli` sampling. Their
/// gradient is zero almost everywhere, so they are not recorded (the result does not require grad).
extension Tensor {
    private func piecewise(_ op: String, _ f: (Float) -> Float) throws -> Tensor {
        if dtype != .float32 {
            return op == "sign" ? try Kernels.unary(self, op: op, as: Int64.self) { (v: Int64) -> Int64 in v > 0 ? 1 : (v < 0 ? -1 : 0) } : try to(.int64)
        }
        return try Kernels.unary(self, op: op, as: Float.self, f)
    }

    /// -1, 0 or 1 by the sign of each element.
    public func sign() throws -> Tensor { try piecewise("sign") { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }
    public func floor() throws -> Tensor { try piecewise("floor") { floorf($0) } }
    public func ceil() throws -> Tensor { try piecewise("ceil") { ceilf($0) } }
    /// Rounds half to even, like `torch.round`.
    public func round() throws -> Tensor { try piecewise("round") { rintf($0) } }

    /// `bernoulli(p)`: 1 with probability p (each element of this tensor), else 0, from the seeded generator.
    public func bernoulli(generator: RandomGenerator = .shared) throws -> Tensor {
        let p = floatArray()
        guard p.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw EngineError.runtime("bernoulli: every probability must be in [0, 1]")
        }
        return try Tensor(p.map { (q: Float) -> Float in generator.nextFloat() < q ? 1 : 0 }, shape: shape)
    }
}
