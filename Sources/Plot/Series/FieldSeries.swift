import Foundation

/// A field sampled on a regular grid, coloured per device pixel: filled contours (bands between levels)
/// or decision regions (the arg-max class of interpolated scores).
final class FieldSeries: Series {
    enum Kind {
        /// Bands between `levels` coloured by the colormap.
        case bands(levels: [Double], cmap: Colormap)
        /// `classes` scores per grid point (1 = labels or a single score) → tab10 regions.
        case regions(classes: Int)
    }
    let xs: [Double], ys: [Double]  // grid coordinates, increasing
    let values: [Double]            // ys.count × xs.count × channels
    let kind: Kind
    let label: String? = nil
    let showColorbar: Bool

    init(xs: [Double], ys: [Double], values: [Double], kind: Kind, colorbar: Bool) {
        self.xs = xs; self.ys = ys; self.values = values; self.kind = kind; self.showColorbar = colorbar
    }

    func bounds(xLog: Bool, yLog: Bool) -> DataBounds? {
        guard let x0 = xs.first, let x1 = xs.last, let y0 = ys.first, let y1 = ys.last else { return nil }
        return DataBounds(x0: x0, x1: x1, y0: y0, y1: y1)
    }
    var hints: AxisHints { AxisHints(marginX: false, marginY: false) }
    var legendKey: LegendKey? { nil }
    var colorScale: ColorScale? {
        guard showColorbar, case let .bands(levels, cmap) = kind, let lo = levels.first, let hi = levels.last, hi > lo else { return nil }
        return ColorScale(map: cmap, lo: lo, hi: hi)
    }

    /// Fractional grid index of a coordinate (clamped), by binary search on the increasing grid.
    private static func locate(_ v: Double, in g: [Double]) -> (Int, Double)? {
        guard g.count >= 2, let first = g.first, let last = g.last, v >= first, v <= last else { return nil }
        var lo = 0, hi = g.count - 1
        while hi - lo > 1 { let m = (lo + hi) / 2; if g[m] <= v { lo = m } else { hi = m } }
        let span = g[hi] - g[lo]
        return (lo, span > 0 ? (v - g[lo]) / span : 0)
    }

    func draw(_ ctx: PlotContext) {
        let r = ctx.rect
        let x0 = Int(r.x.rounded()), y0 = Int(r.y.rounded())
        let w = Int(r.maxX.rounded()) - x0, h = Int(r.maxY.rounded()) - y0
        guard w > 0, h > 0, xs.count >= 2, ys.count >= 2 else { return }
        let channels = max(1, values.count / (xs.count * ys.count))
        var px = [UInt8](repeating: 0, count: w * h * 4)
        var colors: [[UInt8]] = []
        var isLabels = false
        switch kind {
        case let .bands(levels, cmap):
            let n = max(1, levels.count - 1)
            colors = (0..<n).map { i in let c = cmap.color((Double(i) + 0.5) / Double(n)); return [channel(c.r), channel(c.g), channel(c.b), 255] }
        case .regions:
            // Light tints of tab10 (alpha 0.3 over white), like matplotlib's usual decision plots.
            colors = (0..<10).map { i in let c = Palette.cycle(i); return [c.r, c.g, c.b].map { channel(1 - 0.35 * (1 - $0)) } + [255] }
            isLabels = channels == 1 && values.allSatisfy { !$0.isFinite || $0 == $0.rounded() }
        }
        let threshold = values.allSatisfy { !$0.isFinite || (0...1).contains($0) } ? 0.5 : 0.0
        let xLoc = (0..<w).map { FieldSeries.locate(ctx.x.inverse(Double(x0 + $0) + 0.5), in: xs) }
        var interp = [Double](repeating: 0, count: channels)
        for j in 0..<h {
            guard let (gy, fy) = FieldSeries.locate(ctx.y.inverse(Double(y0 + j) + 0.5), in: ys) else { continue }
            let gy1 = min(gy + 1, ys.count - 1)
            for i in 0..<w {
                guard let (gx, fx) = xLoc[i] else { continue }
                let gx1 = min(gx + 1, xs.count - 1)
                let index: Int
                if isLabels {
                    // Labels vote with their bilinear weights, so region edges come out smooth, not blocky.
                    let corners = [(gy, gx, (1 - fx) * (1 - fy)), (gy, gx1, fx * (1 - fy)), (gy1, gx, (1 - fx) * fy), (gy1, gx1, fx * fy)]
                    var best = -1, bestWeight = -1.0
                    for (cy, cx, _) in corners {
                        let v = values[cy * xs.count + cx]
                        guard v.isFinite else { continue }
                        let weight = corners.reduce(0.0) { $0 + (values[$1.0 * xs.count + $1.1] == v ? $1.2 : 0) }
                        if weight > bestWeight { bestWeight = weight; best = Int(max(0, min(1e6, v))) }
                    }
                    guard best >= 0 else { continue }
                    index = best
                } else {
                    for k in 0..<channels {
                        let a = values[(gy * xs.count + gx) * channels + k], b = values[(gy * xs.count + gx1) * channels + k]
                        let c = values[(gy1 * xs.count + gx) * channels + k], d = values[(gy1 * xs.count + gx1) * channels + k]
                        interp[k] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
                    }
                    guard interp[0].isFinite else { continue }
                    switch kind {
                    case let .bands(levels, _):
                        var band = 0
                        while band + 1 < levels.count - 1 && interp[0] >= levels[band + 1] { band += 1 }
                        index = band
                    case .regions:
                        if channels == 1 { index = interp[0] > threshold ? 1 : 0 }
                        else { index = interp.indices.max { interp[$0] < interp[$1] } ?? 0 }
                    }
                }
                let c = colors[index % colors.count]
                let o = (j * w + i) * 4
                px[o] = c[0]; px[o + 1] = c[1]; px[o + 2] = c[2]; px[o + 3] = 255
            }
        }
        ctx.canvas.drawImage(rgba: px, columns: w, rows: h, in: Rect(x: Double(x0), y: Double(y0), width: Double(w), height: Double(h)))
    }
}
