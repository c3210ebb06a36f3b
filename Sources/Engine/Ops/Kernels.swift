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
    let p = expPolynomial(r)
    // 2^n from bits: (n + 127 + 2^23) as a float holds n + 127 in its low mantissa bits; avoiding a
    // checked Float→Int conversion keeps the loop vectorisable.
    let biased = (n + 8_388_735).bitPattern &- 0x4B00_0000
    let scale = Float(bitPattern: biased << 23)
    var result = p * scale
    result = x < -87.3 ? 0 : result
    result = x > 88.7 ? .infinity : result
    return x != x ? x : result
}
/// The logistic function, computed as 1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x) below (no overflow),
/// with both sides from one fexp(−|x|) and a select, so loops calling it vectorise.
@inline(__always) func fsigmoid(_ x: Float) -> Float {
    let e = fexp(-Swift.abs(x))
    return x >= 0 ? 1 / (1 + e) : e / (1 + e)
}

/// tanh in float32 without a libm call, so loops over it vectorise (the fused LSTM cell). With
/// u = 2|x|: tanh|x| = (e^u − 1)/(e^u + 1); e^u − 1 comes from its Taylor series below |x| = 0.625
/// (no cancellation near 0), from fexp above. Within ~3e-7 of tanhf; x's sign bit is copied back.
@inline(__always) func ftanhFast(_ x: Float) -> Float {
    let a = Swift.abs(x), u = 2 * a
    let em1 = a < 0.625 ? expm1Series(u) : fexp(u) - 1
    let t = em1 / (em1 + 2)
    let r = a > 10 ? 1 : t  // tanh rounds to 1 there; also keeps inf/inf away
    return x != x ? x : Float(bitPattern: r.bitPattern | (x.bitPattern & 0x8000_0000))
}

/// One float or eight lanes of them: the scalar kernels and their eight-lane forms share their
/// polynomials through this, so each lane computes exactly what the scalar form does.
protocol FloatLanes {
    static func + (lhs: Self, rhs: Float) -> Self
    static func + (lhs: Float, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Float) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    /// `c` in every lane.
    init(lanes c: Float)
}
extension Float: FloatLanes { init(lanes c: Float) { self = c } }
extension SIMD8: FloatLanes where Scalar == Float { init(lanes c: Float) { self.init(repeating: c) } }

/// e^r for |r| ≤ ln2/2: the degree-6 polynomial of `fexp`.
@inline(__always) func expPolynomial<V: FloatLanes>(_ r: V) -> V {
    var p = V(lanes: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    return p * r + 1
}

/// e^u − 1 for 0 ≤ u < 1.25 = u(1 + u/2(1 + u/3(1 + … (1 + u/12)))), no cancellation near 0; the
/// next term is below 4e-9 of it.
@inline(__always) func expm1Series<V: FloatLanes>(_ u: V) -> V {
    var p = 1 + u * (1.0 / 12)
    p = 1 + u * (1.0 / 11) * p
    p = 1 + u * (1.0 / 10) * p
    p = 1 + u * (1.0 / 9) * p
    p = 1 + u * (1.0 / 8) * p
    p = 1 + u * (1.0 / 7) * p
    p = 1 + u * (1.0 / 6) * p
    p = 1 + u * (1.0 / 5) * p
    p = 1 + u * (1.0 / 4) * p
    p = 1 + u * (1.0 / 3) * p
    p = 1 + u * 0.5 * p
    return u * p
}

/// `fexp` on eight lanes, the same operations in the same order, so each lane equals `fexp` of it.
@inline(__always) func fexp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var xc = x.replacing(with: -87.3, where: x .< -87.3)
    xc = xc.replacing(with: 88.7, where: x .> 88.7)
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let n = (xc * 1.442_695_04 + magic) - magic
    let r = (xc - n * 0.693_145_75) - n * 1.428_606_8e-6
    let p = expPolynomial(r)
    let biased = unsafeBitCast(n + 8_388_735, to: SIMD8<Int32>.self) &- 0x4B00_0000
    let scale = unsafeBitCast(biased &<< 23, to: SIMD8<Float>.self)
    var result = p * scale
    result = result.replacing(with: 0, where: x .< -87.3)
    result = result.replacing(with: .infinity, where: x .> 88.7)
    return result.replacing(with: x, where: x .!= x)
}

/// `fsigmoid` on eight lanes (lane-for-lane equal to it).
@inline(__always) func fsigmoid8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let e = fexp8(-abs8(x)), d = 1 + e
    return (e / d).replacing(with: 1 / d, where: x .>= 0)
}

/// `ftanhFast` on eight lanes (lane-for-lane equal to it).
@inline(__always) func ftanh8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let a = abs8(x), u = 2 * a
    let em1 = (fexp8(u) - 1).replacing(with: expm1Series(u), where: a .< 0.625)
    let r = (em1 / (em1 + 2)).replacing(with: 1, where: a .> 10)
    let signed = unsafeBitCast(r, to: SIMD8<UInt32>.self) | (unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x8000_0000)
    return unsafeBitCast(signed, to: SIMD8<Float>.self).replacing(with: x, where: x .!= x)
}

@inline(__always) func abs8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
}

@inline(__always) func flog(_ x: Float) -> Float { logf(x) }
@inline(__always) func fsin(_ x: Float) -> Float { sinf(x) }
@inline(__always) func fcos(_ x: Float) -> Float { cosf(x) }
@inline(__always) func ftanh(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func fpow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
