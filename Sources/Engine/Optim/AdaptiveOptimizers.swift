/// `optim.Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)`:
/// s ← s + g², p ← p − lr/(1 + (t − 1)·decay) · g / (√s + ε).
public final class Adagrad: Optimizer {
    public let lrDecay: Double, weightDecay: Double, eps: Double
    private var sums: [[Float]]

    public init(_ params: [Tensor], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10) throws {
        try checkNonNegative("Adagrad", "lr_decay", lrDecay)
        try checkNonNegative("Adagrad", "weight_decay", weightDecay)
        try checkNonNegative("Adagrad", "initial_accumulator_value", initialAccumulatorValue)
        self.lrDecay = lrDecay; self.weightDecay = weightDecay; self.eps = eps
        sums = []
        try super.init(params, lr: lr, name: "Adagrad")
        sums = params.map { [Float](repeating: Float(initialAccumulatorValue), count: $0.count) }
    }

    public override func update(_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let clr = Float(lr / (1 + Double(steps[index] - 1) * lrDecay)), wd = Float(weightDecay), e = Float(eps)
        sums[index].withUnsafeMutableBufferPointer { s in
            for i in 0..<p.count {
                let gi = g[i] + wd * p[i]
                s[i] += gi * gi
                p[i] -= clr * gi / (s[i].squareRoot() + e)
            }
        }
    }
}

/// `optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)`:
/// v ← ρv + (1 − ρ)g², Δ = √(u + ε)/√(v + ε)·g, u ← ρu + (1 − ρ)Δ², p ← p − lr·Δ.
public final class Adadelta: Optimizer {
    public let rho: Double, eps: Double, weightDecay: Double
    private var squareAvg: [[Float]], accDelta: [[Float]]

    public init(_ params: [Tensor], lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6, weightDecay: Double = 0) throws {
        guard rho >= 0, rho <= 1 else { throw EngineError.value("Adadelta: invalid rho value: \(rho)") }
        try checkNonNegative("Adadelta", "epsilon", eps)
        try checkNonNegative("Adadelta", "weight_decay", weightDecay)
        self.rho = rho; self.eps = eps; self.weightDecay = weightDecay
        squareAvg = []; accDelta = []
        try super.init(params, lr: lr, name: "Adadelta")
        squareAvg = stateBuffers(); accDelta = stateBuffers()
    }

    public override func update(_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let r = Float(rho), e = Float(eps), wd = Float(weightDecay), lr = Float(self.lr)
        squareAvg[index].withUnsafeMutableBufferPointer { v in
            accDelta[index].withUnsafeMutableBufferPointer { u in
                for i in 0..<p.count {
                    let gi = g[i] + wd * p[i]
                    v[i] = r * v[i] + (1 - r) * gi * gi
                    let delta = (u[i] + e).squareRoot() / (v[i] + e).squareRoot() * gi
                    u[i] = r * u[i] + (1 - r) * delta * delta
                    p[i] -= lr * delta
                }
            }
        }
    }
}

/// `optim.RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)`:
/// v ← αv + (1 − α)g²; centered: ḡ ← αḡ + (1 − α)g, d = √(v − ḡ²) + ε, else d = √v + ε;
/// momentum: b ← μb + g/d, p ← p − lr·b; else p ← p − lr·g/d.
public final class RMSprop: Optimizer {
    public let alpha: Double, eps: Double, weightDecay: Double, momentum: Double, centered: Bool
    private var squareAvg: [[Float]], gradAvg: [[Float]], buffers: [[Float]]

    public init(_ params: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) throws {
        try checkNonNegative("RMSprop", "alpha", alpha)
        try checkNonNegative("RMSprop", "epsilon", eps)
        try checkNonNegative("RMSprop", "momentum", momentum)
        try checkNonNegative("RMSprop", "weight_decay", weightDecay)
        self.alpha = alpha; self.eps = eps; self.weightDecay = weightDecay; self.momentum = momentum; self.centered = centered
        squareAvg = []; gradAvg = []; buffers = []
        try super.init(params, lr: lr, name: "RMSprop")
        squareAvg = stateBuffers()
        if centered { gradAvg = stateBuffers() }
        if momentum > 0 { buffers = stateBuffers() }
    }

    public override func update(_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let a = Float(alpha), e = Float(eps), wd = Float(weightDecay), mu = Float(momentum), lr = Float(self.lr)
        let n = p.count
        var avg = [Float](repeating: 0, count: n)
        var gi = [Float](repeating: 0, count: n)
        squareAvg[index].withUnsafeMutableBufferPointer { v in
            for i in 0..<n {
                gi[i] = g[i] + wd * p[i]
                v[i] = a * v[i] + (1 - a) * gi[i] * gi[i]
                avg[i] = v[i]
            }
        }
        if centered {
            gradAvg[index].withUnsafeMutableBufferPointer { ga in
                for i in 0..<n { ga[i] = a * ga[i] + (1 - a) * gi[i]; avg[i] -= ga[i] * ga[i] }
            }
        }
        for i in 0..<n { avg[i] = avg[i].squareRoot() + e }
        if momentum > 0 {
            buffers[index].withUnsafeMutableBufferPointer { b in
                for i in 0..<n { b[i] = mu * b[i] + gi[i] / avg[i]; p[i] -= lr * b[i] }
            }
        } else {
            for i in 0..<n { p[i] -= lr * gi[i] / avg[i] }
        }
    }
}
