import Foundation

/// Marker shapes (matplotlib's letters: o s ^ v D x + . *).
public enum Marker: String, Sendable {
    case circle = "o", square = "s", triangleUp = "^", triangleDown = "v", diamond = "D", cross = "x", plus = "+", point = ".", star = "*"

    /// The marker outline centred at `c` with diameter `size` (device pixels). Cross and plus are strokes.
    func path(at c: Point, size: Double) -> (path: Path, stroked: Bool) {
        let r = size / 2
        var p = Path()
        switch self {
        case .circle: p.circle(center: c, radius: r)
        case .point: p.circle(center: c, radius: r * 0.5)
        case .square: p.rect(Rect(x: c.x - r * 0.9, y: c.y - r * 0.9, width: 1.8 * r, height: 1.8 * r))
        case .triangleUp: p.polygon([Point(c.x, c.y - r), Point(c.x + r, c.y + r), Point(c.x - r, c.y + r)])
        case .triangleDown: p.polygon([Point(c.x, c.y + r), Point(c.x + r, c.y - r), Point(c.x - r, c.y - r)])
        case .diamond: p.polygon([Point(c.x, c.y - r), Point(c.x + r * 0.8, c.y), Point(c.x, c.y + r), Point(c.x - r * 0.8, c.y)])
        case .star:
            p.polygon((0..<10).map { k in
                let a = -Double.pi / 2 + Double(k) * Double.pi / 5
                let rr = k % 2 == 0 ? r * 1.1 : r * 0.45
                return Point(c.x + rr * cos(a), c.y + rr * sin(a))
            })
        case .cross:
            p.move(to: Point(c.x - r, c.y - r)); p.line(to: Point(c.x + r, c.y + r))
            p.move(to: Point(c.x - r, c.y + r)); p.line(to: Point(c.x + r, c.y - r))
            return (p, true)
        case .plus:
            p.move(to: Point(c.x - r, c.y)); p.line(to: Point(c.x + r, c.y))
            p.move(to: Point(c.x, c.y - r)); p.line(to: Point(c.x, c.y + r))
            return (p, true)
        }
        return (p, false)
    }
}

/// Line styles as users write them: "-", "--", ":", "-.".
public enum LineStyle: String, Sendable {
    case solid = "-", dashed = "--", dotted = ":", dashDot = "-."
    /// Dash pattern in units of the line width (matplotlib's scaled defaults).
    var pattern: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [3.7, 1.6]
        case .dotted: return [1, 1.65]
        case .dashDot: return [6.4, 1.6, 1, 1.6]
        }
    }
}
