/// What `gradcheck` found: the largest gap between analytical and numerical gradients.
public struct GradCheckReport: CustomStringConvertible {
    public let passed: Bool
    public let maxAbsoluteError: Double
    /// Which input and element disagreed most.
    public let worst: (input: Int, element: Int, analytical: Double, numerical: Double)?
    public var description: String {
        guard let w = worst else { return "gradcheck: no inputs require grad" }
        return "gradcheck \(passed ? "passed" : "FAILED"): max |analytical - numerical| = \(maxAbsoluteError) at input \(w.input) element \(w.element) (analytical \(w.analytical), numerical \(w.numerical))"
    }
}

/// Compares `backward()` gradients of `f` with central differences for every input that requires
/// grad (`torch.autograd.gradcheck`, in float32, so tolerances are loose). A non-scalar output is
/// reduced with a fixed random weighting so every output element is checked.
public func gradcheck(_ f: ([Tensor]) throws -> Tensor, _ inputs: [Tensor], eps: Double = 1e-3,
                      atol: Double = 1e-2, rtol: Double = 1e-2) throws -> GradCheckReport {
    let probe = try withNoGrad { try f(inputs) }
    let weights = try Tensor.rand(probe.shape, generator: RandomGenerator(seed: 99)).add(Tensor(scalar: Float(0.5)))
    func loss() throws -> Tensor { try f(inputs).to(.float32).mul(weights).sum() }

    let savedGrads = inputs.map(\.grad)
    defer { for (t, g) in zip(inputs, savedGrads) { t.grad = g } }
    for t in inputs { t.grad = nil }
    let l = try loss()
    if l.requiresGrad { try l.backward() }

    var maxError = 0.0
    var worst: (Int, Int, Double, Double)? = nil
    var passed = true
    for (k, t) in inputs.enumerated() where t.requiresGrad {
        let analytical = t.grad?.doubleArray() ?? [Double](repeating: 0, count: t.count)
        let offsets = t.offsets()
        let p = t.storage.floats()
        for (i, o) in offsets.enumerated() {
            if Interruption.isRequested { throw Interrupted() }
            let original = p[o]
            p[o] = original + Float(eps)
            let plus = try withNoGrad { try loss().item() }
            p[o] = original - Float(eps)
            let minus = try withNoGrad { try loss().item() }
            p[o] = original
            let numerical = (plus - minus) / (2 * eps)
            let error = Swift.abs(analytical[i] - numerical)
            if error > atol + rtol * Swift.abs(numerical) { passed = false }
            if worst == nil || error > maxError { maxError = error; worst = (k, i, analytical[i], numerical) }
        }
    }
    return GradCheckReport(passed: passed, maxAbsoluteError: maxError, worst: worst)
}
