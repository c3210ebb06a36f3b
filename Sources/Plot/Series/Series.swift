import Foundation

/// Data extents of a series.
struct DataBounds {
    var x0: Double, x1: Double, y0: Double, y1: Double
    func union(_ o: DataBounds) -> DataBounds {
        DataBounds(x0: min(x0, o.x0), x1: max(x1, o.x1), y0: min(y0, o.y0), y1: max(y1, o.y1))
    }
    /// Bounds of the finite (and, on log axes, positive) points.
    static func of(_ xs: [Double], _ ys: [Double], xLog: Bool, yLog: Bool) -> DataBounds? {
        var b: DataBounds? = nil
        for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite && (!xLog || x > 0) && (!yLog || y > 0) {
            let p = DataBounds(x0: x, x1: x, y0: y, y1: y)
            b = b.map { $0.union(p) } ?? p
        }
        return b
    }
}

/// What a legend entry shows for a series.
enum LegendKey {
    case line(color: Color, width: Double, dashes: [Double], marker: Marker?)
    case marker(Marker, color: Color)
    case patch(Color)
}

/// A colour scale shown by a colorbar.
struct ColorScale {
    var map: Colormap
    var lo: Double
    var hi: Double
}

/// Axis traits a series imposes (images invert y and fix the aspect; bars stick to zero).
struct AxisHints {
    var marginX = true, marginY = true
    var invertY = false
    var equalAspect = false
    var stickyZeroY = false
    var hideAxes = false
    var xCategories: [String]? = nil
    var yCategories: [String]? = nil
}

/// Something drawn inside an axes.
protocol Series: AnyObject {
    var label: String? { get }
    func bounds(xLog: Bool, yLog: Bool) -> DataBounds?
    var hints: AxisHints { get }
    func draw(_ ctx: PlotContext)
    var legendKey: LegendKey? { get }
    /// Points (in data space) a legend should avoid covering.
    func avoidPoints() -> [(Double, Double)]
    var colorScale: ColorScale? { get }
}

extension Series {
    var hints: AxisHints { AxisHints() }
    var colorScale: ColorScale? { nil }
    func avoidPoints() -> [(Double, Double)] { [] }
}

/// Maps one data axis onto a device-pixel interval.
struct AxisMap {
    var lo: Double, hi: Double
    var log: Bool
    var p0: Double, p1: Double
    func callAsFunction(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        if log {
            guard v > 0 else { return nil }
            return p0 + (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo)) * (p1 - p0)
        }
        return p0 + (v - lo) / (hi - lo) * (p1 - p0)
    }
    /// Device coordinate → data value.
    func inverse(_ p: Double) -> Double {
        let t = (p - p0) / (p1 - p0)
        if log { return pow(10, Foundation.log10(lo) + t * (Foundation.log10(hi) - Foundation.log10(lo))) }
        return lo + t * (hi - lo)
    }
}

/// Everything a series needs to draw itself.
struct PlotContext {
    let canvas: Canvas
    let font: Font
    let style: Style
    /// The plot area in device pixels.
    let rect: Rect
    /// The whole cell of the axes (for series that hide the axes, like image grids).
    let cell: Rect
    let x: AxisMap
    let y: AxisMap
    func point(_ xv: Double, _ yv: Double) -> Point? {
        guard let px = x(xv), let py = y(yv) else { return nil }
        return Point(px, py)
    }
}

/// Validates paired coordinates.
func checkPairs(_ xs: [Double], _ ys: [Double], _ what: String) throws {
    guard xs.count == ys.count else {
        throw PlotError("\(what): x has \(xs.count) values but y has \(ys.count); they must have the same length")
    }
}
