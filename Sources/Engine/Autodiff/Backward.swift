extension Tensor {
    /// Reverse-mode differentiation from this tensor: accumulates d(self)/d(leaf) into every leaf's
    /// `.grad`, then frees the graph unless `retainGraph`. A non-scalar needs `gradient` (same shape).
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        guard requiresGrad else {
            throw EngineError.runtime("backward: this tensor does not require grad and has no grad_fn; create inputs with requiresGrad (requires_grad=True)")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw EngineError.shape("backward: gradient of shape \(describe(gradient.shape)) does not match tensor of shape \(describe(shape))")
            }
            seed = try gradient.to(.float32).contiguousCopy()
        } else {
            guard count == 1 else {
                throw EngineError.runtime("backward: grad can be implicitly created only for scalar outputs; this tensor has shape \(describe(shape)), so pass gradient=")
            }
            seed = try Tensor.full(shape, 1)
        }
        try withNoGrad {
            guard let root = gradFn else {
                try Tensor.accumulate(seed, into: self)
                return
            }
            let order = Tensor.topologicalOrder(from: root)
            var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
            for node in order {
                if Interruption.isRequested { throw Interrupted() }
                guard let g = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
                let grads = try node.applyBackward(g)
                for (input, grad) in zip(node.inputs, grads) {
                    guard let input, let grad else { continue }
                    if let producer = input.gradFn {
                        let key = ObjectIdentifier(producer)
                        if let existing = pending[key] { pending[key] = try existing.add(grad) } else { pending[key] = grad }
                    } else {
                        try Tensor.accumulate(grad, into: input)
                    }
                }
            }
            if !retainGraph { for node in order { node.release() } }
        }
    }

    /// Adds `grad` into a leaf's `.grad` (a fresh tensor, never aliasing graph buffers).
    static func accumulate(_ grad: Tensor, into leaf: Tensor) throws {
        guard grad.shape == leaf.shape else {
            throw EngineError.runtime("backward: internal gradient shape \(describe(grad.shape)) does not match leaf shape \(describe(leaf.shape))")
        }
        if let existing = leaf.grad {
            leaf.grad = try existing.add(grad)
        } else {
            leaf.grad = try grad.contiguousCopy()
        }
    }

    /// Nodes reachable from `root`, each before all the nodes it depends on (iterative DFS, so deep
    /// graphs such as long RNN unrolls do not overflow the stack).
    static func topologicalOrder(from root: Node) -> [Node] {
        var visited = Set<ObjectIdentifier>()
        var postOrder: [Node] = []
        var stack: [(node: Node, nextInput: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let top = stack.last {
            let inputs = top.node.inputs
            if top.nextInput < inputs.count {
                stack[stack.count - 1].nextInput += 1
                if let producer = inputs[top.nextInput]?.gradFn, visited.insert(ObjectIdentifier(producer)).inserted {
                    stack.append((producer, 0))
                }
            } else {
                postOrder.append(top.node)
                stack.removeLast()
            }
        }
        return postOrder.reversed()
    }

    /// A new tensor sharing storage, cut from the graph (`.detach()`).
    public func detach() -> Tensor {
        alias(shape: shape, strides: strides, offset: offset)
    }

    /// Sets whether this leaf records ops (`.requires_grad_()`); only float leaves can require grad.
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) throws -> Tensor {
        guard isLeaf else {
            throw EngineError.runtime("requires_grad_: only leaf tensors can change requires_grad; use .detach() first")
        }
        guard !flag || dtype == .float32 else {
            throw EngineError.runtime("requires_grad_: only floating point tensors can require gradients, this one is \(dtype)")
        }
        requiresGrad = flag
        return self
    }

    /// Checks that an in-place write to this tensor is allowed (PyTorch's leaf rule), then bumps the
    /// storage version so nodes that saved it detect the change.
    func prepareInPlace(_ op: String) throws {
        if GradMode.isEnabled && requiresGrad {
            if isLeaf {
                throw EngineError.runtime("\(op): a leaf tensor that requires grad is being used in an in-place operation; wrap it in no_grad() (as optimizers do)")
            }
            throw EngineError.runtime("\(op): in-place operations on tensors that are part of a recorded graph are not supported; use the out-of-place form")
        }
        storage.bumpVersion()
    }
}
