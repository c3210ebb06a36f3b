/// A shape rasterized once per quarter-pixel offset and then composited at many positions: scatter plots
/// draw thousands of identical markers, and copying a small coverage mask is far cheaper than scan
/// converting the outline each time. Positions are rounded to 1/4 device pixel.
final class MarkerStamp {
    private let shape: Path
    private let originX: Int, originY: Int
    let maskWidth: Int, maskHeight: Int
    private var masks: [[Float]?] = Array(repeating: nil, count: 16)

    /// `shape` is centred on (0, 0).
    init?(shape: Path) {
        guard let b = shape.bounds else { return nil }
        self.shape = shape
        originX = Int((-b.x).rounded(.up)) + 1
        originY = Int((-b.y).rounded(.up)) + 1
        maskWidth = Int(b.width.rounded(.up)) + 3
        maskHeight = Int(b.height.rounded(.up)) + 3
    }

    private func mask(_ q: Int) -> [Float] {
        if let m = masks[q] { return m }
        var m = [Float](repeating: 0, count: maskWidth * maskHeight)
        var moved = Path()
        moved.append(shape, transform: Transform(a: 1, b: 0, c: 0, d: 1,
                                                 e: Double(originX) + Double(q % 4) / 4, f: Double(originY) + Double(q / 4) / 4))
        var r = CoverageRasterizer()
        let w = maskWidth
        r.fill(moved, rule: .nonZero, clipX0: 0, clipY0: 0, clipX1: maskWidth, clipY1: maskHeight) { x0, y, cov in
            for (k, c) in cov.enumerated() { m[y * w + x0 + k] = c }
        }
        masks[q] = m
        return m
    }

    /// Composites the shape centred at `p` in `color` onto the canvas pixels (inside the clip box).
    func draw(at p: Point, color: Color, pixels px: UnsafeMutableBufferPointer<UInt8>, width: Int,
              clipX0: Int, clipY0: Int, clipX1: Int, clipY1: Int) {
        guard p.isFinite, color.a > 0 else { return }
        let fx = (p.x * 4).rounded(.down), fy = (p.y * 4).rounded(.down)
        guard abs(fx) < 1e9, abs(fy) < 1e9 else { return }
        let ix = Int(fx), iy = Int(fy)
        let q = (ix & 3) + 4 * (iy & 3)
        let left = (ix >> 2) - originX, top = (iy >> 2) - originY
        let m = mask(q)
        let r8 = UInt32(channel(color.r)), g8 = UInt32(channel(color.g)), b8 = UInt32(channel(color.b))
        let sa = Float(min(1, color.a))
        let y0 = max(clipY0, top), y1 = min(clipY1, top + maskHeight)
        let x0 = max(clipX0, left), x1 = min(clipX1, left + maskWidth)
        guard y1 > y0, x1 > x0 else { return }
        for y in y0..<y1 {
            var i = (y * width + x0) * 4
            var k = (y - top) * maskWidth + (x0 - left)
            for _ in x0..<x1 {
                let c = m[k] * sa
                if c >= 1 {
                    px[i] = UInt8(truncatingIfNeeded: r8); px[i + 1] = UInt8(truncatingIfNeeded: g8); px[i + 2] = UInt8(truncatingIfNeeded: b8); px[i + 3] = 255
                } else if c > 0 {
                    if px[i + 3] == 255 {
                        let a8 = UInt32(c * 255 + 0.5), ia = 255 - a8
                        px[i] = UInt8(truncatingIfNeeded: (UInt32(px[i]) * ia + r8 * a8 + 127) / 255)
                        px[i + 1] = UInt8(truncatingIfNeeded: (UInt32(px[i + 1]) * ia + g8 * a8 + 127) / 255)
                        px[i + 2] = UInt8(truncatingIfNeeded: (UInt32(px[i + 2]) * ia + b8 * a8 + 127) / 255)
                    } else {
                        let da = Float(px[i + 3]) / 255, oa = c + da * (1 - c), kd = da * (1 - c)
                        px[i] = UInt8(clamping: Int(((Float(r8) * c + Float(px[i]) * kd) / oa).rounded()))
                        px[i + 1] = UInt8(clamping: Int(((Float(g8) * c + Float(px[i + 1]) * kd) / oa).rounded()))
                        px[i + 2] = UInt8(clamping: Int(((Float(b8) * c + Float(px[i + 2]) * kd) / oa).rounded()))
                        px[i + 3] = UInt8(clamping: Int((oa * 255).rounded()))
                    }
                }
                i += 4; k += 1
            }
        }
    }
}

extension Canvas {
    /// Draws `stamp` at each point with its colour, and `edge` (if any) over each marker in `edgeColor`.
    func stamp(_ stamp: MarkerStamp, edge: MarkerStamp?, edgeColor: Color?, at points: [Point], colors: [Color]) {
        var cx0 = 0, cy0 = 0, cx1 = width, cy1 = height
        if let c = clip {
            cx0 = max(0, Int(c.x.rounded())); cy0 = max(0, Int(c.y.rounded()))
            cx1 = min(width, Int(c.maxX.rounded())); cy1 = min(height, Int(c.maxY.rounded()))
        }
        let w = width
        withPixels { px in
            for (i, p) in points.enumerated() {
                stamp.draw(at: p, color: colors[i % max(1, colors.count)], pixels: px, width: w, clipX0: cx0, clipY0: cy0, clipX1: cx1, clipY1: cy1)
                if let e = edge, let ec = edgeColor {
                    e.draw(at: p, color: ec, pixels: px, width: w, clipX0: cx0, clipY0: cy0, clipX1: cx1, clipY1: cy1)
                }
            }
        }
    }
}
