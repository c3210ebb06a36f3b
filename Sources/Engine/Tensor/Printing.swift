#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// C-style formatting (`%.4f`, `%.4e`) without Foundation.
func cFormat(_ format: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let n = withVaList([value]) { args in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, format, args) }
    }
    guard n >= 0 else { return String(value) }
    return String(decoding: buffer.prefix(Swift.min(Int(n), 63)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// PyTorch's `_Formatter`: picks integer, fixed (4 decimals) or scientific mode from the values shown,
/// and right-aligns every element to a common width.
struct ElementFormatter {
    let dtype: DType
    private(set) var intMode = true
    private(set) var sciMode = false
    private(set) var width = 1

    init(dtype: DType, values: [Double]) {
        self.dtype = dtype
        guard dtype == .float32 else {
            for v in values { width = Swift.max(width, ElementFormatter.plain(v, dtype).count) }
            return
        }
        let finite = values.filter { $0.isFinite && $0 != 0 }
        guard !finite.isEmpty else { return }
        let magnitudes = finite.map { Swift.abs($0) }
        let lo = magnitudes.min() ?? 1, hi = magnitudes.max() ?? 1
        intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
        if intMode {
            if hi / lo > 1000 || hi > 1e8 {
                sciMode = true
                for v in finite { width = Swift.max(width, cFormat("%.4e", v).count) }
            } else {
                for v in finite { width = Swift.max(width, cFormat("%.0f", v).count + 1) }
            }
        } else if hi / lo > 1000 || hi > 1e8 || lo < 1e-4 {
            sciMode = true
            for v in finite { width = Swift.max(width, cFormat("%.4e", v).count) }
        } else {
            for v in finite { width = Swift.max(width, cFormat("%.4f", v).count) }
        }
    }

    static func plain(_ v: Double, _ dtype: DType) -> String {
        switch dtype {
        case .bool: return v != 0 ? "True" : "False"
        case .int64: return String(Int64(v))
        case .float32: return String(v)
        }
    }

    /// One element, padded on the left to the common width.
    func format(_ v: Double) -> String {
        var s: String
        if dtype != .float32 {
            s = ElementFormatter.plain(v, dtype)
        } else if v.isNaN {
            s = "nan"
        } else if v.isInfinite {
            s = v < 0 ? "-inf" : "inf"
        } else if sciMode {
            s = cFormat("%.4e", v)
        } else if intMode {
            s = cFormat("%.0f", v) + "."
        } else {
            s = cFormat("%.4f", v)
        }
        if s.count < width { s = String(repeating: " ", count: width - s.count) + s }
        return s
    }
}

extension Tensor {
    static let printThreshold = 1000, edgeItems = 3, lineWidth = 80

    /// Visits the indices of dim `d` that are shown (edges only when summarising).
    private func shownIndices(_ size: Int, _ summarize: Bool) -> [Int?] {
        if summarize && size > 2 * Tensor.edgeItems {
            return Array(0..<Tensor.edgeItems).map { Optional($0) } + [nil] + Array((size - Tensor.edgeItems)..<size).map { Optional($0) }
        }
        return Array(0..<size).map { Optional($0) }
    }

    private func value(at off: Int) -> Double {
        switch dtype {
        case .float32: return Double(storage.floats()[off])
        case .int64: return Double(storage.ints()[off])
        case .bool: return storage.bools()[off] ? 1 : 0
        }
    }

    /// The values that will be displayed, in order (for the formatter).
    private func shownValues(_ summarize: Bool) -> [Double] {
        var out: [Double] = []
        func walk(_ d: Int, _ off: Int) {
            if d == ndim { out.append(value(at: off)); return }
            for i in shownIndices(shape[d], summarize) { if let i { walk(d + 1, off + i * strides[d]) } }
        }
        walk(0, offset)
        return out
    }

    private func body(_ d: Int, _ off: Int, _ indent: Int, _ summarize: Bool, _ f: ElementFormatter) -> String {
        if ndim == 0 { return f.format(value(at: off)) }
        let pad = String(repeating: " ", count: indent + 1)
        if d == ndim - 1 {
            let perLine = Swift.max(1, (Tensor.lineWidth - indent) / (f.width + 2))
            let items = shownIndices(shape[d], summarize).map { i in i.map { f.format(value(at: off + $0 * strides[d])) } ?? " ..." }
            var lines: [String] = []
            var start = 0
            while start < items.count {
                lines.append(items[start..<Swift.min(start + perLine, items.count)].joined(separator: ", "))
                start += perLine
            }
            return "[" + lines.joined(separator: ",\n" + pad) + "]"
        }
        let slices = shownIndices(shape[d], summarize).map { i in
            i.map { body(d + 1, off + $0 * strides[d], indent + 1, summarize, f) } ?? "..."
        }
        let separator = "," + String(repeating: "\n", count: ndim - d - 1) + pad
        return "[" + slices.joined(separator: separator) + "]"
    }

    /// PyTorch's `repr`: `tensor([[0.1000, 0.2000]], requires_grad=True)`.
    public var text: String {
        let prefix = "tensor("
        var suffixes: [String] = []
        var content: String
        if count == 0 {
            if ndim != 1 { suffixes.append("size=(" + shape.map(String.init).joined(separator: ", ") + (ndim == 1 ? ",)" : ")")) }
            if dtype != .float32 { suffixes.append("dtype=\(dtype)") }
            content = "[]"
        } else {
            let summarize = count > Tensor.printThreshold
            let f = ElementFormatter(dtype: dtype, values: shownValues(summarize))
            content = body(0, offset, prefix.count, summarize, f)
        }
        if let fn = gradFn { suffixes.append("grad_fn=<\(fn.name)>") } else if requiresGrad { suffixes.append("requires_grad=True") }
        var result = prefix + content
        var lastLine = result.count - (result.lastIndex(of: "\n").map { result.distance(from: result.startIndex, to: $0) } ?? -1) + 1
        for s in suffixes {
            if lastLine + s.count + 2 > Tensor.lineWidth {
                result += ",\n" + String(repeating: " ", count: prefix.count) + s
                lastLine = prefix.count + s.count
            } else {
                result += ", " + s
                lastLine += s.count + 2
            }
        }
        return result + ")"
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { text }
}
