/// A nested literal as the language hands it over: `tensor([[1, 2], [3, 4]])`.
public indirect enum TensorLiteral: Equatable {
    case float(Double)
    case int(Int64)
    case bool(Bool)
    case list([TensorLiteral])
}

extension Tensor {
    /// `tensor(data)`: infers float32 if any float, else int64 if any int, else bool (like PyTorch).
    public static func from(_ literal: TensorLiteral, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        var shape: [Int] = []
        var probe = literal
        while case .list(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Double] = []
        var sawFloat = false, sawInt = false
        func walk(_ v: TensorLiteral, depth: Int) throws {
            switch v {
            case .list(let items):
                guard depth < shape.count, items.count == shape[depth] else {
                    throw EngineError.value("tensor: expected sequence of length \(depth < shape.count ? shape[depth] : 0) at dim \(depth) (got \(items.count))")
                }
                for item in items { try walk(item, depth: depth + 1) }
            case .float(let x):
                guard depth == shape.count else { throw EngineError.value("tensor: expected a sequence at dim \(depth), got a number") }
                sawFloat = true; values.append(x)
            case .int(let x):
                guard depth == shape.count else { throw EngineError.value("tensor: expected a sequence at dim \(depth), got a number") }
                sawInt = true; values.append(Double(x))
            case .bool(let x):
                guard depth == shape.count else { throw EngineError.value("tensor: expected a sequence at dim \(depth), got a bool") }
                values.append(x ? 1 : 0)
            }
        }
        try walk(literal, depth: 0)
        let inferred: DType = sawFloat || values.isEmpty ? .float32 : (sawInt ? .int64 : .bool)
        let target = dtype ?? inferred
        let t: Tensor
        if target == .int64 && !sawFloat {
            // Keep int64 exact (doubles lose precision past 2^53).
            var ints: [Int64] = []
            func collect(_ v: TensorLiteral) {
                switch v {
                case .list(let items): items.forEach(collect)
                case .int(let x): ints.append(x)
                case .bool(let b): ints.append(b ? 1 : 0)
                case .float(let x): ints.append(Int64(x))
                }
            }
            collect(literal)
            t = try Tensor(ints, shape: shape)
        } else {
            t = try make(values, shape: shape, dtype: target)
        }
        if requiresGrad { try t.requiresGrad_(true) }
        return t
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(zeros: shape, dtype: dtype, op: "full")
        if value != 0 { t.fillRaw(value) }
        return t
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try Tensor(zeros: shape, dtype: dtype, op: "zeros")
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try full(shape, 1, dtype: dtype)
    }

    public static func zerosLike(_ t: Tensor) throws -> Tensor { try zeros(t.shape, dtype: t.dtype) }
    public static func onesLike(_ t: Tensor) throws -> Tensor { try ones(t.shape, dtype: t.dtype) }
    public static func fullLike(_ t: Tensor, _ value: Double) throws -> Tensor { try full(t.shape, value, dtype: t.dtype) }
    public static func randnLike(_ t: Tensor) throws -> Tensor { try randn(t.shape) }
    public static func randLike(_ t: Tensor) throws -> Tensor { try rand(t.shape) }

    /// The n×m identity (m defaults to n).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
        let cols = m ?? n
        let t = try Tensor(zeros: [n, cols], dtype: dtype, op: "eye")
        for i in 0..<Swift.min(n, cols) { t.setRaw(i * cols + i, 1) }
        return t
    }

    /// `arange(start, end, step)`: int64 when all arguments are integral, else float32.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType? = nil) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw EngineError.value("arange: step must be nonzero and bounds finite")
        }
        let steps = ((end - start) / step).rounded(.up)
        guard steps < 1e15 else { throw EngineError.memory("arange: \(steps) elements are too many") }
        let n = Swift.max(0, Int(steps))
        let integral = start == start.rounded() && step == step.rounded()
        let t = try Tensor(zeros: [n], dtype: dtype ?? (integral ? .int64 : .float32), op: "arange")
        for i in 0..<n { t.setRaw(i, start + Double(i) * step) }
        return t
    }

    /// `steps` evenly spaced float32 values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, steps: Int) throws -> Tensor {
        guard steps >= 0 else { throw EngineError.value("linspace: number of steps must be non-negative, got \(steps)") }
        let t = try Tensor(zeros: [steps], op: "linspace")
        let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
        let p = t.storage.floats()
        for i in 0..<steps {
            // Fill from both ends like PyTorch so the last value is exactly `end`.
            p[i] = Float(i < steps / 2 ? start + step * Double(i) : end - step * Double(steps - 1 - i))
        }
        return t
    }

    /// Uniform [0, 1) float32 from the shared generator.
    public static func rand(_ shape: [Int], generator: RandomGenerator = .shared) throws -> Tensor {
        let t = try Tensor(zeros: shape, op: "rand")
        let p = t.storage.floats()
        for i in 0..<t.count { p[i] = generator.nextFloat() }
        return t
    }

    /// Standard normal float32 from the shared generator.
    public static func randn(_ shape: [Int], generator: RandomGenerator = .shared) throws -> Tensor {
        let t = try Tensor(zeros: shape, op: "randn")
        let p = t.storage.floats()
        for i in 0..<t.count { p[i] = Float(generator.nextNormal()) }
        return t
    }

    /// Uniform int64 in `low..<high`.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], generator: RandomGenerator = .shared) throws -> Tensor {
        guard high > low else { throw EngineError.value("randint: high (\(high)) must be greater than low (\(low))") }
        guard !high.subtractingReportingOverflow(low).overflow else {
            throw EngineError.value("randint: the range \(low)..<\(high) is too wide")
        }
        let t = try Tensor(zeros: shape, dtype: .int64, op: "randint")
        let p = t.storage.ints()
        for i in 0..<t.count { p[i] = Int64(generator.nextInt(in: low..<high)) }
        return t
    }

    /// Writes `value` into storage slot `i` of a contiguous tensor made here (no checks, no version).
    func setRaw(_ i: Int, _ value: Double) {
        switch dtype {
        case .float32: storage.floats()[offset + i] = Float(value)
        case .int64: storage.ints()[offset + i] = value.isFinite && Swift.abs(value) < 9.2e18 ? Int64(value) : 0
        case .bool: storage.bools()[offset + i] = value != 0
        }
    }

    /// Fills every element (through the strides) with `value`.
    func fillRaw(_ value: Double) {
        switch dtype {
        case .float32: let p = storage.floats(), v = Float(value); forEachOffset { p[$0] = v }
        case .int64:
            let p = storage.ints(), v: Int64 = value.isFinite && Swift.abs(value) < 9.2e18 ? Int64(value) : 0
            forEachOffset { p[$0] = v }
        case .bool: let p = storage.bools(), v = value != 0; forEachOffset { p[$0] = v }
        }
    }

    /// A contiguous copy with the same dtype, not recorded.
    func contiguousCopy() throws -> Tensor {
        let out = try Tensor(uninitialized: shape, dtype: dtype)  // every element is written below
        switch dtype {
        case .float32:
            let src = storage.floats(), dst = out.storage.floats()
            if isContiguous { dst.update(from: src + offset, count: count) } else {
                var i = 0; forEachOffset { dst[i] = src[$0]; i += 1 }
            }
        case .int64: let src = storage.ints(), dst = out.storage.ints(); var i = 0; forEachOffset { dst[i] = src[$0]; i += 1 }
        case .bool: let src = storage.bools(), dst = out.storage.bools(); var i = 0; forEachOffset { dst[i] = src[$0]; i += 1 }
        }
        return out
    }

    /// This tensor converted to `dtype` (self when it already is). Gradients flow through float→float.
    public func to(_ dtype: DType) throws -> Tensor {
        if dtype == self.dtype { return self }
        let out: Tensor
        switch dtype {
        case .float32: out = try Tensor(floatArray(), shape: shape)
        case .int64: out = try Tensor(int64Array(), shape: shape)
        case .bool: out = try Tensor(boolArray(), shape: shape)
        }
        return out
    }

    /// A copy that stays in the graph (`.clone()`).
    public func clone() throws -> Tensor {
        let out = try contiguousCopy()
        return Tensor.record(out, "CloneBackward0", [self]) { g in [g] }
    }

    /// Self when contiguous, else a recorded contiguous copy (`.contiguous()`).
    public func contiguous() throws -> Tensor {
        isContiguous ? self : try clone()
    }

    /// Fills with `value` in place (`.fill_`).
    @discardableResult
    public func fill_(_ value: Double) throws -> Tensor {
        try prepareInPlace("fill_")
        fillRaw(value)
        return self
    }

    /// Zeroes in place (`.zero_`).
    @discardableResult
    public func zero_() throws -> Tensor { try fill_(0) }

    /// Copies `source` (broadcast to this shape) into this tensor in place (`.copy_`).
    @discardableResult
    public func copy_(_ source: Tensor) throws -> Tensor {
        try prepareInPlace("copy_")
        let src = try source.expand(shape).to(dtype)
        switch dtype {
        case .float32: let v = src.floatArray(), p = storage.floats(); var i = 0; forEachOffset { p[$0] = v[i]; i += 1 }
        case .int64: let v = src.int64Array(), p = storage.ints(); var i = 0; forEachOffset { p[$0] = v[i]; i += 1 }
        case .bool: let v = src.boolArray(), p = storage.bools(); var i = 0; forEachOffset { p[$0] = v[i]; i += 1 }
        }
        return self
    }

    /// Nested Swift arrays/values like `.tolist()`: Double, Int64 or Bool leaves in nested [Any].
    public func tolist() -> Any {
        func build(_ dim: Int, _ off: Int) -> Any {
            if dim == shape.count {
                switch dtype {
                case .float32: return Double(storage.floats()[off])
                case .int64: return storage.ints()[off]
                case .bool: return storage.bools()[off]
                }
            }
            return (0..<shape[dim]).map { build(dim + 1, off + $0 * strides[dim]) }
        }
        return build(0, offset)
    }
}
