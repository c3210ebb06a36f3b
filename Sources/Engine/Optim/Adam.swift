#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The Adam update shared by `Adam` and (with decoupled weight decay) `AdamW`. PyTorch's update: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// p ← p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε).
public class AdamFamily: Optimizer {
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double, amsgrad: Bool
    /// AdamW's decoupled weight decay: p ← p·(1 − lr·λ) before the Adam step.
    let decoupled: Bool
    private var m: [[Float]], v: [[Float]], vMax: [[Float]]

    init(_ params: [Tensor], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double,
         amsgrad: Bool, decoupled: Bool, name: String) throws {
        guard betas.0 >= 0, betas.0 < 1 else { throw EngineError.value("\(name): invalid beta parameter at index 0: \(betas.0)") }
        guard betas.1 >= 0, betas.1 < 1 else { throw EngineError.value("\(name): invalid beta parameter at index 1: \(betas.1)") }
        try checkNonNegative(name, "epsilon", eps)
        try checkNonNegative(name, "weight_decay", weightDecay)
        beta1 = betas.0; beta2 = betas.1; self.eps = eps; self.weightDecay = weightDecay
        self.amsgrad = amsgrad; self.decoupled = decoupled
        m = []; v = []; vMax = []
        try super.init(params, lr: lr, name: name)
        m = stateBuffers(); v = stateBuffers()
        if amsgrad { vMax = stateBuffers() }
    }

    public override func update(_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let t = Double(steps[index])
        let b1 = Float(beta1), b2 = Float(beta2), wd = Float(weightDecay)
        let bc1 = 1 - Foundationless.pow(beta1, t), bc2 = 1 - Foundationless.pow(beta2, t)
        let stepSize = Float(lr / bc1), bc2Sqrt = Float(bc2.squareRoot()), e = Float(eps)
        if decoupled { let k = Float(1 - lr * weightDecay); for i in 0..<p.count { p[i] *= k } }
        let coupled = !decoupled && weightDecay != 0
        // One pass over p, g, m, v (and v_max) with the moments in registers.
        m[index].withUnsafeMutableBufferPointer { m in
            v[index].withUnsafeMutableBufferPointer { v in
                if amsgrad {
                    vMax[index].withUnsafeMutableBufferPointer { vm in
                        for i in 0..<p.count {
                            let gi = coupled ? g[i] + wd * p[i] : g[i]
                            let mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi
                            let vmax = Swift.max(vm[i], vi)
                            m[i] = mi; v[i] = vi; vm[i] = vmax
                            p[i] -= stepSize * mi / (vmax.squareRoot() / bc2Sqrt + e)
                        }
                    }
                } else {
                    // 8 lanes at a time (the scalar loop cannot vectorise: the buffers might alias).
                    let lanes = 8, head = p.count / lanes * lanes
                    if head > 0, let pb = p.baseAddress, let gb = g.baseAddress, let mb = m.baseAddress, let vb = v.baseAddress {
                        let rp = UnsafeMutableRawPointer(pb), rg = UnsafeRawPointer(gb)
                        let rm = UnsafeMutableRawPointer(mb), rv = UnsafeMutableRawPointer(vb)
                        let sb1 = SIMD8<Float>(repeating: b1), sb2 = SIMD8<Float>(repeating: b2)
                        let c1 = SIMD8<Float>(repeating: 1 - b1), c2 = SIMD8<Float>(repeating: 1 - b2)
                        let ss = SIMD8<Float>(repeating: stepSize), sq = SIMD8<Float>(repeating: bc2Sqrt)
                        let se = SIMD8<Float>(repeating: e), swd = SIMD8<Float>(repeating: coupled ? wd : 0)
                        for k in stride(from: 0, to: head * 4, by: lanes * 4) {
                            let pv = rp.loadUnaligned(fromByteOffset: k, as: SIMD8<Float>.self)
                            let gv = rg.loadUnaligned(fromByteOffset: k, as: SIMD8<Float>.self) + swd * pv
                            let mv = sb1 * rm.loadUnaligned(fromByteOffset: k, as: SIMD8<Float>.self) + c1 * gv
                            let vv = sb2 * rv.loadUnaligned(fromByteOffset: k, as: SIMD8<Float>.self) + c2 * gv * gv
                            rm.storeBytes(of: mv, toByteOffset: k, as: SIMD8<Float>.self)
                            rv.storeBytes(of: vv, toByteOffset: k, as: SIMD8<Float>.self)
                            rp.storeBytes(of: pv - ss * mv / (vv.squareRoot() / sq + se), toByteOffset: k, as: SIMD8<Float>.self)
                        }
                    }
                    for i in head..<p.count {
                        let gi = coupled ? g[i] + wd * p[i] : g[i]
                        let mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi
                        m[i] = mi; v[i] = vi
                        p[i] -= stepSize * mi / (vi.squareRoot() / bc2Sqrt + e)
                    }
                }
            }
        }
    }
}

/// `optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)`.
public final class Adam: AdamFamily {
    public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false) throws {
        try super.init(params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                       decoupled: false, name: "Adam")
    }
}

/// `optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False)`:
/// Adam with decoupled weight decay.
public final class AdamW: AdamFamily {
    public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0.01, amsgrad: Bool = false) throws {
        try super.init(params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                       decoupled: true, name: "AdamW")
    }
}

/// libm's pow, reachable without Foundation.
enum Foundationless {
    static func pow(_ x: Double, _ y: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.pow(x, y)
        #else
        return Darwin.pow(x, y)
        #endif
    }
}
