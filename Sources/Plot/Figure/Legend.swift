/// A legend box listing labelled series, placed in the corner that covers the fewest data points.
struct Legend {
    let ctx: PlotContext
    let series: [any Series]

    func draw(at location: LegendLocation) {
        let entries = series.compactMap { s -> (String, LegendKey)? in
            guard let l = s.label, !l.isEmpty, let k = s.legendKey else { return nil }
            return (l, k)
        }
        guard !entries.isEmpty else { return }
        let st = ctx.style, fs = st.fontSize
        let handle = 2 * fs, gapText = 0.8 * fs, border = 0.4 * fs, spacing = 0.5 * fs, rowH = fs
        let textW = entries.map { ctx.font.width(of: $0.0, size: fs) }.max() ?? 0
        let w = 2 * border + handle + gapText + textW + border
        let h = 2 * border + Double(entries.count) * rowH + Double(entries.count - 1) * spacing + border
        let inset = 0.5 * fs
        let r = ctx.rect
        func box(_ loc: LegendLocation) -> Rect {
            switch loc {
            case .upperLeft: return Rect(x: r.x + inset, y: r.y + inset, width: w, height: h)
            case .lowerLeft: return Rect(x: r.x + inset, y: r.maxY - inset - h, width: w, height: h)
            case .lowerRight: return Rect(x: r.maxX - inset - w, y: r.maxY - inset - h, width: w, height: h)
            case .upperRight, .best: return Rect(x: r.maxX - inset - w, y: r.y + inset, width: w, height: h)
            }
        }
        var chosen = box(location)
        if location == .best {
            let points = series.flatMap { $0.avoidPoints() }.compactMap { ctx.point($0.0, $0.1) }
            var bestCount = Int.max
            for loc in [LegendLocation.upperRight, .upperLeft, .lowerLeft, .lowerRight] {
                let b = box(loc)
                let n = points.reduce(0) { $0 + ($1.x >= b.x && $1.x <= b.maxX && $1.y >= b.y && $1.y <= b.maxY ? 1 : 0) }
                if n < bestCount { bestCount = n; chosen = b }
            }
        }
        var frame = Path(); frame.rect(chosen)
        ctx.canvas.fill(frame, color: Color(r: 1, g: 1, b: 1, a: 0.8))
        ctx.canvas.stroke(frame, color: Color(r: 0.8, g: 0.8, b: 0.8), style: StrokeStyle(width: st.pt(0.8), join: .round))
        for (i, (label, key)) in entries.enumerated() {
            let cy = chosen.y + border + Double(i) * (rowH + spacing) + rowH / 2 + border / 2
            let hx = chosen.x + border
            switch key {
            case let .line(color, width, dashes, marker):
                var p = Path(); p.move(to: Point(hx, cy)); p.line(to: Point(hx + handle, cy))
                let lw = st.pt(width)
                if width > 0 { ctx.canvas.stroke(p, color: color, style: StrokeStyle(width: lw, cap: dashes.isEmpty ? .square : .butt, dashes: dashes.map { $0 * lw })) }
                if let m = marker { drawMarker(m, at: Point(hx + handle / 2, cy), size: st.pt(6), color: color, ctx: ctx) }
            case let .marker(m, color):
                drawMarker(m, at: Point(hx + handle / 2, cy), size: st.pt(6), color: color, ctx: ctx)
            case let .patch(color):
                ctx.canvas.fillRect(Rect(x: hx, y: cy - 0.35 * fs, width: handle, height: 0.7 * fs), color: color)
            }
            drawText(label, on: ctx.canvas, font: ctx.font, at: Point(hx + handle + gapText, cy), size: fs, anchor: (.left, .center), color: .black)
        }
    }
}
