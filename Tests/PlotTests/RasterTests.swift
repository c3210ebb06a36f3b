import Testing
@testable import Plot

/// Darkness (0…1) of a pixel painted black on white.
private func ink(_ c: Canvas, _ x: Int, _ y: Int) -> Double { Double(255 - Int(c.pixel(x: x, y: y)?.r ?? 255)) / 255 }
private func totalInk(_ c: Canvas) -> Double {
    var s = 0.0
    for y in 0..<c.height { for x in 0..<c.width { s += ink(c, x, y) } }
    return s
}

@Suite struct RasterTests {
    @Test func aHalfCoveredPixelIsHalf() {
        let c = Canvas(width: 4, height: 4)
        c.fillRect(Rect(x: 1, y: 1, width: 0.5, height: 1), color: .black)
        #expect(abs(ink(c, 1, 1) - 0.5) < 0.01)
        #expect(ink(c, 0, 1) == 0 && ink(c, 2, 1) == 0 && ink(c, 1, 0) == 0 && ink(c, 1, 2) == 0)
    }

    @Test func aDiagonalHalvesItsPixel() {
        let c = Canvas(width: 3, height: 3)
        var p = Path(); p.polygon([Point(1, 1), Point(2, 1), Point(2, 2)])
        c.fill(p, color: .black)
        #expect(abs(ink(c, 1, 1) - 0.5) < 0.01)
        #expect(abs(totalInk(c) - 0.5) < 0.01)
    }

    @Test func aUnitSquareCoversExactlyItsPixel() {
        let c = Canvas(width: 4, height: 4)
        c.fillRect(Rect(x: 2, y: 1, width: 1, height: 1), color: .black)
        #expect(c.pixel(x: 2, y: 1)?.r == 0)
        #expect(abs(totalInk(c) - 1) < 1e-9)
    }

    @Test func evenOddLeavesTheOverlapEmptyAndNonZeroFillsIt() {
        var p = Path()
        p.rect(Rect(x: 0, y: 0, width: 6, height: 6))
        p.rect(Rect(x: 3, y: 3, width: 6, height: 6))  // same orientation, overlapping 3×3
        let nz = Canvas(width: 10, height: 10), eo = Canvas(width: 10, height: 10)
        nz.fill(p, color: .black, rule: .nonZero)
        eo.fill(p, color: .black, rule: .evenOdd)
        #expect(ink(nz, 4, 4) == 1 && ink(eo, 4, 4) == 0)
        #expect(ink(nz, 1, 1) == 1 && ink(eo, 1, 1) == 1)
        #expect(abs(totalInk(nz) - 63) < 1e-6)
        #expect(abs(totalInk(eo) - 54) < 1e-6)
    }

    @Test func aCircleCoversItsArea() {
        let c = Canvas(width: 40, height: 40)
        var p = Path(); p.circle(center: Point(20.3, 19.7), radius: 12)
        c.fill(p, color: .black)
        #expect(abs(totalInk(c) - Double.pi * 144) / (Double.pi * 144) < 0.005)
    }

    @Test func clippingKeepsPaintInsideTheClip() {
        let c = Canvas(width: 10, height: 10)
        c.clip = Rect(x: 2, y: 2, width: 4, height: 4)
        var p = Path(); p.polygon([Point(-5, -3), Point(15, 0), Point(12, 14), Point(-2, 11)])
        c.fill(p, color: .black)
        #expect(abs(totalInk(c) - 16) < 1e-4)
        #expect(ink(c, 1, 3) == 0 && ink(c, 6, 3) == 0)
    }

    @Test func halfTransparentPaintBlendsHalfway() {
        let c = Canvas(width: 2, height: 2)
        c.fillRect(Rect(x: 0, y: 0, width: 2, height: 2), color: Color(r: 0, g: 0, b: 0, a: 0.5))
        #expect(abs(Int(c.pixel(x: 0, y: 0)?.r ?? 0) - 128) <= 1)  // 127.5 rounds either way
        let t = Canvas(width: 1, height: 1, background: .clear)
        t.fillRect(Rect(x: 0, y: 0, width: 1, height: 1), color: Color(r: 1, g: 0, b: 0, a: 0.5))
        #expect(t.pixel(x: 0, y: 0)?.r == 255 && t.pixel(x: 0, y: 0)?.a == 128)
    }
}

@Suite struct StrokerTests {
    private func strokeArea(_ pts: [Point], _ style: StrokeStyle, closed: Bool = false) -> Double {
        let c = Canvas(width: 40, height: 40)
        var p = Path(); p.move(to: pts[0]); for q in pts.dropFirst() { p.line(to: q) }
        if closed { p.close() }
        c.stroke(p, color: .black, style: style)
        return totalInk(c)
    }

    @Test func aHorizontalLineIsAsWideAsItsWidth() {
        let c = Canvas(width: 20, height: 20)
        var p = Path(); p.move(to: Point(4, 10)); p.line(to: Point(16, 10))
        c.stroke(p, color: .black, style: StrokeStyle(width: 3, cap: .butt))
        let column = (0..<20).map { ink(c, 10, $0) }.reduce(0, +)
        #expect(abs(column - 3) < 0.01)  // 8-bit pixels
        #expect(ink(c, 10, 9) == 1 && abs(ink(c, 10, 8) - 0.5) < 0.01 && ink(c, 10, 12) < 0.51)
    }

    @Test func capsExtendAsExpected() {
        let line = [Point(10, 20), Point(30, 20)]
        let butt = strokeArea(line, StrokeStyle(width: 4, cap: .butt))
        let square = strokeArea(line, StrokeStyle(width: 4, cap: .square))
        let round = strokeArea(line, StrokeStyle(width: 4, cap: .round))
        #expect(abs(butt - 80) < 0.01)
        #expect(abs(square - 96) < 0.01)            // each end extends by half the width
        #expect(abs(round - (80 + Double.pi * 4)) < 0.2)  // two half discs of radius 2
    }

    @Test func joinsOrderMiterRoundBevel() {
        let corner = [Point(5, 30), Point(20, 30), Point(20, 5)]
        let miter = strokeArea(corner, StrokeStyle(width: 6, join: .miter))
        let round = strokeArea(corner, StrokeStyle(width: 6, join: .round))
        let bevel = strokeArea(corner, StrokeStyle(width: 6, join: .bevel))
        // A 15×6 and a 25×6 arm overlapping in a 3×3 square, plus the outer corner: a 3×3 square, a quarter disc, a triangle.
        let base = 15.0 * 6 + 25 * 6 - 9
        #expect(abs(miter - (base + 9)) < 0.05)
        #expect(abs(round - (base + Double.pi * 9 / 4)) < 0.15)
        #expect(abs(bevel - (base + 4.5)) < 0.05)
    }

    @Test func dashesCoverTheirShare() {
        let area = strokeArea([Point(4, 10), Point(36, 10)], StrokeStyle(width: 2, cap: .butt, dashes: [4, 4]))
        #expect(abs(area - 32) < 0.01)
    }

    @Test func aClosedSquareOutlineHasAHole() {
        let c = Canvas(width: 30, height: 30)
        var p = Path(); p.rect(Rect(x: 5, y: 5, width: 20, height: 20))
        c.stroke(p, color: .black, style: StrokeStyle(width: 2, join: .miter))
        #expect(ink(c, 15, 15) == 0 && ink(c, 5, 15) == 1 && ink(c, 15, 4) == 1)
        #expect(abs(totalInk(c) - (22 * 22 - 18 * 18)) < 0.05)
    }
}
