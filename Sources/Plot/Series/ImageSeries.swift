import Foundation

/// Pixels of a rows×cols image turned into RGBA by a colormap (1 channel) or taken as RGB(A) in 0…1.
struct ImageData {
    let rows: Int, cols: Int
    let rgba: [UInt8]
    let scale: ColorScale?

    init(values: [Double], rows: Int, cols: Int, channels: Int, cmap: Colormap, vmin: Double?, vmax: Double?) throws {
        guard channels == 1 || channels == 3 || channels == 4 else {
            throw PlotError("image: \(channels) channels; an image has 1 (values, with a colormap), 3 (RGB) or 4 (RGBA)")
        }
        guard rows > 0, cols > 0, values.count == rows * cols * channels else {
            throw PlotError("image: \(values.count) values do not make a \(rows)×\(cols)\(channels > 1 ? "×\(channels)" : "") image; pass a 2-D array (or H×W×3 for colour)")
        }
        self.rows = rows; self.cols = cols
        var px = [UInt8](repeating: 255, count: rows * cols * 4)
        if channels == 1 {
            let finite = values.filter { $0.isFinite }
            var lo = vmin ?? finite.min() ?? 0, hi = vmax ?? finite.max() ?? 1
            if hi <= lo { lo -= 0.5; hi += 0.5 }
            let lut = cmap.lookupTable()
            for i in 0..<(rows * cols) {
                let v = values[i]
                guard v.isFinite else { px[i * 4 + 3] = 0; continue }
                let k = Int((max(0, min(1, (v - lo) / (hi - lo))) * 255).rounded())
                px[i * 4] = lut[k * 4]; px[i * 4 + 1] = lut[k * 4 + 1]; px[i * 4 + 2] = lut[k * 4 + 2]
            }
            scale = ColorScale(map: cmap, lo: lo, hi: hi)
        } else {
            // Colour images in 0…1, or 0…255 when any value is above 1.
            let maxV = values.filter { $0.isFinite }.max() ?? 1
            let k = maxV > 1 ? 1.0 / 255 : 1.0
            for i in 0..<(rows * cols) {
                for c in 0..<channels { px[i * 4 + c] = channel((values[i * channels + c].isFinite ? values[i * channels + c] : 0) * k) }
            }
            scale = nil
        }
        rgba = px
    }
}

/// An image drawn cell by cell (nearest neighbour) over [-0.5, cols-0.5] × [-0.5, rows-0.5], row 0 at top.
final class ImageSeries: Series {
    let image: ImageData
    let label: String? = nil
    let showColorbar: Bool
    init(image: ImageData, colorbar: Bool) { self.image = image; self.showColorbar = colorbar }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? {
        DataBounds(x0: -0.5, x1: Double(image.cols) - 0.5, y0: -0.5, y1: Double(image.rows) - 0.5)
    }
    var hints: AxisHints { AxisHints(marginX: false, marginY: false, invertY: true, equalAspect: true) }
    var colorScale: ColorScale? { showColorbar ? image.scale : nil }
    var legendKey: LegendKey? { nil }

    func draw(_ ctx: PlotContext) {
        guard let a = ctx.point(-0.5, -0.5), let b = ctx.point(Double(image.cols) - 0.5, Double(image.rows) - 0.5) else { return }
        ctx.canvas.drawImage(rgba: image.rgba, columns: image.cols, rows: image.rows,
                             in: Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y)))
    }
}

/// A grid of small images (a batch), each with an optional title; the axes frame is hidden.
final class ImageGridSeries: Series {
    let images: [ImageData]
    let titles: [String]
    let gridCols: Int
    let label: String? = nil
    init(images: [ImageData], titles: [String], gridCols: Int) { self.images = images; self.titles = titles; self.gridCols = gridCols }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? { DataBounds(x0: 0, x1: 1, y0: 0, y1: 1) }
    var hints: AxisHints { var h = AxisHints(); h.hideAxes = true; return h }
    var legendKey: LegendKey? { nil }

    func draw(_ ctx: PlotContext) {
        guard !images.isEmpty else { return }
        let cols = max(1, min(gridCols, images.count))
        let rows = (images.count + cols - 1) / cols
        let area = ctx.rect
        let titleH = titles.isEmpty ? 0 : ctx.style.pt(9) * 1.4
        let gap = ctx.style.pt(4)
        let cellW = area.width / Double(cols), cellH = area.height / Double(rows)
        for (i, img) in images.enumerated() {
            let r = i / cols, c = i % cols
            let boxW = cellW - gap, boxH = cellH - gap - titleH
            guard boxW > 1, boxH > 1 else { continue }
            // Keep square pixels: fit the image in its box.
            let s = min(boxW / Double(img.cols), boxH / Double(img.rows))
            let w = s * Double(img.cols), h = s * Double(img.rows)
            let x = area.x + Double(c) * cellW + (cellW - w) / 2
            let y = area.y + Double(r) * cellH + titleH + (cellH - titleH - h) / 2
            ctx.canvas.drawImage(rgba: img.rgba, columns: img.cols, rows: img.rows, in: Rect(x: x, y: y, width: w, height: h))
            if i < titles.count {
                drawText(titles[i], on: ctx.canvas, font: ctx.font, at: Point(x + w / 2, y - ctx.style.pt(2)), size: ctx.style.pt(9),
                         anchor: (.center, .bottom), color: .black)
            }
        }
    }
}

/// A matrix as coloured cells with optional value annotations and row/column labels (confusion matrices).
final class HeatmapSeries: Series {
    let image: ImageData
    let values: [Double]
    let annotate: Bool
    let xlabels: [String]?, ylabels: [String]?
    let label: String? = nil
    init(image: ImageData, values: [Double], annotate: Bool, xlabels: [String]?, ylabels: [String]?) {
        self.image = image; self.values = values; self.annotate = annotate; self.xlabels = xlabels; self.ylabels = ylabels
    }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? {
        DataBounds(x0: -0.5, x1: Double(image.cols) - 0.5, y0: -0.5, y1: Double(image.rows) - 0.5)
    }
    var hints: AxisHints {
        var h = AxisHints(marginX: false, marginY: false, invertY: true, equalAspect: false)
        h.xCategories = xlabels ?? (0..<image.cols).map(String.init)
        h.yCategories = ylabels ?? (0..<image.rows).map(String.init)
        return h
    }
    var colorScale: ColorScale? { image.scale }
    var legendKey: LegendKey? { nil }

    func draw(_ ctx: PlotContext) {
        ImageSeries(image: image, colorbar: false).draw(ctx)
        guard annotate else { return }
        let cellH = abs((ctx.y(1) ?? 0) - (ctx.y(0) ?? 0)), cellW = abs((ctx.x(1) ?? 0) - (ctx.x(0) ?? 0))
        let texts = values.map { Ticks.format($0, digits: 3) }
        let widest = texts.map { ctx.font.width(of: $0, size: 1) }.max() ?? 1
        let size = min(ctx.style.pt(10), cellH * 0.45, cellW * 0.85 / max(widest, 0.1))
        guard size >= ctx.style.pt(4) else { return }
        for r in 0..<image.rows {
            for c in 0..<image.cols {
                let i = r * image.cols + c
                guard let p = ctx.point(Double(c), Double(r)) else { continue }
                let o = i * 4
                let luminance = 0.299 * Double(image.rgba[o]) + 0.587 * Double(image.rgba[o + 1]) + 0.114 * Double(image.rgba[o + 2])
                drawText(texts[i], on: ctx.canvas, font: ctx.font, at: p, size: size, anchor: (.center, .center),
                         color: luminance < 128 ? .white : .black)
            }
        }
    }
}

/// Hinton diagram: a square per weight, area ∝ |w|, white positive and black negative on grey.
final class HintonSeries: Series {
    let values: [Double]
    let rows: Int, cols: Int
    let label: String? = nil
    init(values: [Double], rows: Int, cols: Int) { self.values = values; self.rows = rows; self.cols = cols }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? {
        DataBounds(x0: -0.5, x1: Double(cols) - 0.5, y0: -0.5, y1: Double(rows) - 0.5)
    }
    var hints: AxisHints { AxisHints(marginX: false, marginY: false, invertY: true, equalAspect: true) }
    var legendKey: LegendKey? { nil }

    func draw(_ ctx: PlotContext) {
        guard let a = ctx.point(-0.5, -0.5), let b = ctx.point(Double(cols) - 0.5, Double(rows) - 0.5) else { return }
        ctx.canvas.fillRect(Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y)), color: Color(r: 0.5, g: 0.5, b: 0.5))
        let biggest = values.filter { $0.isFinite }.map { abs($0) }.max() ?? 0
        guard biggest > 0 else { return }
        for r in 0..<rows {
            for c in 0..<cols {
                let v = values[r * cols + c]
                guard v.isFinite, v != 0, let p = ctx.point(Double(c), Double(r)), let q = ctx.point(Double(c) + 1, Double(r) + 1) else { continue }
                let side = (abs(v) / biggest).squareRoot() * 0.95
                let w = abs(q.x - p.x) * side, h = abs(q.y - p.y) * side
                ctx.canvas.fillRect(Rect(x: p.x - w / 2, y: p.y - h / 2, width: w, height: h), color: v > 0 ? .white : .black)
            }
        }
    }
}
