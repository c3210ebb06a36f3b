/// An RGBA8 pixel buffer (straight alpha, row-major, top row first) that paths are painted onto.
public final class Canvas {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: R, G, B, A.
    public private(set) var pixels: [UInt8]
    /// Painting is limited to this rectangle (device pixels); nil means the whole canvas.
    public var clip: Rect?
    private var rasterizer = CoverageRasterizer()

    public init(width: Int, height: Int, background: Color = .white) {
        self.width = max(1, width)
        self.height = max(1, height)
        let px: [UInt8] = [channel(background.r), channel(background.g), channel(background.b), channel(background.a)]
        pixels = [UInt8](repeating: 0, count: self.width * self.height * 4)
        for i in 0..<(self.width * self.height) {
            pixels[i * 4] = px[0]; pixels[i * 4 + 1] = px[1]; pixels[i * 4 + 2] = px[2]; pixels[i * 4 + 3] = px[3]
        }
    }

    /// Fills a path with a colour (source-over compositing, anti-aliased edges).
    public func fill(_ path: Path, color: Color, rule: FillRule = .nonZero) {
        guard color.a > 0 else { return }
        var cx0 = 0, cy0 = 0, cx1 = width, cy1 = height
        if let c = clip {
            cx0 = max(0, Int(c.x.rounded())); cy0 = max(0, Int(c.y.rounded()))
            cx1 = min(width, Int(c.maxX.rounded())); cy1 = min(height, Int(c.maxY.rounded()))
        }
        let sr = Float(color.r), sg = Float(color.g), sb = Float(color.b), sa = Float(min(1, color.a))
        let w = width
        pixels.withUnsafeMutableBufferPointer { px in
            rasterizer.fill(path, rule: rule, clipX0: cx0, clipY0: cy0, clipX1: cx1, clipY1: cy1) { x0, y, cov in
                var i = (y * w + x0) * 4
                for c in cov {
                    if c > 0 {
                        let a = c * sa
                        let da = Float(px[i + 3]) / 255
                        if da >= 1 {
                            px[i] = blend(px[i], sr, a); px[i + 1] = blend(px[i + 1], sg, a); px[i + 2] = blend(px[i + 2], sb, a)
                        } else {
                            let oa = a + da * (1 - a)
                            if oa > 0 {
                                let k = da * (1 - a)
                                px[i] = UInt8(clamping: Int(((sr * a + Float(px[i]) / 255 * k) / oa * 255).rounded()))
                                px[i + 1] = UInt8(clamping: Int(((sg * a + Float(px[i + 1]) / 255 * k) / oa * 255).rounded()))
                                px[i + 2] = UInt8(clamping: Int(((sb * a + Float(px[i + 2]) / 255 * k) / oa * 255).rounded()))
                                px[i + 3] = UInt8(clamping: Int((oa * 255).rounded()))
                            }
                        }
                    }
                    i += 4
                }
            }
        }
    }

    /// Strokes a path's outline with the given style.
    public func stroke(_ path: Path, color: Color, style: StrokeStyle) {
        fill(Stroker.outline(of: path, style: style), color: color, rule: .nonZero)
    }

    /// Fills an axis-aligned rectangle.
    public func fillRect(_ r: Rect, color: Color) {
        var p = Path(); p.rect(r); fill(p, color: color)
    }

    /// Copies a block of opaque RGB cells scaled to `dest` with nearest-neighbour sampling (for images).
    public func drawImage(rgba: [UInt8], columns: Int, rows: Int, in dest: Rect) {
        guard columns > 0, rows > 0, rgba.count >= columns * rows * 4, dest.width > 0, dest.height > 0 else { return }
        let area = clip.map { dest.intersection($0) } ?? dest
        let x0 = max(0, Int(area.x.rounded())), x1 = min(width, Int(area.maxX.rounded()))
        let y0 = max(0, Int(area.y.rounded())), y1 = min(height, Int(area.maxY.rounded()))
        guard x1 > x0, y1 > y0 else { return }
        for y in y0..<y1 {
            let sy = min(rows - 1, max(0, Int((Double(y) + 0.5 - dest.y) / dest.height * Double(rows))))
            for x in x0..<x1 {
                let sx = min(columns - 1, max(0, Int((Double(x) + 0.5 - dest.x) / dest.width * Double(columns))))
                let s = (sy * columns + sx) * 4, d = (y * width + x) * 4
                let a = Float(rgba[s + 3]) / 255
                if a >= 1 {
                    pixels[d] = rgba[s]; pixels[d + 1] = rgba[s + 1]; pixels[d + 2] = rgba[s + 2]; pixels[d + 3] = 255
                } else if a > 0 {
                    for k in 0..<3 { pixels[d + k] = blend(pixels[d + k], Float(rgba[s + k]) / 255, a) }
                }
            }
        }
    }

    /// The colour at a pixel (for tests and tools).
    public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8)? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 4
        return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }
}

@inline(__always) private func blend(_ dst: UInt8, _ src: Float, _ a: Float) -> UInt8 {
    let v = Float(dst) * (1 - a) + src * 255 * a
    return UInt8(clamping: Int(v + 0.5))
}

func channel(_ v: Double) -> UInt8 { UInt8(clamping: Int((max(0, min(1, v)) * 255).rounded())) }
