/// How overlapping or self-intersecting outlines decide what is inside.
public enum FillRule: Sendable { case nonZero, evenOdd }

/// Scan converts paths by exact-area coverage accumulation: every line adds, to the cells it crosses,
/// the signed area it covers to its right; a prefix sum along each row then gives each pixel's winding
/// coverage (the idea of font-rs and AGG's cells). Work is proportional to the path's bounding box.
struct CoverageRasterizer {
    private var acc: [Float] = []
    /// Per row, the first and one-past-last cell a line touched: the prefix scan runs only there, since a
    /// closed outline's cover sums to zero across each row.
    private var rowLo: [Int] = [], rowHi: [Int] = []
    private var row: [Float] = []
    private var ox = 0, oy = 0, w = 0, h = 0

    /// Computes the coverage mask (0...1 per pixel) of `path` inside the integer rectangle `clip`, calling
    /// `span(x, y, coverage)` for each row run of pixels with non-zero coverage.
    mutating func fill(_ path: Path, rule: FillRule, clipX0: Int, clipY0: Int, clipX1: Int, clipY1: Int,
                       _ emit: (_ x0: Int, _ y: Int, _ coverage: UnsafeBufferPointer<Float>) -> Void) {
        guard let b = path.bounds else { return }
        guard clipX1 > clipX0, clipY1 > clipY0 else { return }
        let x0 = clampedInt(b.x.rounded(.down), clipX0, clipX1), y0 = clampedInt(b.y.rounded(.down), clipY0, clipY1)
        let x1 = clampedInt(b.maxX.rounded(.up) + 1, clipX0, clipX1), y1 = clampedInt(b.maxY.rounded(.up) + 1, clipY0, clipY1)
        guard x1 > x0, y1 > y0 else { return }
        ox = x0; oy = y0; w = x1 - x0; h = y1 - y0
        let stride = w + 2
        let needed = stride * h
        acc = Scratch.takeFloats(needed)
        defer { Scratch.giveFloats(&acc) }
        if rowLo.count < h { rowLo = [Int](repeating: Int.max, count: h); rowHi = [Int](repeating: 0, count: h) }
        let fx0 = Double(x0), fx1 = Double(x1), fy0 = Double(y0), fy1 = Double(y1)
        for (i, sp) in path.subpaths.enumerated() where sp.count >= 2 {
            for j in 1..<sp.count { addClipped(sp[j - 1], sp[j], fx0, fy0, fx1, fy1) }
            // Filling always closes a subpath (an open polyline is filled as if closed).
            _ = path.closed[i]
            if let first = sp.first, let last = sp.last, first != last { addClipped(last, first, fx0, fy0, fx1, fy1) }
        }
        if row.count < w + 2 { row = [Float](repeating: 0, count: w + 2) }
        acc.withUnsafeMutableBufferPointer { a in
            row.withUnsafeMutableBufferPointer { r in
                for y in 0..<h {
                    let lo = rowLo[y], touched = rowHi[y], hi = min(touched, w - 1)
                    rowLo[y] = Int.max; rowHi[y] = 0
                    guard lo <= hi else { continue }
                    let base = y * stride
                    // Cells past the clip edge were written too; leave the buffer all zeros.
                    if touched > hi { for x in (hi + 1)...touched { a[base + x] = 0 } }
                    var sum: Float = 0
                    var any = false
                    for x in lo...hi {
                        sum += a[base + x]
                        a[base + x] = 0
                        var c: Float
                        switch rule {
                        case .nonZero: c = min(1, abs(sum))
                        case .evenOdd:
                            c = abs(sum).truncatingRemainder(dividingBy: 2)
                            if c > 1 { c = 2 - c }
                        }
                        if c < 1.0 / 512 { c = 0 } else { any = true }
                        r[x - lo] = c
                    }
                    if any { emit(ox + lo, oy + y, UnsafeBufferPointer(rebasing: r[0...(hi - lo)])) }
                }
            }
        }
    }

    /// Clips a line to the box: the part above/below is dropped, the parts left/right are pushed onto the
    /// box edge (a vertical line on the left edge keeps the winding of everything to its right).
    private mutating func addClipped(_ p: Point, _ q: Point, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
        guard p.isFinite, q.isFinite, p.y != q.y else { return }
        var a = p, b = q
        // Clip in y.
        let (ylo, yhi) = a.y < b.y ? (a.y, b.y) : (b.y, a.y)
        if yhi <= y0 || ylo >= y1 { return }
        if a.y < y0 || b.y < y0 { let t = (y0 - a.y) / (b.y - a.y); let c = Point(a.x + t * (b.x - a.x), y0); if a.y < y0 { a = c } else { b = c } }
        if a.y > y1 || b.y > y1 { let t = (y1 - a.y) / (b.y - a.y); let c = Point(a.x + t * (b.x - a.x), y1); if a.y > y1 { a = c } else { b = c } }
        // Split at the x edges and clamp the outside pieces.
        var pts = [a]
        var ts: [Double] = []
        if b.x != a.x {
            for xe in [x0, x1 - 1e-9] {
                let t = (xe - a.x) / (b.x - a.x)
                if t > 0 && t < 1 { ts.append(t) }
            }
        }
        ts.sort()
        for t in ts { pts.append(Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))) }
        pts.append(b)
        let xmax = x1 - 1e-9
        for k in 1..<pts.count {
            let s = Point(min(max(pts[k - 1].x, x0), xmax), pts[k - 1].y)
            let e = Point(min(max(pts[k].x, x0), xmax), pts[k].y)
            addLine(Point(s.x - Double(ox), s.y - Double(oy)), Point(e.x - Double(ox), e.y - Double(oy)))
        }
    }

    /// Adds one line (in buffer coordinates) to the accumulation buffer.
    private mutating func addLine(_ p: Point, _ q: Point) {
        if p.y == q.y { return }
        let dir: Double = q.y > p.y ? 1 : -1
        let (top, bot) = q.y > p.y ? (p, q) : (q, p)
        let dxdy = (bot.x - top.x) / (bot.y - top.y)
        let stride = w + 2
        let rowStart = max(0, Int(top.y.rounded(.down)))
        let rowEnd = min(h - 1, Int(bot.y.rounded(.up)) - 1)
        if rowStart > rowEnd { return }
        acc.withUnsafeMutableBufferPointer { a in
            for row in rowStart...rowEnd {
                let ya = max(Double(row), top.y), yb = min(Double(row + 1), bot.y)
                if yb <= ya { continue }
                let d = (yb - ya) * dir
                let xa = top.x + (ya - top.y) * dxdy, xb = top.x + (yb - top.y) * dxdy
                let (l, r) = xa < xb ? (xa, xb) : (xb, xa)
                let base = row * stride
                let c0 = max(0, Int(l.rounded(.down)))
                let c1 = min(w, Int(r.rounded(.down)))
                // G(x) = ∫ from l to x of the fraction of this row's edge lying left of x.
                let span = r - l
                func g(_ x: Double) -> Double {
                    if x <= l { return 0 }
                    if span < 1e-12 { return x - l }
                    if x >= r { return span / 2 + (x - r) }
                    let t = x - l
                    return t * t / (2 * span)
                }
                if c0 < rowLo[row] { rowLo[row] = c0 }
                if c1 + 1 > rowHi[row] { rowHi[row] = c1 + 1 }
                var prev = 0.0
                var gc = g(Double(c0))
                for c in c0...c1 {
                    let gn = g(Double(c + 1))
                    let cover = gn - gc
                    a[base + c] += Float(d * (cover - prev))
                    prev = cover
                    gc = gn
                }
                a[base + c1 + 1] += Float(d * (1 - prev))
            }
        }
    }
}
