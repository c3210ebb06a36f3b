/// An RGBA8 pixel buffer (straight alpha, row-major, top row first) that paths are painted onto.
public final class Canvas {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: R, G, B, A.
    public private(set) var pixels: [UInt8]
    /// Painting is limited to this rectangle (device pixels); nil means the whole canvas.
    public var clip: Rect?
    private var rasterizer = CoverageRasterizer()

    private let pooled: Bool

    public convenience init(width: Int, height: Int, background: Color = .white) {
        self.init(width: width, height: height, background: background, pooled: false)
    }

    /// `pooled` canvases borrow their pixel memory from a shared pool and return it when freed (for
    /// figures rendered straight to PNG, where a fresh 5 MB buffer costs more in page faults than drawing).
    init(width: Int, height: Int, background: Color, pooled: Bool) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.pooled = pooled
        let count = self.width * self.height * 4
        pixels = pooled ? Scratch.takeCanvas(count) : [UInt8](repeating: 0, count: count)
        let px: [UInt8] = [channel(background.r), channel(background.g), channel(background.b), channel(background.a)]
        pixels.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            if px.allSatisfy({ $0 == px[0] }) { base.update(repeating: px[0], count: p.count); return }
            for i in 0..<(p.count / 4) { p[i * 4] = px[0]; p[i * 4 + 1] = px[1]; p[i * 4 + 2] = px[2]; p[i * 4 + 3] = px[3] }
        }
    }

    deinit { if pooled { Scratch.giveCanvas(&pixels) } }

    /// Fills a path with a colour (source-over compositing, anti-aliased edges).
    public func fill(_ path: Path, color: Color, rule: FillRule = .nonZero) {
        guard color.a > 0 else { return }
        var cx0 = 0, cy0 = 0, cx1 = width, cy1 = height
        if let c = clip {
            cx0 = clampedInt(c.x.rounded(), 0, width); cy0 = clampedInt(c.y.rounded(), 0, height)
            cx1 = clampedInt(c.maxX.rounded(), 0, width); cy1 = clampedInt(c.maxY.rounded(), 0, height)
        }
        let sr = Float(color.r), sg = Float(color.g), sb = Float(color.b), sa = Float(min(1, color.a))
        let w = width
        let r8 = channel(color.r), g8 = channel(color.g), b8 = channel(color.b)
        pixels.withUnsafeMutableBufferPointer { px in
            rasterizer.fill(path, rule: rule, clipX0: cx0, clipY0: cy0, clipX1: cx1, clipY1: cy1) { x0, y, cov in
                var i = (y * w + x0) * 4
                for c in cov {
                    if c >= 1 && sa >= 1 {
                        px[i] = r8; px[i + 1] = g8; px[i + 2] = b8; px[i + 3] = 255
                    } else if c > 0 {
                        let a = c * sa
                        let da = Float(px[i + 3]) / 255
                        if da >= 1 {
                            // Integer source-over on an opaque pixel: (dst·(255−α) + src·α) / 255.
                            let a8 = UInt32(a * 255 + 0.5), ia = 255 - a8
                            px[i] = UInt8(truncatingIfNeeded: (UInt32(px[i]) * ia + UInt32(r8) * a8 + 127) / 255)
                            px[i + 1] = UInt8(truncatingIfNeeded: (UInt32(px[i + 1]) * ia + UInt32(g8) * a8 + 127) / 255)
                            px[i + 2] = UInt8(truncatingIfNeeded: (UInt32(px[i + 2]) * ia + UInt32(b8) * a8 + 127) / 255)
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
        let x0 = clampedInt(area.x.rounded(), 0, width), x1 = clampedInt(area.maxX.rounded(), 0, width)
        let y0 = clampedInt(area.y.rounded(), 0, height), y1 = clampedInt(area.maxY.rounded(), 0, height)
        guard x1 > x0, y1 > y0 else { return }
        // Source column and row of every destination pixel, computed once.
        let sxs = (x0..<x1).map { x in clampedInt((Double(x) + 0.5 - dest.x) / dest.width * Double(columns), 0, columns - 1) }
        let w = width
        let opaque = !rgba.withUnsafeBufferPointer { p in stride(from: 3, to: columns * rows * 4, by: 4).contains { p[$0] != 255 } }
        var lastSy = -1
        rgba.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { px in
                guard let base = px.baseAddress else { return }
                for y in y0..<y1 {
                    let sy = clampedInt((Double(y) + 0.5 - dest.y) / dest.height * Double(rows), 0, rows - 1)
                    var d = (y * w + x0) * 4
                    // An opaque image row repeated (upscaling) is the destination row above, copied.
                    if opaque && sy == lastSy {
                        (base + d).update(from: base + d - w * 4, count: (x1 - x0) * 4)
                        continue
                    }
                    lastSy = sy
                    for sx in sxs {
                        let s = (sy * columns + sx) * 4
                        let a = src[s + 3]
                        if a == 255 {
                            px[d] = src[s]; px[d + 1] = src[s + 1]; px[d + 2] = src[s + 2]; px[d + 3] = 255
                        } else if a > 0 {
                            let af = Float(a) / 255
                            for k in 0..<3 { px[d + k] = blend(px[d + k], Float(src[s + k]) / 255, af) }
                        }
                        d += 4
                    }
                }
            }
        }
    }

    /// Direct access to the pixel bytes, for bulk painters in this module.
    func withPixels(_ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) { pixels.withUnsafeMutableBufferPointer { body($0) } }

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

/// A Double as an Int within lo...hi; NaN and huge values (far off-canvas data) clamp instead of trapping.
@inline(__always) func clampedInt(_ v: Double, _ lo: Int, _ hi: Int) -> Int {
    if !(v > Double(lo)) { return lo }
    if v >= Double(hi) { return hi }
    return Int(v)
}

func channel(_ v: Double) -> UInt8 { UInt8(clamping: Int((max(0, min(1, v)) * 255).rounded())) }
