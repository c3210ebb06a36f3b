import Engine
import Plot

/// Conversions from script values (tensors, lists, tuples, ranges, nested lists) to the plain arrays
/// the Plot layer draws. Every error names the function and the argument.
enum PlotData {
    /// Any data argument as a tensor: tensors pass through, ranges and other iterables become lists,
    /// lists of same-shaped tensors are stacked.
    static func tensor(_ v: Value, _ what: String) throws -> Tensor {
        if let t = TensorBindings.tensor(in: v) { return t }
        if v.isNone { throw ScriptError(.typeError, "\(what): expected numbers (a tensor or a list), got None") }
        if v.stringValue != nil { throw ScriptError(.typeError, "\(what): expected numbers (a tensor or a list), got a str") }
        var items: [Value]
        if let l = v.asList { items = l.items } else if let t = v.asTuple { items = t.items } else if case .obj = v, let vm = VM.current {
            items = try vm.toArray(v)
        } else {
            return try TensorBindings.tensorArgument(v, what)
        }
        // A list of tensors with dimensions (e.g. a list of images): stack them.
        if let first = items.first.flatMap(TensorBindings.tensor(in:)), first.ndim > 0 {
            var values: [Double] = []
            for (i, item) in items.enumerated() {
                guard let t = TensorBindings.tensor(in: item), t.shape == first.shape else {
                    throw ScriptError(.shapeError, "\(what): item \(i) of the list is not a tensor of shape \(first.shape) like item 0")
                }
                values += t.doubleArray()
            }
            return try Tensor(values.map(Float.init), shape: [items.count] + first.shape)
        }
        return try TensorBindings.tensorArgument(.list(items), what)
    }

    /// A 1-D sequence of numbers (a tensor with at most one dimension longer than 1).
    static func vector(_ v: Value, _ what: String) throws -> [Double] {
        if let d = v.doubleValue, v.stringValue == nil { return [d] }
        let t = try tensor(v, what)
        guard t.shape.filter({ $0 != 1 }).count <= 1 else {
            throw ScriptError(.shapeError, "\(what): expected a 1-D sequence of numbers, got shape \(t.shape)")
        }
        return t.doubleArray()
    }

    /// All the numbers of any shape, flattened (for `hist`).
    static func flat(_ v: Value, _ what: String) throws -> [Double] {
        if let d = v.doubleValue, v.stringValue == nil { return [d] }
        return try tensor(v, what).doubleArray()
    }

    /// A matrix: a 2-D tensor or nested list (dimensions of size 1 around it are dropped).
    static func matrix(_ v: Value, _ what: String) throws -> (values: [Double], rows: Int, cols: Int) {
        let t = try tensor(v, what)
        var shape = t.shape
        while shape.count > 2, let i = shape.firstIndex(of: 1) { shape.remove(at: i) }
        if shape.count == 1 { shape = [1, shape[0]] }
        guard shape.count == 2 else {
            throw ScriptError(.shapeError, "\(what): expected a 2-D matrix, got shape \(t.shape)")
        }
        guard shape[0] > 0, shape[1] > 0 else { throw ScriptError(.shapeError, "\(what): the matrix is empty (shape \(t.shape))") }
        return (t.doubleArray(), shape[0], shape[1])
    }

    /// One image as H×W (through a colormap) or H×W×C with C = 3 or 4. Accepts [H, W], [H, W, C],
    /// [C, H, W] (channels first, as tensors from datasets are), size-1 dimensions, and a flat
    /// vector of a square number of pixels (a flattened MNIST digit).
    static func image(_ t: Tensor, _ what: String) throws -> (values: [Double], rows: Int, cols: Int, channels: Int) {
        var shape = t.shape
        while shape.count > 2, let i = shape.firstIndex(of: 1) { shape.remove(at: i) }
        let values = t.doubleArray()
        switch shape.count {
        case 1:
            let side = Int(Double(shape[0]).squareRoot().rounded())
            guard side > 0, side * side == shape[0] else {
                throw ScriptError(.shapeError, "\(what): a 1-D image must have a square number of pixels (got \(shape[0])); pass a 2-D array")
            }
            return (values, side, side, 1)
        case 2:
            guard shape[0] > 0, shape[1] > 0 else { throw ScriptError(.shapeError, "\(what): the image is empty (shape \(t.shape))") }
            return (values, shape[0], shape[1], 1)
        case 3 where shape[2] == 3 || shape[2] == 4:
            return (values, shape[0], shape[1], shape[2])
        case 3 where shape[0] == 3 || shape[0] == 4:
            // channels first → channels last
            let c = shape[0], h = shape[1], w = shape[2]
            var out = [Double](repeating: 0, count: values.count)
            for k in 0..<c { for p in 0..<(h * w) { out[p * c + k] = values[k * h * w + p] } }
            return (out, h, w, c)
        default:
            throw ScriptError(.shapeError, "\(what): expected an image of shape (H, W), (H, W, 3) or (3, H, W), got \(t.shape)")
        }
    }

    /// Labels as text: strings stay, numbers print as numbers (ints without a decimal point).
    static func strings(_ v: Value, _ what: String) throws -> [String] {
        if let t = TensorBindings.tensor(in: v) { return t.doubleArray().map(numberText) }
        let items: [Value]
        if let l = v.asList { items = l.items } else if let t = v.asTuple { items = t.items } else if let vm = VM.current, v.stringValue == nil, case .obj = v {
            items = try vm.toArray(v)
        } else {
            throw ScriptError(.typeError, "\(what): expected a list of labels, got \(typeName(v))")
        }
        return try items.map { item in
            if let s = item.stringValue { return s }
            if let d = item.doubleValue { return numberText(d) }
            if let t = TensorBindings.tensor(in: item), t.count == 1 { return numberText(t.doubleArray()[0]) }
            throw ScriptError(.typeError, "\(what): labels must be strings or numbers, not \(typeName(item))")
        }
    }

    static func numberText(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return Ticks.format(d)
    }

    /// Class labels (ints), or nil when the values are not all integers.
    static func labels(_ t: Tensor) -> [Int]? {
        let values = t.doubleArray()
        guard values.allSatisfy({ $0.isFinite && $0 == $0.rounded() && abs($0) < 1e9 }) else { return nil }
        return values.map { Int($0) }
    }

    /// A colour name (checked here so the error names the argument).
    static func color(_ a: Arguments, _ i: Int, _ name: String) throws -> String? {
        guard let v = a.optional(i, name), !v.isNone else { return nil }
        guard let s = v.stringValue else { throw ScriptError(.typeError, "\(a.functionName)(\(name)=…) must be a colour name like \"red\" or \"#1f77b4\", not \(typeName(v))") }
        guard Color.named(s) != nil else {
            throw ScriptError(.valueError, "\(a.functionName)(\(name)=\"\(s)\"): unknown colour; use a name like \"red\", \"tab:blue\", \"k\" or \"#1f77b4\"")
        }
        return s
    }

    /// A colormap name.
    static func colormap(_ a: Arguments, _ i: Int, _ name: String = "cmap", default d: Colormap) throws -> Colormap {
        guard let v = a.optional(i, name), !v.isNone else { return d }
        guard let s = v.stringValue, let m = Colormap(name: s) else {
            let names = Colormap.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw ScriptError(.valueError, "\(a.functionName)(\(name)=\(v.stringValue.map { "\"\($0)\"" } ?? typeName(v))): unknown colormap; use one of \(names)")
        }
        return m
    }

    /// An optional string argument (labels, titles).
    static func text(_ a: Arguments, _ i: Int, _ name: String) throws -> String? {
        guard let v = a.optional(i, name), !v.isNone else { return nil }
        if let s = v.stringValue { return s }
        if let d = v.doubleValue { return numberText(d) }
        throw ScriptError(.typeError, "\(a.functionName)(\(name)=…) must be a str, not \(typeName(v))")
    }

    /// An optional number argument that may also be a one-element tensor.
    static func number(_ a: Arguments, _ i: Int, _ name: String) throws -> Double? {
        guard let v = a.optional(i, name), !v.isNone else { return nil }
        return try TensorBindings.scalar(v, "\(a.functionName)(\(name)=…)")
    }

    /// `(lo, hi)` given as two arguments or one pair.
    static func range(_ a: Arguments, _ what: String) throws -> (Double, Double) {
        if a.count == 1, let pair = a.positional[0].asList?.items ?? a.positional[0].asTuple?.items {
            guard pair.count == 2 else { throw ScriptError(.valueError, "\(what): expected (low, high), got \(pair.count) values") }
            return (try TensorBindings.scalar(pair[0], "\(what) low"), try TensorBindings.scalar(pair[1], "\(what) high"))
        }
        return (try TensorBindings.scalar(try a.required(0, "left"), "\(what) low"),
                try TensorBindings.scalar(try a.required(1, "right"), "\(what) high"))
    }

    /// Two sequences of the same length, or a ShapeError naming both.
    static func pairs(_ x: [Double], _ y: [Double], _ what: String) throws {
        guard x.count == y.count else {
            throw ScriptError(.shapeError, "\(what): x has \(x.count) values but y has \(y.count); they must have the same length")
        }
    }
}
