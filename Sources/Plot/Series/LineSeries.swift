/// A polyline through (x, y) points with an optional marker at each point. Non-finite points break the line.
final class LineSeries: Series {
    let xs: [Double], ys: [Double]
    let color: Color
    let width: Double  // points
    let style: LineStyle
    let marker: Marker?
    let markerSize: Double  // points
    let label: String?

    init(xs: [Double], ys: [Double], color: Color, width: Double, style: LineStyle, marker: Marker?, markerSize: Double, label: String?) {
        self.xs = xs; self.ys = ys; self.color = color; self.width = width
        self.style = style; self.marker = marker; self.markerSize = markerSize; self.label = label
    }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? { DataBounds.of(xs, ys, xLog: xLog, yLog: yLog) }

    func draw(_ ctx: PlotContext) {
        let w = ctx.style.pt(width)
        // Runs of finite points (a NaN or inf breaks the line), each segment clipped to a box a little larger
        // than the plot, so zoomed-in limits never hand the stroker lines millions of pixels long.
        let pad = 4 * w + 10
        let box = Rect(x: ctx.rect.x - pad, y: ctx.rect.y - pad, width: ctx.rect.width + 2 * pad, height: ctx.rect.height + 2 * pad)
        var runs: [[Point]] = [[]]
        var previous: Point? = nil
        for (x, y) in zip(xs, ys) {
            guard let p = ctx.point(x, y) else { previous = nil; if !(runs.last?.isEmpty ?? true) { runs.append([]) }; continue }
            defer { previous = p }
            guard let q = previous else { if box.contains(p) { runs[runs.count - 1].append(p) }; continue }
            guard let (a, b) = clipSegment(q, p, to: box) else { if !(runs.last?.isEmpty ?? true) { runs.append([]) }; continue }
            if let l = runs[runs.count - 1].last, (a - l).length > 1e-6 { runs.append([]) }
            if runs[runs.count - 1].isEmpty { runs[runs.count - 1].append(a) }
            if let l = runs[runs.count - 1].last, (b - l).length > 1e-9 { runs[runs.count - 1].append(b) }
            if b != p { runs.append([]) }
        }
        if width > 0 {
            let dashes = style.pattern.map { $0 * w }
            let stroke = StrokeStyle(width: w, join: .round, cap: dashes.isEmpty ? .square : .butt, dashes: dashes)
            for run in runs where !run.isEmpty {
                let pieces = dashes.isEmpty ? [run] : Stroker.dash(run, closed: false, pattern: dashes)
                for piece in pieces { strokePiece(piece, stroke, ctx) }
            }
        }
        if let m = marker {
            for (x, y) in zip(xs, ys) { if let p = ctx.point(x, y) { drawMarker(m, at: p, size: ctx.style.pt(markerSize), color: color, ctx: ctx) } }
        }
    }

    /// Opaque lines are filled in chunks of a few dozen segments joined by round caps: each chunk's
    /// small bounding box is far cheaper to scan than the whole line's, and the shared caps overlap
    /// completely, so no seam shows. Translucent lines are filled whole (overlaps would darken).
    private func strokePiece(_ pts: [Point], _ stroke: StrokeStyle, _ ctx: PlotContext) {
        let chunk = 24
        guard color.a >= 1, pts.count > chunk + 1 else {
            var p = Path(); p.move(to: pts[0]); for q in pts.dropFirst() { p.line(to: q) }
            ctx.canvas.stroke(p, color: color, style: stroke)
            return
        }
        var start = 0
        while start < pts.count - 1 {
            let end = min(pts.count - 1, start + chunk)
            let outline = Stroker.outline(polyline: Array(pts[start...end]), style: stroke,
                                          startCap: start == 0 ? stroke.cap : .round, endCap: end == pts.count - 1 ? stroke.cap : .round)
            ctx.canvas.fill(outline, color: color)
            start = end
        }
    }

    var legendKey: LegendKey? { .line(color: color, width: width, dashes: style.pattern, marker: marker) }
    func avoidPoints() -> [(Double, Double)] { Array(zip(xs, ys)) }
}

/// The part of segment a→b inside a rectangle (Liang–Barsky), or nil when none of it is.
func clipSegment(_ a: Point, _ b: Point, to r: Rect) -> (Point, Point)? {
    var t0 = 0.0, t1 = 1.0
    let dx = b.x - a.x, dy = b.y - a.y
    for (p, q) in [(-dx, a.x - r.x), (dx, r.maxX - a.x), (-dy, a.y - r.y), (dy, r.maxY - a.y)] {
        if p == 0 { if q < 0 { return nil }; continue }
        let t = q / p
        if p < 0 { if t > t1 { return nil }; t0 = max(t0, t) } else { if t < t0 { return nil }; t1 = min(t1, t) }
    }
    // Unclipped ends are returned exactly, so callers can tell a clipped end by equality.
    return (t0 > 0 ? Point(a.x + t0 * dx, a.y + t0 * dy) : a, t1 < 1 ? Point(a.x + t1 * dx, a.y + t1 * dy) : b)
}

/// Draws one marker: filled shapes get a thin edge of the same colour, crosses are stroked.
func drawMarker(_ m: Marker, at p: Point, size: Double, color: Color, ctx: PlotContext, edge: Color? = nil) {
    let (path, stroked) = m.path(at: p, size: size)
    if stroked {
        ctx.canvas.stroke(path, color: color, style: StrokeStyle(width: ctx.style.pt(1.5), cap: .butt))
    } else {
        ctx.canvas.fill(path, color: color)
        if let e = edge { ctx.canvas.stroke(path, color: e, style: StrokeStyle(width: ctx.style.pt(0.6))) }
    }
}

/// Points drawn as markers, coloured by one colour, by integer labels (tab10) or by values (a colormap).
final class ScatterSeries: Series {
    let xs: [Double], ys: [Double]
    let colors: [Color]
    let size: Double  // marker area in points², like matplotlib's s
    let marker: Marker
    let edge: Color?
    let label: String?
    let colorScale: ColorScale?
    let legendColor: Color

    init(xs: [Double], ys: [Double], colors: [Color], legendColor: Color, size: Double, marker: Marker, edge: Color?, label: String?, colorScale: ColorScale?) {
        self.xs = xs; self.ys = ys; self.colors = colors; self.legendColor = legendColor
        self.size = size; self.marker = marker; self.edge = edge; self.label = label; self.colorScale = colorScale
    }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? { DataBounds.of(xs, ys, xLog: xLog, yLog: yLog) }

    func draw(_ ctx: PlotContext) {
        let d = ctx.style.pt(max(0, size).squareRoot()) + ctx.style.pt(edge == nil ? 1 : 0)
        // One marker outline (and edge outline), moved to each point.
        let (shape, stroked) = marker.path(at: Point(0, 0), size: d)
        let fill = stroked ? Stroker.outline(of: shape, style: StrokeStyle(width: ctx.style.pt(1.5), cap: .butt)) : shape
        let outline = (edge != nil && !stroked) ? Stroker.outline(of: shape, style: StrokeStyle(width: ctx.style.pt(0.6))) : nil
        guard let stamp = MarkerStamp(shape: fill) else { return }
        let edgeStamp = outline.flatMap { MarkerStamp(shape: $0) }
        var points: [Point] = [], pointColors: [Color] = []
        for i in 0..<min(xs.count, ys.count) {
            guard let p = ctx.point(xs[i], ys[i]) else { continue }
            points.append(p); pointColors.append(colors[i % max(1, colors.count)])
        }
        ctx.canvas.stamp(stamp, edge: edgeStamp, edgeColor: edge, at: points, colors: pointColors)
    }

    var legendKey: LegendKey? { .marker(marker, color: legendColor) }
    func avoidPoints() -> [(Double, Double)] { Array(zip(xs, ys)) }
}

/// Vertical bars from 0 (or `bottom`) to each height.
final class BarSeries: Series {
    let centers: [Double], heights: [Double], widths: [Double]
    let color: Color
    let edge: Color?
    let label: String?
    let categories: [String]?

    init(centers: [Double], heights: [Double], widths: [Double], color: Color, edge: Color?, label: String?, categories: [String]?) {
        self.centers = centers; self.heights = heights; self.widths = widths
        self.color = color; self.edge = edge; self.label = label; self.categories = categories
    }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? {
        var b: DataBounds? = nil
        for (i, c) in centers.enumerated() where c.isFinite && heights[i].isFinite {
            let w = widths[i] / 2
            let lo = yLog ? min(heights[i], 1) : min(0, heights[i])
            let p = DataBounds(x0: c - w, x1: c + w, y0: lo, y1: max(0, heights[i]))
            b = b.map { $0.union(p) } ?? p
        }
        return b
    }

    var hints: AxisHints { var h = AxisHints(); h.stickyZeroY = true; h.xCategories = categories; return h }

    func draw(_ ctx: PlotContext) {
        for (i, c) in centers.enumerated() {
            let base = ctx.y.log ? ctx.y.lo : 0
            guard let xa = ctx.x(c - widths[i] / 2), let xb = ctx.x(c + widths[i] / 2),
                  let ya = ctx.y(base), let yb = ctx.y(heights[i]) else { continue }
            // Snap the sides to whole device pixels so adjacent bars (histograms) meet without seams.
            let left = min(xa, xb).rounded(), right = max(xa, xb).rounded()
            let r = Rect(x: left, y: min(ya, yb), width: max(1, right - left), height: abs(yb - ya))
            ctx.canvas.fillRect(r, color: color)
            if let e = edge {
                var p = Path(); p.rect(r)
                ctx.canvas.stroke(p, color: e, style: StrokeStyle(width: ctx.style.pt(0.8), join: .miter))
            }
        }
    }

    var legendKey: LegendKey? { .patch(color) }
    func avoidPoints() -> [(Double, Double)] {
        centers.indices.flatMap { i in [(centers[i], heights[i]), (centers[i], heights[i] / 2)] }
    }
}
