import Foundation

/// A point in device pixels (x right, y down).
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }

    static func + (a: Point, b: Point) -> Point { Point(a.x + b.x, a.y + b.y) }
    static func - (a: Point, b: Point) -> Point { Point(a.x - b.x, a.y - b.y) }
    static func * (a: Point, s: Double) -> Point { Point(a.x * s, a.y * s) }
    var length: Double { (x * x + y * y).squareRoot() }
    var isFinite: Bool { x.isFinite && y.isFinite }
}

/// An axis-aligned rectangle in device pixels.
public struct Rect: Equatable, Sendable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public func contains(_ p: Point) -> Bool { p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY }
    func intersection(_ o: Rect) -> Rect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let x1 = min(maxX, o.maxX), y1 = min(maxY, o.maxY)
        return Rect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}

/// An affine transform `(x, y) → (a·x + c·y + e, b·x + d·y + f)`.
public struct Transform: Sendable {
    public var a = 1.0, b = 0.0, c = 0.0, d = 1.0, e = 0.0, f = 0.0
    public init() {}
    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.e = e; self.f = f
    }
    func apply(_ p: Point) -> Point { Point(a * p.x + c * p.y + e, b * p.x + d * p.y + f) }
}

/// A path of closed or open polylines; curves are flattened when added so the rasterizer sees only lines.
public struct Path: Sendable {
    /// Flattened subpaths; `closed[i]` tells whether subpath i is closed.
    public private(set) var subpaths: [[Point]] = []
    public private(set) var closed: [Bool] = []
    /// Flatness tolerance in device pixels for curves.
    public var tolerance = 0.2

    public init() {}

    public var isEmpty: Bool { subpaths.allSatisfy { $0.count < 2 } }

    public mutating func move(to p: Point) { subpaths.append([p]); closed.append(false) }

    public mutating func line(to p: Point) {
        if subpaths.isEmpty { move(to: p); return }
        subpaths[subpaths.count - 1].append(p)
    }

    public mutating func quad(to p: Point, control c: Point) {
        guard let p0 = subpaths.last?.last else { move(to: p); return }
        let dev = ((p0 + p) * 0.5 - c).length
        let n = max(1, min(64, Int((dev / tolerance).squareRoot().rounded(.up))))
        for i in 1...n {
            let t = Double(i) / Double(n), u = 1 - t
            line(to: Point(u * u * p0.x + 2 * u * t * c.x + t * t * p.x, u * u * p0.y + 2 * u * t * c.y + t * t * p.y))
        }
    }

    public mutating func close() {
        guard !closed.isEmpty else { return }
        closed[closed.count - 1] = true
    }

    /// Appends a closed polygon.
    public mutating func polygon(_ points: [Point]) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
        close()
    }

    public mutating func rect(_ r: Rect) {
        polygon([Point(r.x, r.y), Point(r.maxX, r.y), Point(r.maxX, r.maxY), Point(r.x, r.maxY)])
    }

    /// Appends a circle as a polygon fine enough that its error stays below the tolerance.
    public mutating func circle(center: Point, radius: Double) {
        // Scale the polygon's radius so its area equals the circle's (an inscribed polygon looks thin).
        let pts = Path.arcPoints(center: center, radius: radius, from: 0, to: 2 * Double.pi, tolerance: tolerance / 2, includeEnd: false)
        let n = Double(pts.count)
        let k = (2 * Double.pi / (n * sin(2 * Double.pi / n))).squareRoot()
        polygon(pts.map { center + ($0 - center) * k })
    }

    static func arcPoints(center: Point, radius: Double, from a0: Double, to a1: Double,
                          tolerance: Double, includeEnd: Bool = true) -> [Point] {
        let r = max(radius, 1e-9)
        let step = 2 * acos(max(-1, min(1, 1 - tolerance / r)))
        let n = max(2, min(256, Int((abs(a1 - a0) / max(step, 1e-3)).rounded(.up))))
        let last = includeEnd ? n : n - 1
        return (0...last).map { i in
            let t = a0 + (a1 - a0) * Double(i) / Double(n)
            return Point(center.x + r * cos(t), center.y + r * sin(t))
        }
    }

    /// Appends another path, mapped through a transform.
    public mutating func append(_ other: Path, transform t: Transform = Transform()) {
        for (i, sp) in other.subpaths.enumerated() {
            subpaths.append(sp.map(t.apply))
            closed.append(other.closed[i])
        }
    }

    var bounds: Rect? {
        var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
        for sp in subpaths { for p in sp {
            x0 = min(x0, p.x); x1 = max(x1, p.x); y0 = min(y0, p.y); y1 = max(y1, p.y)
        } }
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
