/// `optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1)`: lr = lr₀·γ^⌊epoch / step_size⌋.
public final class StepLR {
    public let optimizer: Optimizer
    public let stepSize: Int, gamma: Double
    /// Epochs counted so far (`last_epoch`).
    public private(set) var lastEpoch = 0

    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize > 0 else { throw EngineError.value("StepLR: step_size must be a positive integer, got \(stepSize)") }
        self.optimizer = optimizer; self.stepSize = stepSize; self.gamma = gamma
    }

    /// Advances one epoch and sets the optimiser's learning rate.
    public func step() {
        lastEpoch += 1
        optimizer.lr = optimizer.initialLr * Foundationless.pow(gamma, Double(lastEpoch / stepSize))
    }

    /// The learning rate now in use (`get_last_lr()[0]`).
    public var lastLr: Double { optimizer.lr }
}

/// `optim.lr_scheduler.ExponentialLR(optimizer, gamma)`: lr = lr₀·γ^epoch.
public final class ExponentialLR {
    public let optimizer: Optimizer
    public let gamma: Double
    public private(set) var lastEpoch = 0

    public init(_ optimizer: Optimizer, gamma: Double) {
        self.optimizer = optimizer; self.gamma = gamma
    }

    /// Advances one epoch and sets the optimiser's learning rate.
    public func step() {
        lastEpoch += 1
        optimizer.lr = optimizer.initialLr * Foundationless.pow(gamma, Double(lastEpoch))
    }

    public var lastLr: Double { optimizer.lr }
}

/// `nn.utils.clip_grad_norm_(params, max_norm, norm_type=2)`: scales all gradients by
/// max_norm / (total + 1e-6) when that is below 1; returns the total norm before clipping.
@discardableResult
public func clipGradNorm_(_ params: [Tensor], maxNorm: Double, normType: Double = 2) throws -> Double {
    guard normType > 0 else { throw EngineError.value("clip_grad_norm_: norm_type must be positive (or infinity), got \(normType)") }
    let grads = params.compactMap(\.grad)
    var total = 0.0
    if normType.isInfinite {
        for g in grads { for v in g.floatArray() { total = Swift.max(total, Double(Swift.abs(v))) } }
    } else {
        for g in grads { for v in g.floatArray() { total += Foundationless.pow(Double(Swift.abs(v)), normType) } }
        total = Foundationless.pow(total, 1 / normType)
    }
    let coef = maxNorm / (total + 1e-6)
    if coef < 1 {
        for p in params {
            guard let g = p.grad else { continue }
            let scaled = try g.contiguousCopy()
            let s = scaled.storage.floats(), c = Float(coef)
            for i in 0..<scaled.count { s[i] *= c }
            p.grad = scaled
        }
    }
    return total
}
