/// A map from 0...1 to colours. `tab10` is qualitative (ten distinct colours, cycling).
public enum Colormap: String, CaseIterable, Sendable {
    case viridis, gray, rdbu = "RdBu", reds = "Reds", tab10

    /// Parses a colormap name as users write it (`"viridis"`, `"gray"`/`"grey"`, `"RdBu"`, `"Reds"`, `"tab10"`).
    public init?(name: String) {
        switch name.lowercased() {
        case "viridis": self = .viridis
        case "gray", "grey", "greys": self = .gray
        case "rdbu": self = .rdbu
        case "reds": self = .reds
        case "tab10": self = .tab10
        default: return nil
        }
    }

    /// The colour for a value in 0...1 (clamped; NaN gives transparent).
    public func color(_ t: Double) -> Color {
        guard t.isFinite else { return .clear }
        let u = max(0, min(1, t))
        let table: [(Double, Double, Double)]
        switch self {
        case .viridis: table = ColormapTables.viridis
        case .gray: table = ColormapTables.gray
        case .rdbu: table = ColormapTables.rdBu
        case .reds: table = ColormapTables.reds
        case .tab10: return Palette.tab10[min(9, Int(u * 10))]
        }
        let x = u * Double(table.count - 1)
        let i = min(table.count - 2, Int(x))
        let f = x - Double(i)
        let a = table[i], b = table[i + 1]
        return Color(r: a.0 + (b.0 - a.0) * f, g: a.1 + (b.1 - a.1) * f, b: a.2 + (b.2 - a.2) * f)
    }

    /// A 256-entry RGBA lookup table, for images.
    func lookupTable() -> [UInt8] {
        var lut = [UInt8](repeating: 255, count: 256 * 4)
        for i in 0..<256 {
            let c = color(Double(i) / 255)
            lut[i * 4] = channel(c.r); lut[i * 4 + 1] = channel(c.g); lut[i * 4 + 2] = channel(c.b)
        }
        return lut
    }
}

/// The default colour cycle.
public enum Palette {
    public static let tab10: [Color] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"].compactMap { Color(hex: $0) }
    /// The i-th colour of the cycle (wraps; negative indices too).
    public static func cycle(_ i: Int) -> Color { tab10[((i % 10) + 10) % 10] }
}
