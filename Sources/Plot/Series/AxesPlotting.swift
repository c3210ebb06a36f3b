import Foundation

/// How scatter points are coloured.
public enum ScatterColoring {
    /// Integer class labels → the tab10 cycle.
    case labels([Int])
    /// Values → a colormap (with a colorbar).
    case values([Double], cmap: Colormap)
}

extension Axes {
    private func color(_ name: String?) throws -> Color {
        guard let n = name else { return nextColor() }
        guard let c = Color.named(n) else { throw PlotError("color=\"\(n)\": not a colour; use a name like \"red\", \"tab:blue\" or \"#1f77b4\"") }
        return c
    }

    /// `line(y)` (x = 0, 1, …) or `line(x, y)`; `style` is "-", "--", ":" or "-."; `marker` one of "o s ^ v D x + . *".
    public func line(x: [Double]? = nil, y: [Double], label: String? = nil, color: String? = nil, style: String = "-",
                     marker: String? = nil, width: Double = 1.5, markerSize: Double = 6) throws {
        let xs = x ?? y.indices.map(Double.init)
        try checkPairs(xs, y, "line")
        guard let ls = LineStyle(rawValue: style) else { throw PlotError("line(style=\"\(style)\"): use \"-\", \"--\", \":\" or \"-.\"") }
        let mk = try marker.map { m -> Marker in
            guard let v = Marker(rawValue: m) else { throw PlotError("line(marker=\"\(m)\"): use one of o s ^ v D x + . *") }
            return v
        }
        series.append(LineSeries(xs: xs, ys: y, color: try self.color(color), width: width, style: ls, marker: mk, markerSize: markerSize, label: label))
    }

    /// Points at (x, y); `c` colours them by label or value; `s` is the marker area in points² (36 by default).
    public func scatter(x: [Double], y: [Double], c: ScatterColoring? = nil, s: Double = 36, label: String? = nil,
                        color: String? = nil, marker: String = "o", alpha: Double = 1, edgecolor: String? = nil) throws {
        try checkPairs(x, y, "scatter")
        guard let mk = Marker(rawValue: marker) else { throw PlotError("scatter(marker=\"\(marker)\"): use one of o s ^ v D x + . *") }
        let base = try self.color(color)
        let edge = try edgecolor.map { try self.color($0) }
        var colors = [base.withAlpha(alpha)]
        var scale: ColorScale? = nil
        switch c {
        case nil: break
        case let .labels(ls):
            guard ls.count == x.count else { throw PlotError("scatter: c has \(ls.count) labels for \(x.count) points") }
            colors = ls.map { Palette.cycle($0).withAlpha(alpha) }
        case let .values(vs, cmap):
            guard vs.count == x.count else { throw PlotError("scatter: c has \(vs.count) values for \(x.count) points") }
            let finite = vs.filter { $0.isFinite }
            var lo = finite.min() ?? 0, hi = finite.max() ?? 1
            if hi <= lo { lo -= 0.5; hi += 0.5 }
            colors = vs.map { cmap.color(($0 - lo) / (hi - lo)).withAlpha(alpha) }
            scale = ColorScale(map: cmap, lo: lo, hi: hi)
        }
        series.append(ScatterSeries(xs: x, ys: y, colors: colors, legendColor: base, size: s, marker: mk, edge: edge, label: label, colorScale: scale))
    }

    /// Bars of `heights` at positions `x` (default 0, 1, …) or named categories `labels`.
    public func bar(x: [Double]? = nil, heights: [Double], labels: [String]? = nil, width: Double = 0.8,
                    label: String? = nil, color: String? = nil) throws {
        let xs = x ?? heights.indices.map(Double.init)
        try checkPairs(xs, heights, "bar")
        if let l = labels, l.count != heights.count { throw PlotError("bar: \(l.count) labels for \(heights.count) bars") }
        guard width > 0, width.isFinite else { throw PlotError("bar(width=\(width)): the width must be positive") }
        series.append(BarSeries(centers: xs, heights: heights, widths: Array(repeating: width, count: xs.count),
                                color: try self.color(color), edge: nil, label: label, categories: labels))
    }

    /// Histogram of the finite values in `bins` equal bins; `density` scales the area to 1.
    public func hist(_ values: [Double], bins: Int = 10, range: (Double, Double)? = nil, density: Bool = false,
                     label: String? = nil, color: String? = nil, alpha: Double = 1) throws {
        guard bins >= 1, bins <= 100_000 else { throw PlotError("hist(bins=\(bins)): bins must be between 1 and 100000") }
        let finite = values.filter { $0.isFinite }
        let c = try self.color(color).withAlpha(alpha)
        guard !finite.isEmpty || range != nil else { series.append(BarSeries(centers: [], heights: [], widths: [], color: c, edge: nil, label: label, categories: nil)); return }
        var lo = range?.0 ?? finite.min() ?? 0, hi = range?.1 ?? finite.max() ?? 1
        if hi <= lo { lo -= 0.5; hi += 0.5 }
        let w = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= lo && v <= hi { counts[min(bins - 1, Int((v - lo) / w))] += 1 }
        if density, !finite.isEmpty { let total = counts.reduce(0, +) * w; if total > 0 { counts = counts.map { $0 / total } } }
        series.append(BarSeries(centers: (0..<bins).map { lo + (Double($0) + 0.5) * w }, heights: counts,
                                widths: Array(repeating: w, count: bins), color: c, edge: nil, label: label, categories: nil))
    }

    /// An image: rows×cols values through a colormap, or rows×cols×3 (RGB, 0…1 or 0…255). Nearest sampling.
    public func image(_ values: [Double], rows: Int, cols: Int, channels: Int = 1, cmap: Colormap = .viridis,
                      vmin: Double? = nil, vmax: Double? = nil, colorbar: Bool = false) throws {
        let img = try ImageData(values: values, rows: rows, cols: cols, channels: channels, cmap: cmap, vmin: vmin, vmax: vmax)
        series.append(ImageSeries(image: img, colorbar: colorbar))
    }

    /// A grid of `count` images of rows×cols (×channels) each, `gridCols` per row, with optional titles.
    public func images(_ batch: [Double], count: Int, rows: Int, cols: Int, channels: Int = 1, gridCols: Int = 8,
                       titles: [String] = [], cmap: Colormap = .gray) throws {
        let per = rows * cols * channels
        guard count >= 0, per > 0, batch.count == count * per else {
            throw PlotError("images: \(batch.count) values are not \(count) images of \(rows)×\(cols)\(channels > 1 ? "×\(channels)" : ""); pass a batch shaped (N, H, W)")
        }
        guard gridCols >= 1 else { throw PlotError("images(cols=\(gridCols)): cols must be at least 1") }
        let imgs = try (0..<count).map { i in
            try ImageData(values: Array(batch[(i * per)..<((i + 1) * per)]), rows: rows, cols: cols, channels: channels, cmap: cmap, vmin: nil, vmax: nil)
        }
        series.append(ImageGridSeries(images: imgs, titles: titles, gridCols: gridCols))
    }

    /// A matrix as coloured cells with optional annotations (on by default up to 30×30) and a colorbar.
    public func heatmap(_ values: [Double], rows: Int, cols: Int, xlabels: [String]? = nil, ylabels: [String]? = nil,
                        cmap: Colormap = .viridis, annotate: Bool? = nil) throws {
        try checkShape(values.count, rows: rows, cols: cols, what: "heatmap")
        if let l = xlabels, l.count != cols { throw PlotError("heatmap: \(l.count) xlabels for \(cols) columns") }
        if let l = ylabels, l.count != rows { throw PlotError("heatmap: \(l.count) ylabels for \(rows) rows") }
        let img = try ImageData(values: values, rows: rows, cols: cols, channels: 1, cmap: cmap, vmin: nil, vmax: nil)
        series.append(HeatmapSeries(image: img, values: values, annotate: annotate ?? (rows <= 30 && cols <= 30), xlabels: xlabels, ylabels: ylabels))
    }

    /// A Hinton diagram of a weight matrix.
    public func hinton(_ values: [Double], rows: Int, cols: Int) throws {
        try checkShape(values.count, rows: rows, cols: cols, what: "hinton")
        guard rows > 0, cols > 0 else { throw PlotError("hinton: the matrix is empty") }
        series.append(HintonSeries(values: values, rows: rows, cols: cols))
    }

    /// Filled contours of z (rows×cols) over grid coordinates x (cols values) and y (rows values).
    public func contour(_ z: [Double], rows: Int, cols: Int, x: [Double]? = nil, y: [Double]? = nil, levels: Int = 8,
                        cmap: Colormap = .viridis, colorbar: Bool = true) throws {
        try checkShape(z.count, rows: rows, cols: cols, what: "contour")
        guard rows >= 2, cols >= 2 else { throw PlotError("contour: z must be at least 2×2, got \(rows)×\(cols)") }
        let xs = x ?? (0..<cols).map(Double.init), ys = y ?? (0..<rows).map(Double.init)
        guard xs.count == cols, ys.count == rows else { throw PlotError("contour: x needs \(cols) values and y \(rows) (got \(xs.count) and \(ys.count))") }
        guard zip(xs, xs.dropFirst()).allSatisfy({ $0 < $1 }), zip(ys, ys.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw PlotError("contour: x and y must be increasing")
        }
        let finite = z.filter { $0.isFinite }
        guard let lo = finite.min(), let hi = finite.max() else { return }
        var lv = Ticks.linear(lo, hi, target: max(2, levels)).map(\.value)
        if lv.first.map({ $0 > lo }) ?? true { lv.insert(lo, at: 0) }
        if lv.last.map({ $0 < hi }) ?? true { lv.append(hi) }
        if lv.count < 2 { lv = [lo - 0.5, hi + 0.5] }
        series.append(FieldSeries(xs: xs, ys: ys, values: z, kind: .bands(levels: lv, cmap: cmap), colorbar: colorbar))
    }

    /// Decision regions of a classifier over the data's range, plus the points coloured by label.
    /// `predict` gets n×2 points (flat, row-major) in one call and returns n labels, n scores or n×k class scores.
    public func decisionBoundary(points: [Double], labels: [Int], resolution: Int = 200,
                                 predict: ([Double]) throws -> [Double]) throws {
        guard points.count % 2 == 0, points.count / 2 == labels.count else {
            throw PlotError("decision_boundary: x must be n×2 points with one label each (got \(points.count) values and \(labels.count) labels)")
        }
        let xs = stride(from: 0, to: points.count, by: 2).map { points[$0] }
        let ys = stride(from: 1, to: points.count, by: 2).map { points[$0] }
        guard let b = DataBounds.of(xs, ys, xLog: false, yLog: false) else { throw PlotError("decision_boundary: no finite points") }
        let n = max(10, min(600, resolution))
        let padX = max(b.x1 - b.x0, 1e-9) * 0.1, padY = max(b.y1 - b.y0, 1e-9) * 0.1
        let gx = (0..<n).map { b.x0 - padX + (b.x1 - b.x0 + 2 * padX) * Double($0) / Double(n - 1) }
        let gy = (0..<n).map { b.y0 - padY + (b.y1 - b.y0 + 2 * padY) * Double($0) / Double(n - 1) }
        var grid = [Double](); grid.reserveCapacity(2 * n * n)
        for yv in gy { for xv in gx { grid.append(xv); grid.append(yv) } }
        let out = try predict(grid)
        guard !out.isEmpty, out.count % (n * n) == 0 else {
            throw PlotError("decision_boundary: the model returned \(out.count) values for \(n * n) points; return one label/score or one row of class scores per point")
        }
        series.append(FieldSeries(xs: gx, ys: gy, values: out, kind: .regions(classes: out.count / (n * n)), colorbar: false))
        try scatter(x: xs, y: ys, c: .labels(labels), s: 25, edgecolor: "k")
    }
}
