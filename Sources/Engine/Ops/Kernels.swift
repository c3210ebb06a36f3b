#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Element types kernels are generic over.
protocol TensorElement {
    static var dtype: DType { get }
    static func base(_ s: Storage) -> UnsafeMutablePointer<Self>
    static func values(_ t: Tensor) -> [Self]
}

extension Float: TensorElement {
    static var dtype: DType { .float32 }
    @inline(__always) static func base(_ s: Storage) -> UnsafeMutablePointer<Float> { s.floats() }
    static func values(_ t: Tensor) -> [Float] { t.floatArray() }
}

extension Int64: TensorElement {
    static var dtype: DType { .int64 }
    @inline(__always) static func base(_ s: Storage) -> UnsafeMutablePointer<Int64> { s.ints() }
    static func values(_ t: Tensor) -> [Int64] { t.int64Array() }
}

extension Bool: TensorElement {
    static var dtype: DType { .bool }
    @inline(__always) static func base(_ s: Storage) -> UnsafeMutablePointer<Bool> { s.bools() }
    static func values(_ t: Tensor) -> [Bool] { t.boolArray() }
}

enum Kernels {
    /// Calls `body` with `t`'s elements as a contiguous buffer of `T`, converting/copying only if needed.
    @inline(__always)
    static func withBuffer<T: TensorElement, R>(_ t: Tensor, as: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        if t.dtype == T.dtype && t.isContiguous {
            return try body(UnsafeBufferPointer(start: T.base(t.storage) + t.offset, count: t.count))
        }
        let copy = T.values(t)
        return try copy.withUnsafeBufferPointer(body)
    }

    /// Elementwise `f(a, b)` with broadcasting, inputs read as `A`, output of `R`'s dtype.
    @inline(__always)
    static func binary<A: TensorElement, R: TensorElement>(_ a: Tensor, _ b: Tensor, op: String, as: A.Type,
                                                           _ f: (A, A) -> R) throws -> Tensor {
        let shape = try Shapes.broadcast(a.shape, b.shape, op: op)
        let out = try Tensor(zeros: shape, dtype: R.dtype, op: op)
        let o = R.base(out.storage), n = out.count
        if b.count == 1 && a.shape == shape {
            let s = withBuffer(b, as: A.self) { $0[0] }
            withBuffer(a, as: A.self) { pa in for i in 0..<n { o[i] = f(pa[i], s) } }
            return out
        }
        if a.count == 1 && b.shape == shape {
            let s = withBuffer(a, as: A.self) { $0[0] }
            withBuffer(b, as: A.self) { pb in for i in 0..<n { o[i] = f(s, pb[i]) } }
            return out
        }
        let ea = a.shape == shape ? a : try a.broadcastView(to: shape, op: op)
        let eb = b.shape == shape ? b : try b.broadcastView(to: shape, op: op)
        withBuffer(ea, as: A.self) { pa in
            withBuffer(eb, as: A.self) { pb in
                for i in 0..<n { o[i] = f(pa[i], pb[i]) }
            }
        }
        return out
    }

    /// Elementwise `f(a)` over `a` read as `A`.
    @inline(__always)
    static func unary<A: TensorElement, R: TensorElement>(_ a: Tensor, op: String, as: A.Type, _ f: (A) -> R) throws -> Tensor {
        let out = try Tensor(zeros: a.shape, dtype: R.dtype, op: op)
        let o = R.base(out.storage)
        withBuffer(a, as: A.self) { pa in for i in 0..<pa.count { o[i] = f(pa[i]) } }
        return out
    }
}

// libm wrappers kept in one place.
@inline(__always) func fexp(_ x: Float) -> Float { expf(x) }
@inline(__always) func flog(_ x: Float) -> Float { logf(x) }
@inline(__always) func fsin(_ x: Float) -> Float { sinf(x) }
@inline(__always) func fcos(_ x: Float) -> Float { cosf(x) }
@inline(__always) func ftanh(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func fpow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
