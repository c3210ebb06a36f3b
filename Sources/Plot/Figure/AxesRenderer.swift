import Foundation

/// Lays out and draws one axes inside its cell of the figure.
struct AxesRenderer {
    let axes: Axes
    let canvas: Canvas
    let font: Font
    let cell: Rect
    let style: Style

    private struct AxisPlan {
        var lo: Double, hi: Double
        var ticks: [Tick]
        var minor: [Double] = []
        var log: Bool
    }

    func draw() {
        if axes.series.contains(where: { $0.hints.hideAxes }) { drawWithoutAxes(); return }
        let (xPlan, yPlan, invertY, equal) = planAxes()
        let fs = style.fontSize
        let yTickW = yPlan.ticks.map { font.width(of: $0.label, size: fs) }.max() ?? 0
        let xTickH = xPlan.ticks.isEmpty ? 0 : fs * 0.73 + font.descent(size: fs) * 0.5
        let scale = axes.colorScale
        let cbTicks = scale.map { Ticks.linear($0.lo, $0.hi, target: max(3, min(9, Int(cell.height / style.scale / 55)))) } ?? []
        var rect = plotArea(yTickW: yTickW, xTickH: xTickH, lastXTick: xPlan.ticks.last?.label, colorbarTicks: scale == nil ? nil : cbTicks)
        guard rect.width > 4, rect.height > 4 else { return }
        let (xlo, xhi, ylo, yhi) = (xPlan.lo, xPlan.hi, yPlan.lo, yPlan.hi)
        if equal {
            // Same data units per pixel on both axes: shrink one side, centred.
            let ux = rect.width / (xhi - xlo), uy = rect.height / (yhi - ylo)
            if ux > uy { let w = (xhi - xlo) * uy; rect.x += (rect.width - w) / 2; rect.width = w }
            else { let h = (yhi - ylo) * ux; rect.y += (rect.height - h) / 2; rect.height = h }
        }
        let xMap = AxisMap(lo: xlo, hi: xhi, log: xPlan.log, p0: rect.x, p1: rect.maxX)
        let yMap = invertY ? AxisMap(lo: ylo, hi: yhi, log: yPlan.log, p0: rect.y, p1: rect.maxY)
                           : AxisMap(lo: ylo, hi: yhi, log: yPlan.log, p0: rect.maxY, p1: rect.y)
        let ctx = PlotContext(canvas: canvas, font: font, style: style, rect: rect, cell: cell, x: xMap, y: yMap)

        if axes.showGrid { drawGrid(ctx, xPlan, yPlan) }
        canvas.clip = rect
        for s in axes.series { s.draw(ctx) }
        canvas.clip = nil
        drawFrame(ctx, xPlan, yPlan)
        drawLabels(ctx, xTickH: xTickH, yTickW: yTickW)
        if let loc = axes.legendLocation { Legend(ctx: ctx, series: axes.series).draw(at: loc) }
        if let cs = scale { drawColorbar(ctx, cs, ticks: cbTicks) }
    }

    /// Series that fill the whole cell themselves (image grids): a title and the series, no frame.
    private func drawWithoutAxes() {
        let inset = style.pt(6)
        var top = cell.y + inset
        if let t = axes.titleText, !t.isEmpty {
            drawText(t, on: canvas, font: font, at: Point(cell.x + cell.width / 2, top), size: style.titleSize, anchor: (.center, .top), color: .black)
            top += style.titleSize * 1.5
        }
        let area = Rect(x: cell.x + inset, y: top, width: cell.width - 2 * inset, height: cell.maxY - inset - top)
        let ctx = PlotContext(canvas: canvas, font: font, style: style, rect: area, cell: cell,
                              x: AxisMap(lo: 0, hi: 1, log: false, p0: area.x, p1: area.maxX),
                              y: AxisMap(lo: 0, hi: 1, log: false, p0: area.maxY, p1: area.y))
        for s in axes.series where s.hints.hideAxes { s.draw(ctx) }
    }

    /// Data limits (with margins, sticky zero, user limits) and ticks for both axes.
    private func planAxes() -> (x: AxisPlan, y: AxisPlan, invertY: Bool, equalAspect: Bool) {
        let hints = axes.series.map(\.hints)
        let xLog = axes.xScale == .log, yLog = axes.yScale == .log
        var bounds: DataBounds? = nil
        for s in axes.series { if let b = s.bounds(xLog: xLog, yLog: yLog) { bounds = bounds.map { $0.union(b) } ?? b } }
        let marginX = hints.allSatisfy(\.marginX), marginY = hints.allSatisfy(\.marginY)
        let sticky = hints.contains(where: \.stickyZeroY)
        var (xlo, xhi) = range(bounds.map { ($0.x0, $0.x1) }, log: xLog, margin: marginX, sticky: false, fixed: axes.xLimits)
        var (ylo, yhi) = range(bounds.map { ($0.y0, $0.y1) }, log: yLog, margin: marginY, sticky: sticky, fixed: axes.yLimits)
        if xLog && xlo <= 0 { xlo = 1e-3; xhi = max(xhi, 1) }
        if yLog && ylo <= 0 { ylo = 1e-3; yhi = max(yhi, 1) }
        let logicalW = cell.width / style.scale, logicalH = cell.height / style.scale
        let xPlan = plan(xlo, xhi, log: xLog, categories: hints.compactMap(\.xCategories).last, target: max(3, min(9, Int(logicalW / 75))))
        let yPlan = plan(ylo, yhi, log: yLog, categories: hints.compactMap(\.yCategories).last, target: max(3, min(9, Int(logicalH / 55))))
        return (xPlan, yPlan, hints.contains(where: \.invertY) && axes.yLimits == nil, hints.contains(where: \.equalAspect))
    }

    /// The plot rectangle: the cell less margins sized from the real extents of the text around it.
    private func plotArea(yTickW: Double, xTickH: Double, lastXTick: String?, colorbarTicks: [Tick]?) -> Rect {
        let fs = style.fontSize, pad = style.pad, tick = style.tickLength, outer = style.pt(7)
        var left = outer + yTickW + pad + tick
        if let l = axes.ylabelText, !l.isEmpty { left += fs * 1.2 + pad }
        var bottom = outer + xTickH + pad + tick
        if let l = axes.xlabelText, !l.isEmpty { bottom += fs * 1.2 + pad }
        var top = outer + fs * 0.4
        if let t = axes.titleText, !t.isEmpty { top += style.titleSize * 1.3 + pad }
        // The last x tick label hangs half its width past the plot's right edge.
        var right = max(outer, (lastXTick.map { font.width(of: $0, size: fs) / 2 } ?? 0) + style.pt(2))
        if let cb = colorbarTicks {
            let w = cb.map { font.width(of: $0.label, size: fs) }.max() ?? 0
            right = outer + w + pad + tick + style.pt(12) + style.pt(14)
        }
        return Rect(x: cell.x + left, y: cell.y + top, width: cell.width - left - right, height: cell.height - top - bottom)
    }

    private func range(_ b: (Double, Double)?, log: Bool, margin: Bool, sticky: Bool, fixed: (Double, Double)?) -> (Double, Double) {
        if let f = fixed { return f }
        guard var (lo, hi) = b else { return log ? (1, 10) : (0, 1) }
        if log { lo = log10(lo); hi = log10(hi) }
        if hi - lo < 1e-12 * max(1, abs(lo)) {
            let d = log ? 0.5 : max(abs(lo) * 0.05, 0.05)
            lo -= d; hi += d
        } else if margin {
            let m = (hi - lo) * 0.05
            if !(sticky && lo == 0) { lo -= m }
            if !(sticky && hi == 0) { hi += m }
        }
        return log ? (pow(10, lo), pow(10, hi)) : (lo, hi)
    }

    private func plan(_ lo: Double, _ hi: Double, log: Bool, categories: [String]?, target: Int) -> AxisPlan {
        let a = min(lo, hi), b = max(lo, hi)
        if let cats = categories {
            return AxisPlan(lo: lo, hi: hi, ticks: cats.enumerated().compactMap { i, l in
                let v = Double(i)
                return v >= a && v <= b ? Tick(value: v, label: l) : nil
            }, log: false)
        }
        if log { let t = Ticks.log(a, b); return AxisPlan(lo: lo, hi: hi, ticks: t.major, minor: t.minor, log: true) }
        return AxisPlan(lo: lo, hi: hi, ticks: Ticks.linear(a, b, target: target), log: false)
    }

    private func drawGrid(_ ctx: PlotContext, _ xp: AxisPlan, _ yp: AxisPlan) {
        var p = Path()
        for t in xp.ticks { if let x = ctx.x(t.value) { p.move(to: Point(x, ctx.rect.y)); p.line(to: Point(x, ctx.rect.maxY)) } }
        for t in yp.ticks { if let y = ctx.y(t.value) { p.move(to: Point(ctx.rect.x, y)); p.line(to: Point(ctx.rect.maxX, y)) } }
        canvas.stroke(p, color: Color(r: 0.69, g: 0.69, b: 0.69), style: StrokeStyle(width: style.pt(0.8), cap: .butt))
    }

    private func drawFrame(_ ctx: PlotContext, _ xp: AxisPlan, _ yp: AxisPlan) {
        let r = ctx.rect, fs = style.fontSize, tick = style.tickLength
        // The four spines as separate thin rectangles (four small fills beat one frame-sized one).
        let sw = style.spineWidth, h = sw / 2
        for side in [Rect(x: r.x - h, y: r.y - h, width: r.width + sw, height: sw), Rect(x: r.x - h, y: r.maxY - h, width: r.width + sw, height: sw),
                     Rect(x: r.x - h, y: r.y - h, width: sw, height: r.height + sw), Rect(x: r.maxX - h, y: r.y - h, width: sw, height: r.height + sw)] {
            canvas.fillRect(side, color: .black)
        }
        var ticks = Path(), minor = Path()
        for t in xp.ticks {
            guard let x = ctx.x(t.value) else { continue }
            ticks.move(to: Point(x, r.maxY)); ticks.line(to: Point(x, r.maxY + tick))
            drawText(t.label, on: canvas, font: font, at: Point(x, r.maxY + tick + style.pad), size: fs, anchor: (.center, .top), color: .black)
        }
        for t in yp.ticks {
            guard let y = ctx.y(t.value) else { continue }
            ticks.move(to: Point(r.x, y)); ticks.line(to: Point(r.x - tick, y))
            drawText(t.label, on: canvas, font: font, at: Point(r.x - tick - style.pad, y), size: fs, anchor: (.right, .center), color: .black)
        }
        for v in xp.minor { if let x = ctx.x(v) { minor.move(to: Point(x, r.maxY)); minor.line(to: Point(x, r.maxY + tick * 0.57)) } }
        for v in yp.minor { if let y = ctx.y(v) { minor.move(to: Point(r.x, y)); minor.line(to: Point(r.x - tick * 0.57, y)) } }
        canvas.stroke(ticks, color: .black, style: StrokeStyle(width: style.spineWidth, cap: .butt))
        canvas.stroke(minor, color: .black, style: StrokeStyle(width: style.pt(0.6), cap: .butt))
    }

    private func drawLabels(_ ctx: PlotContext, xTickH: Double, yTickW: Double) {
        let r = ctx.rect, fs = style.fontSize
        if let t = axes.titleText, !t.isEmpty {
            drawText(t, on: canvas, font: font, at: Point(r.x + r.width / 2, r.y - style.pt(6)), size: style.titleSize, anchor: (.center, .bottom), color: .black)
        }
        if let l = axes.xlabelText, !l.isEmpty {
            drawText(l, on: canvas, font: font, at: Point(r.x + r.width / 2, r.maxY + style.tickLength + style.pad + xTickH + style.pad),
                     size: fs, anchor: (.center, .top), color: .black)
        }
        if let l = axes.ylabelText, !l.isEmpty {
            drawText(l, on: canvas, font: font, at: Point(r.x - style.tickLength - style.pad - yTickW - style.pad, r.y + r.height / 2),
                     size: fs, anchor: (.center, .bottom), color: .black, angle: Double.pi / 2)
        }
    }

    private func drawColorbar(_ ctx: PlotContext, _ cs: ColorScale, ticks: [Tick]) {
        let r = ctx.rect
        let bar = Rect(x: r.maxX + style.pt(12), y: r.y, width: style.pt(14), height: r.height)
        let n = max(2, Int(bar.height))
        var px = [UInt8](repeating: 255, count: n * 4)
        for i in 0..<n {
            let c = cs.map.color(1 - Double(i) / Double(n - 1))
            px[i * 4] = channel(c.r); px[i * 4 + 1] = channel(c.g); px[i * 4 + 2] = channel(c.b)
        }
        canvas.drawImage(rgba: px, columns: 1, rows: n, in: bar)
        var frame = Path(); frame.rect(bar)
        canvas.stroke(frame, color: .black, style: StrokeStyle(width: style.spineWidth, join: .miter))
        let map = AxisMap(lo: cs.lo, hi: cs.hi, log: false, p0: bar.maxY, p1: bar.y)
        var tp = Path()
        for t in ticks {
            guard let y = map(t.value) else { continue }
            tp.move(to: Point(bar.maxX, y)); tp.line(to: Point(bar.maxX + style.tickLength, y))
            drawText(t.label, on: canvas, font: font, at: Point(bar.maxX + style.tickLength + style.pad, y), size: style.fontSize, anchor: (.left, .center), color: .black)
        }
        canvas.stroke(tp, color: .black, style: StrokeStyle(width: style.spineWidth, cap: .butt))
    }
}
