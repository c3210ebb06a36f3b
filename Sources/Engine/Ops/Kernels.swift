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
        let out = try Tensor(uninitialized: shape, dtype: R.dtype, op: op)
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
        let out = try Tensor(uninitialized: a.shape, dtype: R.dtype, op: op)
        let o = R.base(out.storage)
        withBuffer(a, as: A.self) { pa in for i in 0..<pa.count { o[i] = f(pa[i]) } }
        return out
    }
}

// libm wrappers kept in one place.
/// exp in float32 without a libm call, so loops over it vectorise: 2^n · p(r) with
/// x = n·ln2 + r, |r| ≤ ln2/2, and a degree-6 polynomial (relative error ≈ 2e-7).
@inline(__always) func fexp(_ x: Float) -> Float {
    // Branch-free (selects only) so the compiler can vectorise loops calling it.
    let xc = x < -87.3 ? -87.3 : (x > 88.7 ? 88.7 : x)
    // Round x/ln2 to nearest with the 1.5·2^23 trick (no rint call).
    let magic: Float = 12_582_912
    let n = (xc * 1.442_695_04 + magic) - magic
    let r = (xc - n * 0.693_145_75) - n * 1.428_606_8e-6
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2^n from bits: (n + 127 + 2^23) as a float holds n + 127 in its low mantissa bits; avoiding a
    // checked Float→Int conversion keeps the loop vectorisable.
    let biased = (n + 8_388_735).bitPattern &- 0x4B00_0000
    let scale = Float(bitPattern: biased << 23)
    var result = p * scale
    result = x < -87.3 ? 0 : result
    result = x > 88.7 ? .infinity : result
    return x != x ? x : result
}
@inline(__always) func flog(_ x: Float) -> Float { logf(x) }
@inline(__always) func fsin(_ x: Float) -> Float { sinf(x) }
@inline(__always) func fcos(_ x: Float) -> Float { cosf(x) }
@inline(__always) func ftanh(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func fpow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
