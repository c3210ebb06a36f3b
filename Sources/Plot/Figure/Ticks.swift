import Foundation

/// A tick position and its label.
public struct Tick: Equatable, Sendable {
    public var value: Double
    public var label: String
}

/// Tick choice: the "nice numbers" 1-2-5 rule on linear axes, decades on log axes.
public enum Ticks {
    /// Ticks inside `lo...hi`, about `target` of them, steps of 1, 2, 2.5 or 5 times a power of ten.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi > lo else {
            return lo.isFinite ? [Tick(value: lo, label: format([lo])[0])] : []
        }
        let (mantissa, exponent) = niceStep((hi - lo) / Double(max(1, target)))
        let step = mantissa * pow(10, exponent)
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        // k·mantissa is exact; one division by an exact power of ten then rounds correctly (0.6, not 0.6000000000000001).
        let values = stride(from: first, through: last, by: 1).map { k -> Double in
            let v = exponent < 0 ? k * mantissa / pow(10, -exponent) : k * mantissa * pow(10, exponent)
            return v == 0 ? 0 : v
        }
        return zip(values, format(values)).map { Tick(value: $0, label: $1) }
    }

    /// The smallest step of 1, 2, 2.5 or 5 × 10^k at least `raw`, as (mantissa, k).
    static func niceStep(_ raw: Double) -> (Double, Double) {
        guard raw > 0, raw.isFinite else { return (1, 0) }
        let exponent = floor(log10(raw))
        let f = raw / pow(10, exponent)
        if f > 5 + 1e-9 { return (1, exponent + 1) }
        return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 2.5 + 1e-9 ? 2.5 : 5, exponent)
    }

    /// Labels with a common number of decimals, the fewest that show every value exactly
    /// (so 0.1 + 0.2 prints as "0.3"); very large or small magnitudes use scientific notation.
    public static func format(_ values: [Double]) -> [String] {
        let finite = values.filter { $0.isFinite }
        let biggest = finite.map { abs($0) }.max() ?? 0
        let smallestNonZero = finite.map { abs($0) }.filter { $0 > 0 }.min() ?? 0
        if biggest >= 1e6 || (biggest > 0 && biggest < 1e-4) || (smallestNonZero > 0 && smallestNonZero < 1e-5 && biggest < 1) {
            return values.map { scientific($0) }
        }
        var decimals = 0
        for d in 0...10 {
            decimals = d
            let scale = pow(10, Double(d))
            if finite.allSatisfy({ abs($0 * scale - ($0 * scale).rounded()) < 1e-6 * max(1, abs($0 * scale)) }) { break }
        }
        return values.map { clean(String(format: "%.\(decimals)f", $0)) }
    }

    /// One number for display in text (legends, annotations): up to `digits` significant digits, no noise.
    public static func format(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == value.rounded() && abs(value) < 1e15 { return clean(String(format: "%.0f", value)) }
        let a = abs(value)
        if a >= 1e6 || a < 1e-4 { return scientific(value, digits: digits) }
        var s = String(format: "%.\(digits)g", value)
        if s.contains("e") { s = scientific(value, digits: digits) }
        return clean(s)
    }

    static func scientific(_ v: Double, digits: Int = 3) -> String {
        guard v != 0 else { return "0" }
        let e = Int(floor(log10(abs(v))))
        var m = v / pow(10, Double(e))
        if abs(m) >= 9.9995 { m /= 10 }
        var ms = String(format: "%.\(max(0, digits - 1))f", m)
        while ms.contains("."), ms.hasSuffix("0") { ms.removeLast() }
        if ms.hasSuffix(".") { ms.removeLast() }
        let exp = abs(m) >= 9.9995 ? e + 1 : e
        return "\(ms)e\(exp)"
    }

    /// Turns "-0" / "-0.00" into "0" / "0.00" and uses a true minus sign like matplotlib.
    static func clean(_ s: String) -> String {
        var t = s
        if t.hasPrefix("-"), t.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { t.removeFirst() }
        if t.hasPrefix("-") { t = "\u{2212}" + t.dropFirst() }
        return t
    }

    /// Major ticks at powers of ten (labelled like 10², with superscript digits) and minor ticks at
    /// 2…9 × each power, inside `lo...hi` (both > 0). Wide ranges label every n-th decade.
    public static func log(_ lo: Double, _ hi: Double) -> (major: [Tick], minor: [Double]) {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return ([], []) }
        let e0 = Int(floor(log10(lo) + 1e-9)), e1 = Int(ceil(log10(hi) - 1e-9))
        let decades = e1 - e0
        let every = max(1, Int((Double(decades) / 8).rounded(.up)))
        var major: [Tick] = [], minor: [Double] = []
        for e in e0...e1 {
            let v = pow(10, Double(e))
            if v >= lo * (1 - 1e-9), v <= hi * (1 + 1e-9), e % every == 0 { major.append(Tick(value: v, label: "10" + superscript(e))) }
            if decades <= 12 {
                for k in 2...9 { let m = Double(k) * v; if m > lo && m < hi { minor.append(m) } }
            }
        }
        if major.count < 2 {
            // Less than a decade: label the minor positions too, as plain numbers.
            let vals = ([major.map(\.value), minor].flatMap { $0 }).sorted()
            let labels = vals.map { format($0, digits: 3) }
            return (zip(vals, labels).map { Tick(value: $0, label: $1) }, [])
        }
        return (major, minor)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(abs(n)).compactMap { $0.wholeNumberValue.map { digits[$0] } }
        return (n < 0 ? "⁻" : "") + String(body)
    }
}
