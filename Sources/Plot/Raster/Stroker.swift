import Foundation

public enum LineJoin: Sendable { case miter, round, bevel }
public enum LineCap: Sendable { case butt, round, square }

/// How a line is drawn: width in device pixels, joins, caps and an optional dash pattern (on, off, …).
public struct StrokeStyle: Sendable {
    public var width: Double
    public var join: LineJoin
    public var cap: LineCap
    public var miterLimit: Double
    public var dashes: [Double]
    public init(width: Double, join: LineJoin = .round, cap: LineCap = .butt, miterLimit: Double = 4, dashes: [Double] = []) {
        self.width = width; self.join = join; self.cap = cap; self.miterLimit = miterLimit; self.dashes = dashes
    }
}

/// Turns polylines into filled outlines. Each polyline becomes one closed outline (left side forward,
/// end cap, right side back, start cap); inner corners pass through the vertex, so the outline's loops all
/// wind the same way and the non-zero rule fills their union exactly.
enum Stroker {
    static func outline(of path: Path, style: StrokeStyle) -> Path {
        var out = Path()
        out.tolerance = path.tolerance
        let hw = style.width / 2
        guard hw > 0 else { return out }
        for (i, sp) in path.subpaths.enumerated() {
            var pts: [Point] = []
            for p in sp where p.isFinite {
                if let l = pts.last, (p - l).length < 1e-9 { continue }
                pts.append(p)
            }
            let isClosed = path.closed[i] && pts.count > 2
            if isClosed, let f = pts.first, let l = pts.last, (f - l).length < 1e-9 { pts.removeLast() }
            if style.dashes.count >= 2, style.dashes.allSatisfy({ $0 > 0 }) {
                for piece in dash(pts, closed: isClosed, pattern: style.dashes) {
                    strokePolyline(piece, closed: false, hw: hw, style: style, caps: (style.cap, style.cap), into: &out)
                }
            } else {
                strokePolyline(pts, closed: isClosed, hw: hw, style: style, caps: (style.cap, style.cap), into: &out)
            }
        }
        return out
    }

    /// Splits a polyline into its "on" pieces.
    static func dash(_ pts: [Point], closed: Bool, pattern: [Double]) -> [[Point]] {
        var line = pts
        if closed, let f = pts.first { line.append(f) }
        guard line.count >= 2 else { return [] }
        var pieces: [[Point]] = []
        var index = 0, remaining = pattern[0], on = true
        var current: [Point] = [line[0]]
        for k in 1..<line.count {
            var a = line[k - 1]
            let b = line[k]
            var segLen = (b - a).length
            // Far more dashes than any canvas can show means off-canvas geometry: stop.
            while segLen > remaining && pieces.count < 200_000 {
                let t = remaining / segLen
                let m = a + (b - a) * t
                if on { current.append(m); pieces.append(current) }
                current = [m]
                a = m; segLen -= remaining
                on.toggle(); index = (index + 1) % pattern.count; remaining = pattern[index]
            }
            remaining -= segLen
            if on { current.append(b) } else { current = [b] }
        }
        if on, current.count >= 2 { pieces.append(current) }
        return pieces
    }

    /// The outline of one open polyline (already free of non-finite and repeated points) with its own caps.
    static func outline(polyline pts: [Point], style: StrokeStyle, startCap: LineCap, endCap: LineCap) -> Path {
        var out = Path()
        if style.width > 0 { strokePolyline(pts, closed: false, hw: style.width / 2, style: style, caps: (startCap, endCap), into: &out) }
        return out
    }

    private static func strokePolyline(_ pts: [Point], closed: Bool, hw: Double, style: StrokeStyle, caps: (LineCap, LineCap), into out: inout Path) {
        if pts.count == 1 {
            // A single point: only round and square caps show it.
            switch style.cap {
            case .round: out.circle(center: pts[0], radius: hw)
            case .square: out.rect(Rect(x: pts[0].x - hw, y: pts[0].y - hw, width: 2 * hw, height: 2 * hw))
            case .butt: break
            }
            return
        }
        guard pts.count >= 2 else { return }
        let n = pts.count
        let segCount = closed ? n : n - 1
        var normals: [Point] = []
        for s in 0..<segCount {
            let a = pts[s], b = pts[(s + 1) % n]
            let d = b - a, len = d.length
            normals.append(Point(-d.y / len, d.x / len))
        }
        var left: [Point] = [], right: [Point] = []
        func joinAt(_ k: Int, _ n0: Point, _ n1: Point) {
            let p = pts[k]
            let cross = n0.x * n1.y - n0.y * n1.x
            // Left side is the outer side when the turn goes right (cross < 0 in this frame).
            let outerIsLeft = cross < 0
            let l0 = p + n0 * hw, l1 = p + n1 * hw, r0 = p - n0 * hw, r1 = p - n1 * hw
            if abs(cross) < 1e-12 && (n0.x * n1.x + n0.y * n1.y) > 0 {
                left.append(l1); right.append(r1); return
            }
            if outerIsLeft {
                left.append(l0); left.append(contentsOf: outerJoin(p, n0, n1, sign: 1, hw: hw, style: style)); left.append(l1)
                right.append(r0); right.append(p); right.append(r1)
            } else {
                right.append(r0); right.append(contentsOf: outerJoin(p, n0, n1, sign: -1, hw: hw, style: style)); right.append(r1)
                left.append(l0); left.append(p); left.append(l1)
            }
        }
        if closed {
            for k in 0..<n { joinAt(k, normals[(k + n - 1) % n], normals[k]) }
            out.polygon(left)
            out.polygon(right.reversed())
            return
        }
        left.append(pts[0] + normals[0] * hw); right.append(pts[0] - normals[0] * hw)
        for k in 1..<(n - 1) { joinAt(k, normals[k - 1], normals[k]) }
        left.append(pts[n - 1] + normals[n - 2] * hw); right.append(pts[n - 1] - normals[n - 2] * hw)
        var outline = left
        outline.append(contentsOf: cap(at: pts[n - 1], normal: normals[n - 2], hw: hw, kind: caps.1, forward: true))
        outline.append(contentsOf: right.reversed())
        outline.append(contentsOf: cap(at: pts[0], normal: normals[0], hw: hw, kind: caps.0, forward: false))
        out.polygon(outline)
    }

    /// Points between the two offset points on the outer side of a corner.
    private static func outerJoin(_ p: Point, _ n0: Point, _ n1: Point, sign: Double, hw: Double, style: StrokeStyle) -> [Point] {
        let a0 = n0 * sign, a1 = n1 * sign
        switch style.join {
        case .bevel: return []
        case .round:
            let t0 = atan2(a0.y, a0.x)
            var t1 = atan2(a1.y, a1.x)
            // Take the short way round.
            while t1 - t0 > Double.pi { t1 -= 2 * Double.pi }
            while t1 - t0 < -Double.pi { t1 += 2 * Double.pi }
            let arc = Path.arcPoints(center: p, radius: hw, from: t0, to: t1, tolerance: 0.02)
            return Array(arc.dropFirst().dropLast())
        case .miter:
            let m = a0 + a1
            let ml = m.length
            guard ml > 1e-9 else { return [] }
            let cosHalf = ml / 2
            let scale = 1 / cosHalf
            if scale > style.miterLimit { return [] }
            return [p + m * (hw * scale / ml)]
        }
    }

    private static func cap(at p: Point, normal nrm: Point, hw: Double, kind: LineCap, forward: Bool) -> [Point] {
        // Direction of travel out of the line at this end.
        let dir = forward ? Point(nrm.y, -nrm.x) : Point(-nrm.y, nrm.x)
        let side = forward ? nrm * -1 : nrm  // the side we go to next
        switch kind {
        case .butt: return []
        case .square:
            let from = forward ? p + nrm * hw : p - nrm * hw
            return [from + dir * hw, p + side * hw + dir * hw]
        case .round:
            let start = forward ? nrm : nrm * -1
            let t0 = atan2(start.y, start.x)
            let mid = atan2(dir.y, dir.x)
            var delta = mid - t0
            while delta > Double.pi { delta -= 2 * Double.pi }
            while delta < -Double.pi { delta += 2 * Double.pi }
            let arc = Path.arcPoints(center: p, radius: hw, from: t0, to: t0 + 2 * delta, tolerance: 0.02)
            return Array(arc.dropFirst().dropLast())
        }
    }
}
