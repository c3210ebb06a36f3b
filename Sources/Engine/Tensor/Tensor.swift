/// An n-dimensional array of float32, int64 or bool with reference semantics, like `torch.Tensor`.
///
/// Views (reshape, transpose, slicing, …) share `storage` and differ in `shape`, `strides` and `offset`.
/// A tensor that requires grad and was made by an op carries `gradFn`, the node that knows its backward.
public final class Tensor {
    public let storage: Storage
    public let dtype: DType
    public let shape: [Int]
    /// Element strides (not bytes) per dimension.
    public let strides: [Int]
    /// Element offset of the first element in `storage`.
    public let offset: Int
    /// Number of elements.
    public let count: Int

    /// Whether ops on this tensor are recorded for `backward()`.
    public internal(set) var requiresGrad = false
    /// The accumulated gradient of a leaf after `backward()`.
    public var grad: Tensor?
    /// The node that made this tensor, when it was made by a recorded op.
    public internal(set) var gradFn: Node?

    init(storage: Storage, dtype: DType, shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.offset = offset
        var n = 1
        for d in shape { n &*= d }
        self.count = n
    }

    /// A new zero-filled contiguous tensor.
    convenience init(zeros shape: [Int], dtype: DType = .float32, op: String = "tensor") throws {
        try self.init(shape: shape, dtype: dtype, zeroed: true, op: op)
    }

    /// A new contiguous tensor whose contents the caller overwrites entirely before anyone reads it.
    convenience init(uninitialized shape: [Int], dtype: DType = .float32, op: String = "tensor") throws {
        try self.init(shape: shape, dtype: dtype, zeroed: false, op: op)
    }

    private convenience init(shape: [Int], dtype: DType, zeroed: Bool, op: String) throws {
        let n = try Shapes.count(shape, op: op)
        let (bytes, o) = n.multipliedReportingOverflow(by: dtype.itemSize)
        guard !o else { throw EngineError.memory("\(op): shape \(describe(shape)) is too large") }
        self.init(storage: try Storage(byteCount: bytes, zeroed: zeroed), dtype: dtype, shape: shape,
                  strides: Shapes.contiguousStrides(shape), offset: 0)
    }

    /// A contiguous float32 tensor holding `values` (row-major) with `shape`.
    public convenience init(_ values: [Float], shape: [Int]) throws {
        guard try Shapes.count(shape) == values.count else {
            throw EngineError.shape("tensor: \(values.count) values do not fill shape \(describe(shape))")
        }
        try self.init(zeros: shape, dtype: .float32)
        values.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.floats().update(from: b, count: values.count) }
        }
    }

    /// A contiguous int64 tensor holding `values` with `shape`.
    public convenience init(_ values: [Int64], shape: [Int]) throws {
        guard try Shapes.count(shape) == values.count else {
            throw EngineError.shape("tensor: \(values.count) values do not fill shape \(describe(shape))")
        }
        try self.init(zeros: shape, dtype: .int64)
        for (i, v) in values.enumerated() { storage.ints()[i] = v }
    }

    /// A contiguous bool tensor holding `values` with `shape`.
    public convenience init(_ values: [Bool], shape: [Int]) throws {
        guard try Shapes.count(shape) == values.count else {
            throw EngineError.shape("tensor: \(values.count) values do not fill shape \(describe(shape))")
        }
        try self.init(zeros: shape, dtype: .bool)
        for (i, v) in values.enumerated() { storage.bools()[i] = v }
    }

    /// A 0-d float32 tensor.
    public convenience init(scalar: Float) {
        let s = Storage(scalarBytes: 4)
        s.floats()[0] = scalar
        self.init(storage: s, dtype: .float32, shape: [], strides: [], offset: 0)
    }

    /// A 0-d int64 tensor.
    public convenience init(scalar: Int64) {
        let s = Storage(scalarBytes: 8)
        s.ints()[0] = scalar
        self.init(storage: s, dtype: .int64, shape: [], strides: [], offset: 0)
    }

    /// A 0-d bool tensor.
    public convenience init(scalar: Bool) {
        let s = Storage(scalarBytes: 1)
        s.bools()[0] = scalar
        self.init(storage: s, dtype: .bool, shape: [], strides: [], offset: 0)
    }

    public var ndim: Int { shape.count }
    /// Leaves are tensors not made by a recorded op (user-created or detached).
    public var isLeaf: Bool { gradFn == nil }

    /// True when elements are laid out row-major without gaps.
    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected &*= shape[i]
        }
        return true
    }

    /// A view of the same storage with another shape/strides (autodiff is the caller's business).
    func alias(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, dtype: dtype, shape: shape, strides: strides, offset: offset)
    }

    /// Calls `body` with the storage offset of every element in row-major logical order.
    @inline(__always)
    func forEachOffset(_ body: (Int) -> Void) {
        if count == 0 { return }
        if isContiguous {
            for i in 0..<count { body(offset + i) }
            return
        }
        let nd = shape.count
        let inner = shape[nd - 1], innerStride = strides[nd - 1]
        var index = [Int](repeating: 0, count: nd)
        var base = offset
        while true {
            var o = base
            for _ in 0..<inner { body(o); o += innerStride }
            var d = nd - 2
            while d >= 0 {
                index[d] += 1
                base += strides[d]
                if index[d] < shape[d] { break }
                base -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// Element values converted to Float, row-major.
    public func floatArray() -> [Float] {
        var out = [Float](); out.reserveCapacity(count)
        switch dtype {
        case .float32: let p = storage.floats(); forEachOffset { out.append(p[$0]) }
        case .int64: let p = storage.ints(); forEachOffset { out.append(Float(p[$0])) }
        case .bool: let p = storage.bools(); forEachOffset { out.append(p[$0] ? 1 : 0) }
        }
        return out
    }

    /// Element values converted to Int64 (floats truncate toward zero), row-major.
    public func int64Array() -> [Int64] {
        var out = [Int64](); out.reserveCapacity(count)
        switch dtype {
        case .float32:
            let p = storage.floats()
            forEachOffset { o in
                let v = p[o]
                out.append(v.isFinite && Swift.abs(v) < 9.2e18 ? Int64(v) : 0)
            }
        case .int64: let p = storage.ints(); forEachOffset { out.append(p[$0]) }
        case .bool: let p = storage.bools(); forEachOffset { out.append(p[$0] ? 1 : 0) }
        }
        return out
    }

    /// Element values as Bool (nonzero is true), row-major.
    public func boolArray() -> [Bool] {
        var out = [Bool](); out.reserveCapacity(count)
        switch dtype {
        case .float32: let p = storage.floats(); forEachOffset { out.append(p[$0] != 0) }
        case .int64: let p = storage.ints(); forEachOffset { out.append(p[$0] != 0) }
        case .bool: let p = storage.bools(); forEachOffset { out.append(p[$0]) }
        }
        return out
    }

    /// Element values as Double, row-major (for printing, fixtures and scalars).
    public func doubleArray() -> [Double] {
        switch dtype {
        case .float32: return floatArray().map(Double.init)
        case .int64: return int64Array().map(Double.init)
        case .bool: return boolArray().map { $0 ? 1 : 0 }
        }
    }

    /// Calls `body` with the elements as one contiguous float buffer, copying only when needed.
    @inline(__always)
    func withFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        if dtype == .float32 && isContiguous {
            return try body(UnsafeBufferPointer(start: storage.floats() + offset, count: count))
        }
        let copy = floatArray()
        return try copy.withUnsafeBufferPointer(body)
    }

    /// The contiguous float buffer of a tensor this module just created.
    @inline(__always) var mutableFloats: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: storage.floats() + offset, count: count)
    }

    /// The single value of a one-element tensor, like `.item()`.
    public func item() throws -> Double {
        guard count == 1 else {
            throw EngineError.value("item: a Tensor with \(count) elements cannot be converted to a scalar")
        }
        switch dtype {
        case .float32: return Double(storage.floats()[offset])
        case .int64: return Double(storage.ints()[offset])
        case .bool: return storage.bools()[offset] ? 1 : 0
        }
    }

    /// The single value of a one-element int64/bool tensor without going through Double (exact for
    /// every int64); float values truncate toward zero.
    public func itemInt() throws -> Int64 {
        guard count == 1 else {
            throw EngineError.value("item: a Tensor with \(count) elements cannot be converted to a scalar")
        }
        return int64Array()[0]
    }

    /// Builds a contiguous tensor of `dtype` from row-major doubles (used by conversions).
    static func make(_ values: [Double], shape: [Int], dtype: DType) throws -> Tensor {
        let t = try Tensor(zeros: shape, dtype: dtype)
        switch dtype {
        case .float32: let p = t.storage.floats(); for (i, v) in values.enumerated() { p[i] = Float(v) }
        case .int64:
            let p = t.storage.ints()
            for (i, v) in values.enumerated() { p[i] = v.isFinite && Swift.abs(v) < 9.2e18 ? Int64(v) : 0 }
        case .bool: let p = t.storage.bools(); for (i, v) in values.enumerated() { p[i] = v != 0 }
        }
        return t
    }
}

