/// `optim.SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False)`:
/// g ← g + λp; b ← μb + (1 − τ)g (b = g at the first step); g ← g + μb (nesterov) or b; p ← p − lr·g.
public final class SGD: Optimizer {
    public let momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool
    private var buffers: [[Float]]

    public init(_ params: [Tensor], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws {
        try checkNonNegative("SGD", "momentum", momentum)
        try checkNonNegative("SGD", "weight_decay", weightDecay)
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw EngineError.value("SGD: Nesterov momentum requires a momentum and zero dampening")
        }
        self.momentum = momentum; self.dampening = dampening; self.weightDecay = weightDecay; self.nesterov = nesterov
        buffers = []
        try super.init(params, lr: lr, name: "SGD")
        if momentum != 0 { buffers = stateBuffers() }
    }

    public override func update(_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let lr = Float(self.lr), wd = Float(weightDecay), mu = Float(momentum), damp = Float(1 - dampening)
        let first = steps[index] == 1
        if momentum == 0 {
            for i in 0..<p.count { p[i] -= lr * (g[i] + wd * p[i]) }
            return
        }
        buffers[index].withUnsafeMutableBufferPointer { b in
            for i in 0..<p.count {
                let d = g[i] + wd * p[i]
                b[i] = first ? d : mu * b[i] + damp * d
                p[i] -= lr * (nesterov ? d + mu * b[i] : b[i])
            }
        }
    }
}
