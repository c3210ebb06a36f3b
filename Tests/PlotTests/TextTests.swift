import Testing
import Foundation
@testable import Plot

@Suite struct TextTests {
    @Test func advanceOfMMatchesTheFontTable() throws {
        let font = try Font.dejaVuSans()
        // DejaVu Sans: unitsPerEm 2048, 'M' (glyph 48) advance 1767, 'i' 569 — read with a separate Python parse of hmtx.
        #expect(abs(font.advance(of: "M", size: 2048) - 1767) < 1e-9)
        #expect(abs(font.advance(of: "M", size: 10) - 1767.0 / 2048 * 10) < 1e-9)
        #expect(abs(font.width(of: "Mi", size: 2048) - (1767 + 569)) < 1e-9)
        #expect(abs(font.advance(of: "α", size: 2048) - 1350) < 1e-9)
    }

    @Test func theFontComesFromThePackageResources() throws {
        let path = try #require(Font.bundledPath)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent + "/DejaVuSans-LICENSE.txt"))
    }

    @Test func greekAndSymbolsArePresent() throws {
        let font = try Font.dejaVuSans()
        for s in "αβε≤²×−" { #expect(font.has(s.unicodeScalars.first!), "\(s)") }
    }

    @Test func glyphInkSitsWhereTheMetricsSay() throws {
        let font = try Font.dejaVuSans()
        let c = Canvas(width: 120, height: 60)
        c.fill(font.path(of: "H", size: 40, origin: Point(10, 45)), color: .black)
        // 'H' is about 0.73 em tall: ink from y≈16 to 45, none below the baseline or left of the origin.
        var rows: [Int] = [], cols: [Int] = []
        for y in 0..<60 { for x in 0..<120 where (c.pixel(x: x, y: y)?.r ?? 255) < 128 { rows.append(y); cols.append(x) } }
        #expect(rows.max()! <= 45 && rows.min()! >= 14 && rows.min()! <= 17)
        #expect(cols.min()! >= 10 && cols.max()! <= 10 + Int(font.advance(of: "H", size: 40)))
    }

    @Test func rotatedTextRunsUpwards() throws {
        let font = try Font.dejaVuSans()
        let c = Canvas(width: 60, height: 200)
        c.fill(font.path(of: "MMMM", size: 30, origin: Point(40, 180), angle: Double.pi / 2), color: .black)
        var ys: [Int] = [], xs: [Int] = []
        for y in 0..<200 { for x in 0..<60 where (c.pixel(x: x, y: y)?.r ?? 255) < 128 { ys.append(y); xs.append(x) } }
        let length = font.width(of: "MMMM", size: 30)
        #expect(Double(ys.max()! - ys.min()!) > length * 0.85)
        #expect(xs.max()! <= 40)
    }

    @Test func malformedFontsThrow() {
        #expect(throws: FontError.self) { try Font(data: [0, 1, 0, 0, 0, 5]) }
        #expect(throws: FontError.self) { try Font(data: []) }
    }
}
