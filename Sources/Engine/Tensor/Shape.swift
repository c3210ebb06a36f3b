/// Shape arithmetic shared by creation, views and broadcasting.
enum Shapes {
    /// Number of elements, or a MemoryError/ValueError when a size is negative or the product overflows.
    static func count(_ shape: [Int], op: String = "tensor") throws -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw EngineError.value("\(op): negative dimension \(d) in shape \(describe(shape))") }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o else { throw EngineError.memory("\(op): shape \(describe(shape)) has too many elements") }
            n = p
        }
        return n
    }

    /// Row-major strides for `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc = acc &* max(shape[i], 1)
        }
        return strides
    }

    /// NumPy broadcasting of two shapes.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        if a == b { return a }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw EngineError.shape("\(op): shapes \(describe(a)) and \(describe(b)) cannot be broadcast together")
            }
        }
        return out
    }

    /// Normalises a possibly negative dimension index.
    static func dim(_ d: Int, _ ndim: Int, op: String) throws -> Int {
        let n = max(ndim, 1)
        guard d >= -n, d < n else {
            throw EngineError.index("\(op): dimension \(d) is out of range for a tensor with \(ndim) dimension\(ndim == 1 ? "" : "s")")
        }
        return d < 0 ? d + n : d
    }
}
