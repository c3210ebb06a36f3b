import Engine
import Plot

/// One drawing or decoration method, shared by the module (`plot.line`, acting on the current axes)
/// and by axes objects (`ax.line`).
struct PlotAxesMethod {
    let name: String
    /// The parameters, without the function name: `"y, label=None"`.
    let parameters: String
    let doc: String
    let body: (Axes, Arguments) throws -> Void
}

extension PlotBindings {
    /// Every method axes have, in the order `help(plot)` lists them.
    static let axesMethods: [PlotAxesMethod] = drawingMethods + decorationMethods

    static let drawingMethods: [PlotAxesMethod] = [
        PlotAxesMethod(name: "line", parameters: "[x,] y, label=None, color=None, style='-', width=1.5, marker=None",
                       doc: "Draws y against x (x = 0, 1, … when omitted) as a line. style is '-', '--', ':' or '-.'; marker one of o s ^ v D x + . *.") { ax, a in
            try a.check(max: 2, keywords: ["x", "y", "label", "color", "style", "width", "marker", "markersize"])
            let width = try a.double(99, "width", default: 1.5)
            guard width >= 0, width.isFinite else { throw ScriptError(.valueError, "line(width=\(width)): the width must be a positive number") }
            let color = try PlotData.color(a, 99, "color"), style = try a.string(99, "style", default: "-")
            let marker = try PlotData.text(a, 99, "marker"), markerSize = try a.double(99, "markersize", default: 6)
            // A 2-D y (N, K) draws K lines, one per column, as matplotlib does.
            if let columns = try columnsOf(a) {
                let labels = try a.optional(99, "label").flatMap { $0.isNone ? nil : try PlotData.strings($0, "line(label)") }
                if let l = labels, l.count != columns.y.count {
                    throw ScriptError(.valueError, "line(label=…): \(l.count) labels for \(columns.y.count) columns of y")
                }
                for (k, col) in columns.y.enumerated() {
                    try ax.line(x: columns.x, y: col, label: labels?[k], color: color, style: style, marker: marker, width: width, markerSize: markerSize)
                }
                return
            }
            let (x, y) = try xy(a, "line")
            try ax.line(x: x, y: y, label: try PlotData.text(a, 99, "label"), color: color, style: style, marker: marker,
                        width: width, markerSize: markerSize)
        },
        PlotAxesMethod(name: "scatter", parameters: "x, y, c=None, s=36, color=None, label=None, cmap=None, marker='o', alpha=1",
                       doc: "Draws points at (x, y). c colours them: integer class labels use the tab10 colours, other values a colormap (cmap, viridis by default). s is the marker area in points².") { ax, a in
            try a.check(max: 3, keywords: ["x", "y", "c", "s", "color", "label", "cmap", "marker", "alpha"])
            let x = try PlotData.vector(try a.required(0, "x"), "scatter(x)")
            let y = try PlotData.vector(try a.required(1, "y"), "scatter(y)")
            try PlotData.pairs(x, y, "scatter")
            var coloring: ScatterColoring?
            var color = try PlotData.color(a, 99, "color")
            if let c = a.optional(2, "c"), !c.isNone {
                if let s = c.stringValue {
                    guard Color.named(s) != nil else { throw ScriptError(.valueError, "scatter(c=\"\(s)\"): unknown colour; use a name like \"red\" or \"#1f77b4\"") }
                    color = s
                } else {
                    let t = try PlotData.tensor(c, "scatter(c)")
                    guard t.count == x.count else {
                        throw ScriptError(.shapeError, "scatter(c): \(t.count) colour values for \(x.count) points; give one per point")
                    }
                    let explicitMap = a.optional(99, "cmap").map { !$0.isNone } ?? false
                    if !explicitMap, let labels = PlotData.labels(t) { coloring = .labels(labels) } else {
                        coloring = .values(t.doubleArray(), cmap: try PlotData.colormap(a, 99, default: .viridis))
                    }
                }
            }
            let s = try PlotData.number(a, 99, "s") ?? 36
            guard s >= 0, s.isFinite else { throw ScriptError(.valueError, "scatter(s=\(s)): the marker area must be a positive number") }
            try ax.scatter(x: x, y: y, c: coloring, s: s, label: try PlotData.text(a, 99, "label"), color: color,
                           marker: try a.string(99, "marker", default: "o"), alpha: try PlotData.number(a, 99, "alpha") ?? 1)
        },
        PlotAxesMethod(name: "bar", parameters: "x, height=None, width=0.8, label=None, color=None",
                       doc: "Bars: bar(heights), bar(positions, heights) or bar(names, heights) with category names on the x axis.") { ax, a in
            try a.check(max: 3, keywords: ["x", "height", "width", "label", "color"])
            let first = try a.required(0, "x")
            var positions: [Double]? = nil, names: [String]? = nil
            let heights: [Double]
            if let h = a.optional(1, "height"), !h.isNone {
                heights = try PlotData.vector(h, "bar(height)")
                let isText = (first.asList?.items ?? first.asTuple?.items)?.contains { $0.stringValue != nil } ?? false
                if isText { names = try PlotData.strings(first, "bar(x)") } else { positions = try PlotData.vector(first, "bar(x)") }
                let n = names?.count ?? positions?.count ?? 0
                guard n == heights.count else {
                    throw ScriptError(.shapeError, "bar: x has \(n) values but height has \(heights.count); they must have the same length")
                }
            } else {
                heights = try PlotData.vector(first, "bar(height)")
            }
            try ax.bar(x: positions, heights: heights, labels: names, width: try a.double(2, "width", default: 0.8),
                       label: try PlotData.text(a, 99, "label"), color: try PlotData.color(a, 99, "color"))
        },
        PlotAxesMethod(name: "hist", parameters: "x, bins=10, range=None, density=False, label=None, color=None, alpha=1",
                       doc: "A histogram of all the values of x (any shape) in equal bins; density=True scales the area to 1.") { ax, a in
            try a.check(max: 2, keywords: ["x", "bins", "range", "density", "label", "color", "alpha"])
            let values = try PlotData.flat(try a.required(0, "x"), "hist(x)")
            var range: (Double, Double)? = nil
            if let r = a.optional(99, "range"), !r.isNone {
                let pair = try PlotData.vector(r, "hist(range)")
                guard pair.count == 2, pair[0] < pair[1] else { throw ScriptError(.valueError, "hist(range=…): expected (low, high) with low < high") }
                range = (pair[0], pair[1])
            }
            try ax.hist(values, bins: try a.int(1, "bins", default: 10), range: range, density: a.bool(99, "density", default: false),
                        label: try PlotData.text(a, 99, "label"), color: try PlotData.color(a, 99, "color"),
                        alpha: try PlotData.number(a, 99, "alpha") ?? 1)
        },
        PlotAxesMethod(name: "image", parameters: "img, cmap='viridis', vmin=None, vmax=None, colorbar=False",
                       doc: "Shows an image: (H, W) values through a colormap, or colour (H, W, 3) / (3, H, W) with values in 0…1 or 0…255.") { ax, a in
            try a.check(max: 2, keywords: ["img", "cmap", "vmin", "vmax", "colorbar"])
            let img = try PlotData.image(try PlotData.tensor(try a.required(0, "img"), "image(img)"), "image(img)")
            try ax.image(img.values, rows: img.rows, cols: img.cols, channels: img.channels,
                         cmap: try PlotData.colormap(a, 1, default: .viridis), vmin: try PlotData.number(a, 99, "vmin"),
                         vmax: try PlotData.number(a, 99, "vmax"), colorbar: a.bool(99, "colorbar", default: false))
        },
        PlotAxesMethod(name: "images", parameters: "batch, cols=8, titles=None, cmap='gray'",
                       doc: "A grid of small images from a batch (N, H, W), (N, 1, H, W), (N, H, W, 3), (N, 3, H, W) or (N, H·W), cols per row, with optional titles (e.g. the labels).") { ax, a in
            try a.check(max: 2, keywords: ["batch", "cols", "titles", "cmap"])
            let t = try PlotData.tensor(try a.required(0, "batch"), "images(batch)")
            guard t.ndim >= 2, t.shape[0] > 0 else {
                throw ScriptError(.shapeError, "images(batch): expected a batch of images (N, H, W), got shape \(t.shape)")
            }
            let n = t.shape[0], all = t.doubleArray(), per = all.count / n
            var values: [Double] = []; values.reserveCapacity(all.count)
            var first: (values: [Double], rows: Int, cols: Int, channels: Int)? = nil
            for i in 0..<n {
                let one = try Tensor(all[(i * per)..<((i + 1) * per)].map(Float.init), shape: Array(t.shape.dropFirst()))
                let img = try PlotData.image(one, "images(batch)")
                values += img.values
                if first == nil { first = img }
            }
            guard let first else { throw ScriptError(.shapeError, "images(batch): the batch is empty") }
            var titles: [String] = []
            if let v = a.optional(99, "titles"), !v.isNone {
                titles = try PlotData.strings(v, "images(titles)")
                guard titles.count <= n else { throw ScriptError(.valueError, "images(titles): \(titles.count) titles for \(n) images") }
            }
            let cols = try a.int(1, "cols", default: 8)
            guard cols >= 1 else { throw ScriptError(.valueError, "images(cols=\(cols)): cols must be at least 1") }
            try ax.images(values, count: n, rows: first.rows, cols: first.cols, channels: first.channels,
                          gridCols: min(cols, n), titles: titles, cmap: try PlotData.colormap(a, 99, default: .gray))
        },
        PlotAxesMethod(name: "heatmap", parameters: "m, xlabels=None, ylabels=None, cmap='viridis', annotate=None",
                       doc: "A matrix as coloured cells (a confusion matrix, attention weights), annotated with the values up to 30×30 unless annotate=False.") { ax, a in
            try a.check(max: 1, keywords: ["m", "xlabels", "ylabels", "cmap", "annotate"])
            let m = try PlotData.matrix(try a.required(0, "m"), "heatmap(m)")
            let xl = try a.optional(99, "xlabels").flatMap { $0.isNone ? nil : try PlotData.strings($0, "heatmap(xlabels)") }
            let yl = try a.optional(99, "ylabels").flatMap { $0.isNone ? nil : try PlotData.strings($0, "heatmap(ylabels)") }
            if let l = xl, l.count != m.cols { throw ScriptError(.shapeError, "heatmap(xlabels): \(l.count) labels for \(m.cols) columns") }
            if let l = yl, l.count != m.rows { throw ScriptError(.shapeError, "heatmap(ylabels): \(l.count) labels for \(m.rows) rows") }
            let annotate = a.optional(99, "annotate").flatMap { $0.isNone ? nil : truthy($0) }
            try ax.heatmap(m.values, rows: m.rows, cols: m.cols, xlabels: xl, ylabels: yl,
                           cmap: try PlotData.colormap(a, 99, default: .viridis), annotate: annotate)
        },
        PlotAxesMethod(name: "hinton", parameters: "w",
                       doc: "A Hinton diagram of a weight matrix: squares sized by magnitude, white for positive, black for negative.") { ax, a in
            try a.check(max: 1, keywords: ["w"])
            let m = try PlotData.matrix(try a.required(0, "w"), "hinton(w)")
            try ax.hinton(m.values, rows: m.rows, cols: m.cols)
        },
        PlotAxesMethod(name: "contour", parameters: "[x, y,] z, levels=8, cmap='viridis', colorbar=True",
                       doc: "Filled contours of a 2-D array z (rows follow y, columns follow x); x and y are 1-D grid coordinates or 2-D meshgrids.") { ax, a in
            try a.check(max: 3, keywords: ["x", "y", "z", "levels", "cmap", "colorbar"])
            let zValue = a.count == 3 ? a.positional[2] : try a.required(a.count == 1 ? 0 : 99, "z")
            let z = try PlotData.matrix(zValue, "contour(z)")
            var xs: [Double]? = nil, ys: [Double]? = nil
            if let xv = a.count == 3 ? a.positional[0] : a.optional(99, "x"), !xv.isNone { xs = try gridAxis(xv, along: 1, "contour(x)") }
            if let yv = a.count == 3 ? a.positional[1] : a.optional(99, "y"), !yv.isNone { ys = try gridAxis(yv, along: 0, "contour(y)") }
            if let xs, xs.count != z.cols { throw ScriptError(.shapeError, "contour(x): \(xs.count) values for \(z.cols) columns of z") }
            if let ys, ys.count != z.rows { throw ScriptError(.shapeError, "contour(y): \(ys.count) values for \(z.rows) rows of z") }
            try ax.contour(z.values, rows: z.rows, cols: z.cols, x: xs, y: ys, levels: try a.int(99, "levels", default: 8),
                           cmap: try PlotData.colormap(a, 99, default: .viridis), colorbar: a.bool(99, "colorbar", default: true))
        },
        PlotAxesMethod(name: "decision_boundary", parameters: "model, x, y, resolution=200",
                       doc: "The regions a classifier assigns to each class over the data's range, with the points (x: (N, 2), y: N labels) on top. model is called once, without gradients, on a (G, 2) grid and returns (G,) or (G, 1) probabilities or logits, or (G, C) class scores.") { ax, a in
            try a.check(max: 4, keywords: ["model", "x", "y", "resolution"])
            let model = try a.required(0, "model")
            guard model.isCallableForPlot else {
                throw ScriptError(.typeError, "decision_boundary(model): expected a model or a function to call on the grid, got \(typeName(model))")
            }
            let xt = try PlotData.tensor(try a.required(1, "x"), "decision_boundary(x)")
            guard xt.ndim == 2, xt.shape[1] == 2 else {
                throw ScriptError(.shapeError, "decision_boundary(x): expected points of shape (N, 2), got \(xt.shape)")
            }
            let yt = try PlotData.tensor(try a.required(2, "y"), "decision_boundary(y)")
            guard yt.count == xt.shape[0], let labels = PlotData.labels(yt) else {
                throw ScriptError(.shapeError, "decision_boundary(y): expected \(xt.shape[0]) integer class labels, got shape \(yt.shape)")
            }
            try ax.decisionBoundary(points: xt.doubleArray(), labels: labels, resolution: try a.int(3, "resolution", default: 200)) { grid in
                try predict(model, grid)
            }
        },
    ]

    /// Calls a script model on grid points (flat x, y pairs) without recording gradients.
    static func predict(_ model: Value, _ grid: [Double]) throws -> [Double] {
        guard let vm = VM.current else { throw ScriptError(.runtimeError, "decision_boundary: no running session") }
        let g = grid.count / 2
        let input = try Tensor(grid.map(Float.init), shape: [g, 2])
        let out = try withNoGrad { try vm.call(model, [TensorBindings.wrap(input)]) }
        let t = try PlotData.tensor(out, "decision_boundary(model)")
        guard t.ndim >= 1, t.ndim <= 2, t.shape[0] == g else {
            throw ScriptError(.shapeError, "decision_boundary(model): the model returned shape \(t.shape) for a grid of shape [\(g), 2]; return (\(g),), (\(g), 1) or (\(g), C)")
        }
        return t.doubleArray()
    }

    /// For `line` with a 2-D y (both dimensions longer than 1): x (or nil) and y's columns; nil otherwise.
    static func columnsOf(_ a: Arguments) throws -> (x: [Double]?, y: [[Double]])? {
        guard let yv = a.count >= 2 ? a.positional[1] : a.optional(a.count == 1 ? 0 : 99, "y"), let t = TensorBindings.tensor(in: yv) ?? (yv.asList != nil ? try? PlotData.tensor(yv, "line(y)") : nil),
              t.ndim == 2, t.shape[0] > 1, t.shape[1] > 1 else { return nil }
        let n = t.shape[0], k = t.shape[1], m = t.doubleArray()
        let cols = (0..<k).map { j in (0..<n).map { m[$0 * k + j] } }
        guard a.count >= 2 || a.optional(99, "x").map({ !$0.isNone }) == true else { return (nil, cols) }
        let x = try PlotData.vector(a.count >= 2 ? a.positional[0] : try a.required(99, "x"), "line(x)")
        guard x.count == n else { throw ScriptError(.shapeError, "line: x has \(x.count) values but y has \(n) rows; they must have the same length") }
        return (x, cols)
    }

    /// x and y: `f(y)` or `f(x, y)`.
    static func xy(_ a: Arguments, _ what: String) throws -> (x: [Double]?, y: [Double]) {
        if a.count >= 2 {
            let x = try PlotData.vector(a.positional[0], "\(what)(x)"), y = try PlotData.vector(a.positional[1], "\(what)(y)")
            try PlotData.pairs(x, y, what)
            return (x, y)
        }
        let y = try PlotData.vector(try a.required(0, "y"), "\(what)(y)")
        guard let xv = a.optional(99, "x"), !xv.isNone else { return (nil, y) }
        let x = try PlotData.vector(xv, "\(what)(x)")
        try PlotData.pairs(x, y, what)
        return (x, y)
    }

    /// Grid coordinates from a 1-D array, or from a 2-D meshgrid (its first row or column).
    static func gridAxis(_ v: Value, along dim: Int, _ what: String) throws -> [Double] {
        let t = try PlotData.tensor(v, what)
        if t.ndim == 2 {
            let m = t.doubleArray(), rows = t.shape[0], cols = t.shape[1]
            return dim == 1 ? Array(m.prefix(cols)) : (0..<rows).map { m[$0 * cols] }
        }
        return try PlotData.vector(v, what)
    }

    static let decorationMethods: [PlotAxesMethod] = [
        PlotAxesMethod(name: "title", parameters: "text", doc: "Sets the axes title.") { ax, a in
            try a.check(max: 1, keywords: ["text"]); ax.title(try a.string(0, "text"))
        },
        PlotAxesMethod(name: "xlabel", parameters: "text", doc: "Sets the x-axis label.") { ax, a in
            try a.check(max: 1, keywords: ["text"]); ax.xlabel(try a.string(0, "text"))
        },
        PlotAxesMethod(name: "ylabel", parameters: "text", doc: "Sets the y-axis label.") { ax, a in
            try a.check(max: 1, keywords: ["text"]); ax.ylabel(try a.string(0, "text"))
        },
        PlotAxesMethod(name: "legend", parameters: "loc='best'",
                       doc: "Shows a legend of the labelled series; loc is 'best', 'upper right', 'upper left', 'lower left' or 'lower right'.") { ax, a in
            try a.check(max: 1, keywords: ["loc"])
            let loc = try a.string(0, "loc", default: "best")
            guard let l = LegendLocation(rawValue: loc) else {
                throw ScriptError(.valueError, "legend(loc=\"\(loc)\"): use 'best', 'upper right', 'upper left', 'lower left' or 'lower right'")
            }
            ax.legend(l)
        },
        PlotAxesMethod(name: "xscale", parameters: "scale", doc: "'linear' or 'log' x axis.") { ax, a in
            try a.check(max: 1, keywords: ["scale"]); ax.xscale(try scale(a))
        },
        PlotAxesMethod(name: "yscale", parameters: "scale", doc: "'linear' or 'log' y axis (e.g. for a loss curve).") { ax, a in
            try a.check(max: 1, keywords: ["scale"]); ax.yscale(try scale(a))
        },
        PlotAxesMethod(name: "xlim", parameters: "left, right", doc: "Fixes the x range: xlim(0, 10) or xlim((0, 10)).") { ax, a in
            try a.check(max: 2, keywords: ["left", "right"])
            let (lo, hi) = try PlotData.range(a, "xlim")
            try ax.xlim(lo, hi)
        },
        PlotAxesMethod(name: "ylim", parameters: "bottom, top", doc: "Fixes the y range: ylim(0, 1) or ylim((0, 1)).") { ax, a in
            try a.check(max: 2, keywords: ["bottom", "top", "left", "right"])
            let b = a.keywords.isEmpty ? a : Arguments(a.positional, keywords: a.keywords.map { ($0.0 == "bottom" ? "left" : $0.0 == "top" ? "right" : $0.0, $0.1) }, functionName: a.functionName)
            let (lo, hi) = try PlotData.range(b, "ylim")
            try ax.ylim(lo, hi)
        },
        PlotAxesMethod(name: "grid", parameters: "on=True", doc: "Shows (or hides) grid lines.") { ax, a in
            try a.check(max: 1, keywords: ["on"]); ax.grid(a.bool(0, "on", default: true))
        },
    ]

    static func scale(_ a: Arguments) throws -> AxisScale {
        let s = try a.string(0, "scale")
        guard let v = AxisScale(rawValue: s) else { throw ScriptError(.valueError, "\(a.functionName)(\"\(s)\"): use 'linear' or 'log'") }
        return v
    }
}

extension Value {
    /// Whether the value can be called (functions, classes, native callables, instances with __call__).
    var isCallableForPlot: Bool {
        guard case .obj(let o) = self else { return false }
        switch o.kind {
        case .function, .builtin, .boundMethod, .classObj: return true
        case .native: return asNative?.type.call != nil
        case .instance: return asInstance.map { $0.cls.lookup("__call__") != nil || $0.native?.type.call != nil } ?? false
        default: return false
        }
    }
}
