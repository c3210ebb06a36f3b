import Testing
import CZlib
@testable import Plot

@Suite struct PNGTests {
    private func pattern(_ w: Int, _ h: Int, alpha: Bool) -> [UInt8] {
        var px = [UInt8](repeating: 0, count: w * h * 4)
        for y in 0..<h { for x in 0..<w {
            let i = (y * w + x) * 4
            px[i] = UInt8((x * 37 + y * 11) & 0xFF); px[i + 1] = UInt8((x * y) & 0xFF); px[i + 2] = UInt8(y * 255 / max(1, h - 1))
            px[i + 3] = alpha ? UInt8((x * 255) / max(1, w - 1)) : 255
        } }
        return px
    }

    @Test(arguments: [false, true]) func roundTripsThroughAnIndependentDecoder(alpha: Bool) throws {
        let px = pattern(37, 23, alpha: alpha)
        let png = try PNGEncoder.encode(rgba: px, width: 37, height: 23, pixelsPerMeter: 5669)
        let d = try readPNG(png)
        #expect(d.width == 37 && d.height == 23)
        #expect(d.colorType == (alpha ? 6 : 2))
        #expect(d.rgba == px)
        #expect(d.chunkTypes == ["IHDR", "pHYs", "IDAT", "IEND"])
        #expect(d.pixelsPerMeter == 5669)
    }

    @Test(arguments: [1, 2, 5, 64]) func repeatedRowsAndNarrowImagesRoundTrip(width: Int) throws {
        // Runs of identical rows take the encoder's shortcut; odd widths exercise the RGB packing tail.
        var px = [UInt8](repeating: 255, count: width * 9 * 4)
        for y in [3, 4, 5] { for x in 0..<width { px[(y * width + x) * 4] = UInt8(x * 3 & 0xFF); px[(y * width + x) * 4 + 2] = 7 } }
        for x in 0..<width { px[(8 * width + x) * 4 + 1] = 0 }
        let d = try readPNG(try PNGEncoder.encode(rgba: px, width: width, height: 9, fast: true))
        #expect(d.rgba == px && d.colorType == 2)
    }

    @Test func adlerMatchesZlib() {
        var state: UInt32 = 7
        for n in [0, 1, 15, 16, 17, 5551, 5552, 5553, 100_000] {
            let bytes = (0..<n).map { _ -> UInt8 in state = state &* 1_103_515_245 &+ 12345; return n == 100_000 ? 255 : UInt8(state >> 24) }
            let ours = bytes.withUnsafeBufferPointer { p in p.baseAddress.map { PNGEncoder.adler32($0, n) } ?? 1 }
            let zlibs = bytes.withUnsafeBufferPointer { UInt32(adler32(1, $0.baseAddress, uInt(n))) }
            #expect(ours == zlibs, "n = \(n)")
        }
    }

    @Test func rejectsAWrongSizedBuffer() {
        #expect(throws: PNGError.self) { try PNGEncoder.encode(rgba: [0, 0, 0], width: 1, height: 1) }
        #expect(throws: PNGError.self) { try PNGEncoder.encode(rgba: [], width: 0, height: 0) }
    }

    @Test func figurePNGIsTwiceTheLogicalSize() throws {
        let fig = try Figure()
        try fig.axes[0].line(y: [1, 3, 2])
        let out = try fig.renderPNG()
        #expect(out.width == 640 && out.height == 480)
        let d = try readPNG(out.png)
        #expect(d.width == 1280 && d.height == 960)
        #expect(d.pixelsPerMeter == 7874)  // 200 dpi
    }
}
