import Foundation

/// Errors from reading a font file.
public enum FontError: Error, CustomStringConvertible {
    case malformed(String)
    case notFound([String])
    public var description: String {
        switch self {
        case let .malformed(why): return "font: the TrueType file is malformed (\(why))"
        case let .notFound(paths):
            return "font: DejaVu Sans was not found; looked in the package resources and at \(paths.joined(separator: ", ")). Install fonts-dejavu-core or rebuild the package."
        }
    }
}

/// A glyph outline in font units (y up): closed contours of on/off-curve points, and its advance.
struct GlyphOutline {
    /// Quadratic-curve contours: `(point, onCurve)`.
    var contours: [[(x: Double, y: Double, on: Bool)]]
    var advance: Double
}

/// A minimal TrueType reader: `head`, `hhea`, `maxp`, `hmtx`, `cmap` (formats 4 and 12), `loca` and
/// `glyf` (simple and composite glyphs). Every read is bounds-checked; a bad file throws.
final class TrueTypeFont {
    let unitsPerEm: Double
    let ascender: Double
    let descender: Double
    private let data: [UInt8]
    private let numGlyphs: Int
    private let numHMetrics: Int
    private let hmtx: Int, loca: Int, glyf: Int, glyfLength: Int
    private let longLoca: Bool
    private var cmap: [UInt32: Int] = [:]
    private var outlines: [Int: GlyphOutline] = [:]
    private let lock = NSLock()

    init(data: [UInt8]) throws {
        self.data = data
        var tables: [String: (Int, Int)] = [:]
        let count = try Self.u16(data, 4)
        for i in 0..<count {
            let rec = 12 + 16 * i
            let tag = String(decoding: try Self.slice(data, rec, 4), as: UTF8.self)
            tables[tag] = (try Self.u32(data, rec + 8), try Self.u32(data, rec + 12))
        }
        func table(_ t: String) throws -> Int {
            guard let (off, len) = tables[t], off + len <= data.count else { throw FontError.malformed("missing table \(t)") }
            return off
        }
        let head = try table("head"), hhea = try table("hhea"), maxp = try table("maxp")
        unitsPerEm = Double(try Self.u16(data, head + 18))
        guard unitsPerEm > 0 else { throw FontError.malformed("unitsPerEm is 0") }
        longLoca = try Self.i16(data, head + 50) == 1
        ascender = Double(try Self.i16(data, hhea + 4))
        descender = Double(try Self.i16(data, hhea + 6))
        numHMetrics = try Self.u16(data, hhea + 34)
        numGlyphs = try Self.u16(data, maxp + 4)
        hmtx = try table("hmtx"); loca = try table("loca"); glyf = try table("glyf")
        glyfLength = tables["glyf"]?.1 ?? 0
        try readCmap(at: try table("cmap"))
    }

    /// The glyph index for a Unicode scalar (0, the "missing" glyph, when the font lacks it).
    func glyphIndex(_ scalar: Unicode.Scalar) -> Int { cmap[scalar.value] ?? 0 }

    /// The horizontal advance of a glyph in font units.
    func advance(glyph: Int) -> Double {
        guard numHMetrics > 0 else { return 0 }
        let i = min(glyph, numHMetrics - 1)
        return Double((try? Self.u16(data, hmtx + 4 * i)) ?? 0)
    }

    /// The outline of a glyph (cached; thread-safe).
    func outline(glyph: Int) -> GlyphOutline {
        lock.lock(); defer { lock.unlock() }
        if let o = outlines[glyph] { return o }
        let contours = (try? readGlyph(glyph, depth: 0)) ?? []
        let o = GlyphOutline(contours: contours, advance: advance(glyph: glyph))
        outlines[glyph] = o
        return o
    }

    // MARK: cmap

    private func readCmap(at cmapOffset: Int) throws {
        let n = try Self.u16(data, cmapOffset + 2)
        var best: (score: Int, offset: Int)? = nil
        for i in 0..<n {
            let rec = cmapOffset + 4 + 8 * i
            let platform = try Self.u16(data, rec), encoding = try Self.u16(data, rec + 2)
            let off = cmapOffset + (try Self.u32(data, rec + 4))
            let format = try Self.u16(data, off)
            var score = 0
            if format == 12 && (platform == 3 && encoding == 10 || platform == 0) { score = 3 }
            else if format == 4 && (platform == 3 && encoding == 1 || platform == 0) { score = 2 }
            if score > (best?.score ?? 0) { best = (score, off) }
        }
        guard let chosen = best else { throw FontError.malformed("no Unicode cmap (format 4 or 12)") }
        if try Self.u16(data, chosen.offset) == 12 { try readFormat12(chosen.offset) } else { try readFormat4(chosen.offset) }
    }

    private func readFormat4(_ off: Int) throws {
        let segX2 = try Self.u16(data, off + 6)
        let ends = off + 14, starts = ends + segX2 + 2, deltas = starts + segX2, ranges = deltas + segX2
        for s in 0..<(segX2 / 2) {
            let end = try Self.u16(data, ends + 2 * s), start = try Self.u16(data, starts + 2 * s)
            let delta = try Self.u16(data, deltas + 2 * s), rangeOff = try Self.u16(data, ranges + 2 * s)
            guard start <= end, start != 0xFFFF else { continue }
            for c in start...end {
                var g: Int
                if rangeOff == 0 {
                    g = (c + delta) & 0xFFFF
                } else {
                    let addr = ranges + 2 * s + rangeOff + 2 * (c - start)
                    g = try Self.u16(data, addr)
                    if g != 0 { g = (g + delta) & 0xFFFF }
                }
                if g != 0 && g < numGlyphs { cmap[UInt32(c)] = g }
            }
        }
    }

    private func readFormat12(_ off: Int) throws {
        let groups = try Self.u32(data, off + 12)
        for i in 0..<groups {
            let g = off + 16 + 12 * i
            let start = try Self.u32(data, g), end = try Self.u32(data, g + 4), first = try Self.u32(data, g + 8)
            guard start <= end, end - start < 0x110000 else { continue }
            for c in start...end where first + (c - start) < numGlyphs {
                cmap[UInt32(c)] = first + (c - start)
            }
        }
    }

    // MARK: glyf

    private func glyphRange(_ glyph: Int) throws -> (Int, Int)? {
        guard glyph >= 0, glyph < numGlyphs else { return nil }
        let a: Int, b: Int
        if longLoca { a = try Self.u32(data, loca + 4 * glyph); b = try Self.u32(data, loca + 4 * glyph + 4) }
        else { a = 2 * (try Self.u16(data, loca + 2 * glyph)); b = 2 * (try Self.u16(data, loca + 2 * glyph + 2)) }
        guard b > a, b <= glyfLength else { return nil }
        return (glyf + a, b - a)
    }

    private func readGlyph(_ glyph: Int, depth: Int) throws -> [[(x: Double, y: Double, on: Bool)]] {
        guard depth < 8, let (off, _) = try glyphRange(glyph) else { return [] }
        let nContours = try Self.i16(data, off)
        if nContours < 0 { return try readComposite(off + 10, depth: depth) }
        var endPts: [Int] = []
        for i in 0..<nContours { endPts.append(try Self.u16(data, off + 10 + 2 * i)) }
        let nPoints = (endPts.last ?? -1) + 1
        var p = off + 10 + 2 * nContours
        let instrLen = try Self.u16(data, p)
        p += 2 + instrLen
        var flags: [UInt8] = []
        flags.reserveCapacity(nPoints)
        while flags.count < nPoints {
            let f = try Self.u8(data, p); p += 1
            flags.append(f)
            if f & 8 != 0 {
                let rep = try Self.u8(data, p); p += 1
                for _ in 0..<rep { flags.append(f) }
            }
        }
        func coords(short: UInt8, same: UInt8) throws -> [Double] {
            var v = 0, out: [Double] = []
            out.reserveCapacity(nPoints)
            for i in 0..<nPoints {
                let f = flags[i]
                if f & short != 0 {
                    let d = try Self.u8(data, p); p += 1
                    v += f & same != 0 ? Int(d) : -Int(d)
                } else if f & same == 0 {
                    v += try Self.i16(data, p); p += 2
                }
                out.append(Double(v))
            }
            return out
        }
        let xs = try coords(short: 2, same: 16)
        let ys = try coords(short: 4, same: 32)
        var contours: [[(x: Double, y: Double, on: Bool)]] = []
        var start = 0
        for e in endPts {
            guard e >= start, e < nPoints else { throw FontError.malformed("bad contour end") }
            contours.append((start...e).map { (xs[$0], ys[$0], flags[$0] & 1 != 0) })
            start = e + 1
        }
        return contours
    }

    private func readComposite(_ start: Int, depth: Int) throws -> [[(x: Double, y: Double, on: Bool)]] {
        var p = start
        var result: [[(x: Double, y: Double, on: Bool)]] = []
        while true {
            let flags = try Self.u16(data, p), child = try Self.u16(data, p + 2)
            p += 4
            var dx = 0.0, dy = 0.0
            if flags & 1 != 0 { dx = Double(try Self.i16(data, p)); dy = Double(try Self.i16(data, p + 2)); p += 4 }
            else { dx = Double(Int8(bitPattern: try Self.u8(data, p))); dy = Double(Int8(bitPattern: try Self.u8(data, p + 1))); p += 2 }
            var a = 1.0, b = 0.0, c = 0.0, d = 1.0
            if flags & 8 != 0 { a = try Self.f2dot14(data, p); d = a; p += 2 }
            else if flags & 0x40 != 0 { a = try Self.f2dot14(data, p); d = try Self.f2dot14(data, p + 2); p += 4 }
            else if flags & 0x80 != 0 {
                a = try Self.f2dot14(data, p); b = try Self.f2dot14(data, p + 2)
                c = try Self.f2dot14(data, p + 4); d = try Self.f2dot14(data, p + 6); p += 8
            }
            // Point-matching offsets (ARGS_ARE_XY_VALUES unset) are rare in DejaVu; treat them as no offset.
            if flags & 2 == 0 { dx = 0; dy = 0 }
            for contour in try readGlyph(child, depth: depth + 1) {
                result.append(contour.map { (a * $0.x + c * $0.y + dx, b * $0.x + d * $0.y + dy, $0.on) })
            }
            if flags & 0x20 == 0 { break }
        }
        return result
    }

    // MARK: bounds-checked reads

    private static func u8(_ d: [UInt8], _ o: Int) throws -> UInt8 {
        guard o >= 0, o < d.count else { throw FontError.malformed("read past the end at \(o)") }
        return d[o]
    }
    private static func u16(_ d: [UInt8], _ o: Int) throws -> Int {
        guard o >= 0, o + 2 <= d.count else { throw FontError.malformed("read past the end at \(o)") }
        return Int(d[o]) << 8 | Int(d[o + 1])
    }
    private static func i16(_ d: [UInt8], _ o: Int) throws -> Int { Int(Int16(truncatingIfNeeded: try u16(d, o))) }
    private static func u32(_ d: [UInt8], _ o: Int) throws -> Int {
        guard o >= 0, o + 4 <= d.count else { throw FontError.malformed("read past the end at \(o)") }
        return Int(d[o]) << 24 | Int(d[o + 1]) << 16 | Int(d[o + 2]) << 8 | Int(d[o + 3])
    }
    private static func f2dot14(_ d: [UInt8], _ o: Int) throws -> Double { Double(try i16(d, o)) / 16384 }
    private static func slice(_ d: [UInt8], _ o: Int, _ n: Int) throws -> [UInt8] {
        guard o >= 0, o + n <= d.count else { throw FontError.malformed("read past the end at \(o)") }
        return Array(d[o..<(o + n)])
    }
}
