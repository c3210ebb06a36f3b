extension Tensor {
    /// An HTML rendering for Jupyter: a table for 0-, 1- and 2-D tensors (edges only when large),
    /// the text form in `<pre>` otherwise; a caption gives shape, dtype and grad state.
    public func htmlTable(maxRows: Int = 20, maxColumns: Int = 12) -> String {
        var caption = "tensor · shape (\(shape.map(String.init).joined(separator: ", "))) · \(dtype.rawValue)"
        if let fn = gradFn { caption += " · grad_fn=\(fn.name)" } else if requiresGrad { caption += " · requires_grad" }
        guard ndim <= 2, count > 0 else {
            return "<div><small>\(caption)</small><pre>\(text)</pre></div>"
        }
        let rows = ndim == 2 ? shape[0] : 1, cols = ndim == 0 ? 1 : shape[ndim - 1]
        func pick(_ n: Int, _ limit: Int) -> [Int?] {
            guard n > limit else { return (0..<n).map { Optional($0) } }
            let half = limit / 2
            return (0..<half).map { Optional($0) } + [nil] + ((n - half)..<n).map { Optional($0) }
        }
        let rowIdx = pick(rows, maxRows), colIdx = pick(cols, maxColumns)
        func offsetOf(_ r: Int, _ c: Int) -> Int {
            switch ndim {
            case 0: return offset
            case 1: return offset + c * strides[0]
            default: return offset + r * strides[0] + c * strides[1]
            }
        }
        var shown: [Double] = []
        for r in rowIdx { for c in colIdx { if let r, let c { shown.append(doubleAt(offsetOf(r, c))) } } }
        let f = ElementFormatter(dtype: dtype, values: shown)
        var html = "<table class=\"myelin-tensor\" style=\"font-family:monospace;text-align:right\">"
        html += "<caption style=\"caption-side:bottom;font-size:smaller\">\(caption)</caption>"
        if ndim == 2 {
            html += "<thead><tr><th></th>" + colIdx.map { "<th>\($0.map(String.init) ?? "…")</th>" }.joined() + "</tr></thead>"
        }
        html += "<tbody>"
        for r in rowIdx {
            html += "<tr>"
            if ndim == 2 { html += "<th>\(r.map(String.init) ?? "⋮")</th>" }
            for c in colIdx {
                if let r, let c {
                    html += "<td>\(f.format(doubleAt(offsetOf(r, c))).trimmingSpaces)</td>"
                } else {
                    html += "<td>\(r == nil ? "⋮" : "…")</td>"
                }
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    func doubleAt(_ off: Int) -> Double {
        switch dtype {
        case .float32: return Double(storage.floats()[off])
        case .int64: return Double(storage.ints()[off])
        case .bool: return storage.bools()[off] ? 1 : 0
        }
    }
}

extension String {
    var trimmingSpaces: String { String(drop { $0 == " " }) }
}
