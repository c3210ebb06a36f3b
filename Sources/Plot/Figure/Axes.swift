/// Linear or logarithmic axis scale.
public enum AxisScale: String, Sendable { case linear, log }

/// Where a legend goes; `best` picks the corner that hides the fewest data points.
public enum LegendLocation: String, Sendable { case best, upperRight = "upper right", upperLeft = "upper left", lowerLeft = "lower left", lowerRight = "lower right" }

/// One plotting area of a figure: its series, labels, scales, limits and decorations. The methods
/// mirror the script API (`ax.line`, `ax.title`, …).
public final class Axes {
    var series: [any Series] = []
    public var titleText: String?
    public var xlabelText: String?
    public var ylabelText: String?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    public var xLimits: (Double, Double)?
    public var yLimits: (Double, Double)?
    public var showGrid = false
    /// nil: a legend is drawn only when asked for.
    public var legendLocation: LegendLocation?
    var colorIndex = 0

    public init() {}

    /// The next colour of the tab10 cycle.
    func nextColor() -> Color { defer { colorIndex += 1 }; return Palette.cycle(colorIndex) }

    public func title(_ text: String) { titleText = text }
    public func xlabel(_ text: String) { xlabelText = text }
    public func ylabel(_ text: String) { ylabelText = text }
    public func xscale(_ s: AxisScale) { xScale = s }
    public func yscale(_ s: AxisScale) { yScale = s }
    public func grid(_ on: Bool = true) { showGrid = on }
    public func legend(_ location: LegendLocation = .best) { legendLocation = location }

    /// Fixes the x range; a reversed or non-finite range is an error.
    public func xlim(_ lo: Double, _ hi: Double) throws { xLimits = try checkedLimits(lo, hi, "xlim") }
    public func ylim(_ lo: Double, _ hi: Double) throws { yLimits = try checkedLimits(lo, hi, "ylim") }

    private func checkedLimits(_ lo: Double, _ hi: Double, _ name: String) throws -> (Double, Double) {
        guard lo.isFinite, hi.isFinite, lo != hi else {
            throw PlotError("\(name)(\(lo), \(hi)): the limits must be two different finite numbers")
        }
        return (lo, hi)
    }

    /// Whether any series asks for a colorbar (the last one wins).
    var colorScale: ColorScale? { series.compactMap(\.colorScale).last }
}
