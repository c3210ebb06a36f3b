/// A straight (non-premultiplied) RGBA colour with components in 0...1.
public struct Color: Equatable, Sendable {
    public var r: Double, g: Double, b: Double, a: Double
    public init(r: Double, g: Double, b: Double, a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }

    /// `#rrggbb` or `#rrggbbaa`; nil when the text is not such a colour.
    public init?(hex: String) {
        var s = Substring(hex)
        if s.hasPrefix("#") { s = s.dropFirst() }
        guard s.count == 6 || s.count == 8, let v = UInt32(s, radix: 16) else { return nil }
        let full = s.count == 6 ? (v << 8) | 0xFF : v
        self.init(r: Double((full >> 24) & 0xFF) / 255, g: Double((full >> 16) & 0xFF) / 255,
                  b: Double((full >> 8) & 0xFF) / 255, a: Double(full & 0xFF) / 255)
    }

    public func withAlpha(_ alpha: Double) -> Color { Color(r: r, g: g, b: b, a: alpha) }

    public static let black = Color(r: 0, g: 0, b: 0)
    public static let white = Color(r: 1, g: 1, b: 1)
    public static let clear = Color(r: 0, g: 0, b: 0, a: 0)

    /// Named colours accepted by `color=`: the tab10 names, single letters and CSS basics.
    public static func named(_ name: String) -> Color? {
        let table: [String: String] = [
            "blue": "#1f77b4", "tab:blue": "#1f77b4", "b": "#1f77b4",
            "orange": "#ff7f0e", "tab:orange": "#ff7f0e",
            "green": "#2ca02c", "tab:green": "#2ca02c", "g": "#2ca02c",
            "red": "#d62728", "tab:red": "#d62728", "r": "#d62728",
            "purple": "#9467bd", "tab:purple": "#9467bd",
            "brown": "#8c564b", "tab:brown": "#8c564b",
            "pink": "#e377c2", "tab:pink": "#e377c2",
            "gray": "#7f7f7f", "grey": "#7f7f7f", "tab:gray": "#7f7f7f",
            "olive": "#bcbd22", "tab:olive": "#bcbd22",
            "cyan": "#17becf", "tab:cyan": "#17becf", "c": "#17becf",
            "black": "#000000", "k": "#000000", "white": "#ffffff", "w": "#ffffff",
            "yellow": "#ffd700", "y": "#bcbd22", "magenta": "#e377c2", "m": "#e377c2",
        ]
        if let h = table[name.lowercased()] { return Color(hex: h) }
        return Color(hex: name)
    }
}
