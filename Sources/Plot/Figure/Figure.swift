import Foundation

/// A figure: a grid of axes drawn together into one PNG. Sizes are in inches at 100 logical pixels
/// per inch (the default 6.4 × 4.8 is 640 × 480), rendered at `scale` device pixels per logical pixel.
public final class Figure {
    public let rows: Int
    public let cols: Int
    public let widthInches: Double
    public let heightInches: Double
    public var scale: Double = 2
    public private(set) var axes: [Axes]
    public var suptitle: String?

    public init(rows: Int = 1, cols: Int = 1, size: (Double, Double)? = nil) throws {
        guard rows >= 1, cols >= 1, rows * cols <= 400 else {
            throw PlotError("figure(rows=\(rows), cols=\(cols)): rows and cols must be at least 1 (and at most 400 axes)")
        }
        let (w, h) = size ?? (6.4, 4.8)
        guard w.isFinite, h.isFinite, w >= 0.5, h >= 0.5, w <= 40, h <= 40 else {
            throw PlotError("figure(size=(\(w), \(h))): width and height are inches between 0.5 and 40")
        }
        self.rows = rows; self.cols = cols; widthInches = w; heightInches = h
        axes = (0..<(rows * cols)).map { _ in Axes() }
    }

    /// The i-th axes, row by row; negative indices count from the end.
    public func axes(_ i: Int) throws -> Axes {
        let j = i < 0 ? i + axes.count : i
        guard j >= 0, j < axes.count else {
            throw PlotError("fig[\(i)]: this figure has \(axes.count) axes (indices 0…\(axes.count - 1))")
        }
        return axes[j]
    }

    /// `fig[i]`: the i-th axes, as `axes(_:)`.
    public subscript(i: Int) -> Axes { get throws { try axes(i) } }

    /// Logical size in pixels (the `image/png` width/height metadata).
    public var logicalWidth: Int { Int((widthInches * 100).rounded()) }
    public var logicalHeight: Int { Int((heightInches * 100).rounded()) }

    /// Draws the figure onto a new canvas at `scale`× the logical size.
    public func render() throws -> Canvas { try render(pooled: false) }

    func render(pooled: Bool) throws -> Canvas {
        let font = try Font.dejaVuSans()
        let canvas = Canvas(width: Int((Double(logicalWidth) * scale).rounded()), height: Int((Double(logicalHeight) * scale).rounded()),
                            background: .white, pooled: pooled)
        var top = 0.0
        let style = Style(scale: scale)
        if let s = suptitle, !s.isEmpty {
            let size = style.pt(14)
            top = size * 1.6
            drawText(s, on: canvas, font: font, at: Point(Double(canvas.width) / 2, size * 0.3), size: size,
                     anchor: (.center, .top), color: .black)
        }
        let cellW = Double(canvas.width) / Double(cols)
        let cellH = (Double(canvas.height) - top) / Double(rows)
        for (i, ax) in axes.enumerated() {
            let r = i / cols, c = i % cols
            let cell = Rect(x: Double(c) * cellW, y: top + Double(r) * cellH, width: cellW, height: cellH)
            AxesRenderer(axes: ax, canvas: canvas, font: font, cell: cell, style: style).draw()
        }
        return canvas
    }

    /// The figure as PNG bytes, with its logical width and height (half the pixel size at 2×).
    public func renderPNG() throws -> (png: [UInt8], width: Int, height: Int) {
        let canvas = try render(pooled: true)
        let png = try PNGEncoder.encode(rgba: canvas.pixels, width: canvas.width, height: canvas.height,
                                        pixelsPerMeter: Int((scale * 100 / 0.0254).rounded()), level: 1, fast: true)
        return (png, logicalWidth, logicalHeight)
    }

    /// Writes the figure as a PNG file.
    public func save(path: String) throws {
        let png = try renderPNG().png
        guard FileManager.default.createFile(atPath: path, contents: Data(png)) else {
            throw PlotError("save(\"\(path)\"): could not write the file (does the folder exist, is it writable?)")
        }
    }
}

/// Sizes in device pixels derived from points (1 pt = 100/72 logical px).
struct Style {
    let scale: Double
    func pt(_ points: Double) -> Double { points * 100 / 72 * scale }
    var fontSize: Double { pt(10) }
    var titleSize: Double { pt(12) }
    var lineWidth: Double { pt(1.5) }
    var spineWidth: Double { pt(0.8) }
    var tickLength: Double { pt(3.5) }
    var pad: Double { pt(3.5) }
}

enum HAnchor { case left, center, right }
enum VAnchor { case top, center, baseline, bottom }

/// Draws one line of text anchored at a point (the anchor is in the text's own rotated frame).
func drawText(_ text: String, on canvas: Canvas, font: Font, at p: Point, size: Double,
              anchor: (HAnchor, VAnchor), color: Color, angle: Double = 0) {
    guard !text.isEmpty else { return }
    let w = font.width(of: text, size: size)
    let dx: Double = anchor.0 == .left ? 0 : anchor.0 == .center ? -w / 2 : -w
    let capHeight = 0.73 * size
    let dy: Double
    switch anchor.1 {
    case .top: dy = capHeight
    case .center: dy = capHeight / 2
    case .baseline: dy = 0
    case .bottom: dy = -font.descent(size: size)
    }
    // Offset in the text frame, rotated onto the page (angle counter-clockwise, y down).
    let ca = cos(angle), sa = sin(angle)
    let origin = Point(p.x + dx * ca + dy * sa, p.y - dx * sa + dy * ca)
    canvas.fill(font.path(of: text, size: size, origin: origin, angle: angle), color: color)
}
