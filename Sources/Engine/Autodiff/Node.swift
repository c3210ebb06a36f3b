/// One recorded op in the dynamic tape: its inputs and a closure from the output's gradient to the
/// inputs' gradients (micrograd-style). Nodes point only backwards (to inputs), so no ARC cycles form;
/// `backward()` releases them, after which a second backward through them is an error.
public final class Node {
    /// PyTorch's name for the backward function, e.g. `AddBackward0`.
    public let name: String
    /// The op's tensor inputs; nil where an input does not require grad.
    private(set) var inputs: [Tensor?]
    private var backwardFn: ((Tensor) throws -> [Tensor?])?
    /// Storages the backward closure reads, with their versions when recorded.
    private var saved: [(storage: Storage, version: Int)]

    init(name: String, inputs: [Tensor?], saved: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.saved = saved.map { ($0.storage, $0.storage.version) }
        self.backwardFn = backward
    }

    /// True once `backward()` freed this node's saved state.
    public var isReleased: Bool { backwardFn == nil }

    /// The inputs' gradients given the output's gradient.
    func applyBackward(_ gradient: Tensor) throws -> [Tensor?] {
        guard let fn = backwardFn else {
            throw EngineError.runtime("backward: trying to backward through the graph a second time (\(name) was already freed); pass retainGraph: true to the first backward if you need to")
        }
        for s in saved where s.storage.version != s.version {
            throw EngineError.runtime("backward: a tensor needed by \(name) was modified by an in-place operation after it was used; use an out-of-place op (e.g. x = x + 1 instead of x += 1)")
        }
        return try fn(gradient)
    }

    /// Drops inputs, saved tensors and the closure so the graph's memory is freed.
    func release() {
        inputs = []
        saved = []
        backwardFn = nil
    }
}

extension Tensor {
    /// Attaches a node to `out` when grad mode is on and some input requires grad.
    /// `saving` lists tensors the closure reads (checked against in-place changes). The closure must
    /// not capture `out` itself (that would be a cycle): capture `out.detach()` instead.
    @inline(__always)
    @discardableResult
    static func record(_ out: Tensor, _ name: String, _ inputs: [Tensor], saving: [Tensor] = [],
                       _ backward: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return out }
        out.requiresGrad = true
        out.gradFn = Node(name: name, inputs: inputs.map { $0.requiresGrad ? $0 : nil },
                          saved: saving, backward: backward)
        return out
    }

    /// Whether recording would happen for an op on these inputs.
    @inline(__always)
    static func needsGrad(_ inputs: Tensor...) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }
}
