/// The base of every optimiser (`torch.optim.Optimizer` with one parameter group).
///
/// Updates run outside the graph on the parameters' float buffers; a parameter without a gradient
/// is skipped, as in PyTorch. Subclasses implement `update(_:_:_:)` per parameter.
open class Optimizer {
    /// The parameters being optimised, in the order given.
    public let params: [Tensor]
    /// The current learning rate (schedulers change it).
    public var lr: Double
    /// The learning rate the optimiser was made with (schedulers scale from it).
    public let initialLr: Double
    /// Per-parameter step counts (PyTorch's `state[p]['step']`).
    public private(set) var steps: [Int]

    public init(_ params: [Tensor], lr: Double, name: String) throws {
        guard !params.isEmpty else { throw EngineError.value("\(name): optimizer got an empty parameter list") }
        guard lr >= 0, lr.isFinite else { throw EngineError.value("\(name): invalid learning rate: \(lr)") }
        for p in params {
            guard p.dtype == .float32, p.isLeaf else {
                throw EngineError.value("\(name): can only optimize leaf float tensors (parameters), got a \(p.isLeaf ? "\(p.dtype)" : "non-leaf") tensor")
            }
            guard p.isContiguous else { throw EngineError.value("\(name): parameters must be contiguous tensors") }
        }
        self.params = params
        self.lr = lr
        self.initialLr = lr
        self.steps = Array(repeating: 0, count: params.count)
    }

    /// One update of every parameter that has a gradient (`optimizer.step()`).
    public func step() throws {
        for (i, p) in params.enumerated() {
            guard let g = p.grad else { continue }
            guard g.shape == p.shape else {
                throw EngineError.shape("optimizer: gradient of shape \(describe(g.shape)) does not match parameter of shape \(describe(p.shape))")
            }
            steps[i] += 1
            let grad = try g.dtype == .float32 && g.isContiguous ? g : g.to(.float32).contiguousCopy()
            let gp = UnsafeBufferPointer(start: grad.storage.floats() + grad.offset, count: grad.count)
            let pp = UnsafeMutableBufferPointer(start: p.storage.floats() + p.offset, count: p.count)
            update(i, pp, gp)
            p.storage.bumpVersion()
        }
    }

    /// Clears the gradients (`optimizer.zero_grad()`, set_to_none=True).
    public func zeroGrad() { for p in params { p.grad = nil } }

    /// Applies one update to parameter `index` given its gradient; `steps[index]` is already counted.
    open func update(_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {}

    /// Zeroed per-parameter state buffers, one per parameter.
    func stateBuffers() -> [[Float]] { params.map { [Float](repeating: 0, count: $0.count) } }
}

func checkNonNegative(_ name: String, _ what: String, _ v: Double) throws {
    guard v >= 0, v.isFinite else { throw EngineError.value("\(name): invalid \(what) value: \(v)") }
}
