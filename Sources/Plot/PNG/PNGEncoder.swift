import Foundation
import CZlib

/// Errors from encoding or writing images.
public enum PNGError: Error, CustomStringConvertible {
    case badPixelBuffer(expected: Int, got: Int)
    case compressionFailed(code: Int32)
    public var description: String {
        switch self {
        case let .badPixelBuffer(e, g): return "PNG: the pixel buffer has \(g) bytes, but the size needs \(e)"
        case let .compressionFailed(c): return "PNG: zlib compression failed (code \(c))"
        }
    }
}

/// Writes PNG files: 8-bit RGB or RGBA, rows filtered with Up (the first with None), compressed by the
/// system zlib.
public enum PNGEncoder {
    /// Encodes RGBA8 pixels. `dropAlpha` writes RGB (smaller) when every pixel is opaque anyway.
    /// `pixelsPerMeter` goes into a pHYs chunk so viewers know the intended resolution (2× screens).
    /// `fast` compresses with zlib's run-length strategy (for figures shown interactively).
    public static func encode(rgba: [UInt8], width: Int, height: Int, dropAlpha: Bool = true,
                              pixelsPerMeter: Int? = nil, level: Int32 = 6, fast: Bool = false) throws -> [UInt8] {
        let expected = width * height * 4
        guard width > 0, height > 0, rgba.count == expected else {
            throw PNGError.badPixelBuffer(expected: expected, got: rgba.count)
        }
        let opaque = dropAlpha && !rgba.withUnsafeBufferPointer { p in
            stride(from: 3, to: p.count, by: 4).contains { p[$0] != 255 }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = width * channels
        var raw = Scratch.takeBytes((rowBytes + 1) * height)
        defer { Scratch.giveBytes(&raw) }
        let rawCount = (rowBytes + 1) * height
        var rows = [UInt8](repeating: 0, count: 2 * rowBytes + 16)
        rgba.withUnsafeBufferPointer { src in
            raw.withUnsafeMutableBufferPointer { dst in
                rows.withUnsafeMutableBufferPointer { buf in
                    guard let s0 = src.baseAddress, let d0 = dst.baseAddress, let b0 = buf.baseAddress else { return }
                    var cur = b0, prev = b0 + rowBytes
                    for y in 0..<height {
                        let s = s0 + y * width * 4
                        let d = d0 + y * (rowBytes + 1)
                        // Filter Up everywhere but the first row. A row equal to the one above (common in
                        // plots) filters to zeros.
                        if y > 0 {
                            d[0] = 2
                            if memcmp(s, s - width * 4, width * 4) == 0 { (d + 1).update(repeating: 0, count: rowBytes); continue }
                        }
                        if channels == 4 {
                            cur.update(from: s, count: rowBytes)
                        } else {
                            // RGBA → RGB: copy each pixel as one 4-byte word; the next pixel overwrites the spare byte.
                            let from = UnsafeRawPointer(s), to = UnsafeMutableRawPointer(cur)
                            for x in 0..<(width - 1) { to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * x, as: UInt32.self), toByteOffset: 3 * x, as: UInt32.self) }
                            let last = width - 1
                            cur[3 * last] = s[4 * last]; cur[3 * last + 1] = s[4 * last + 1]; cur[3 * last + 2] = s[4 * last + 2]
                        }
                        if y == 0 {
                            (d + 1).update(from: cur, count: rowBytes)
                        } else {
                            upFilter(cur, prev, d + 1, rowBytes)
                        }
                        swap(&cur, &prev)
                    }
                }
            }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr: [UInt8] = []
        ihdr.appendBigEndian(UInt32(width)); ihdr.appendBigEndian(UInt32(height))
        ihdr += [8, opaque ? 2 : 6, 0, 0, 0]
        appendChunk("IHDR", ihdr, to: &out)
        if let ppm = pixelsPerMeter, ppm > 0 {
            var phys: [UInt8] = []
            phys.appendBigEndian(UInt32(ppm)); phys.appendBigEndian(UInt32(ppm)); phys.append(1)
            appendChunk("pHYs", phys, to: &out)
        }
        appendChunk("IDAT", try deflate(raw, count: rawCount, level: level, rle: fast), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// out[i] = cur[i] - prev[i] (mod 256), sixteen bytes at a time.
    private static func upFilter(_ cur: UnsafeMutablePointer<UInt8>, _ prev: UnsafeMutablePointer<UInt8>,
                                 _ out: UnsafeMutablePointer<UInt8>, _ n: Int) {
        var i = 0
        while i + 16 <= n {
            let a = UnsafeRawPointer(cur + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let b = UnsafeRawPointer(prev + i).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: a &- b, as: SIMD16<UInt8>.self)
            i += 16
        }
        while i < n { out[i] = cur[i] &- prev[i]; i += 1 }
    }

    /// zlib stream of `data`. `rle` uses run-length matching only (Z_RLE): much faster, and nearly as small
    /// for plots, whose filtered rows are mostly runs of zeros.
    static func deflate(_ data: [UInt8], count: Int, level: Int32, rle: Bool = false) throws -> [UInt8] {
        var stream = z_stream()
        // A raw deflate stream inside a zlib wrapper written here, so the checksum can be the vectorised
        // `adler32` below (zlib's scalar one is a tenth of the encoding time).
        let code = deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, rle ? Z_RLE : Z_DEFAULT_STRATEGY,
                                 ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else { throw PNGError.compressionFailed(code: code) }
        defer { deflateEnd(&stream) }
        let n = min(count, data.count)
        let bound = Int(deflateBound(&stream, uLong(n))) + 6
        var status = Z_OK
        // Uninitialised capacity: only the pages zlib writes get touched.
        let out = [UInt8](unsafeUninitializedCapacity: bound) { o, initialized in
            guard let base = o.baseAddress else { initialized = 0; return }
            base[0] = 0x78; base[1] = 0x01  // deflate, 32 KiB window, fastest; (0x7801 % 31 == 0)
            var checksum: UInt32 = 1
            data.withUnsafeBufferPointer { i in
                stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
                stream.avail_in = uInt(n)
                stream.next_out = base + 2
                stream.avail_out = uInt(bound - 6)
                status = CZlib.deflate(&stream, Z_FINISH)
                if let p = i.baseAddress { checksum = adler32(p, n) }
            }
            let end = 2 + Int(stream.total_out)
            guard status == Z_STREAM_END else { initialized = 0; return }
            base[end] = UInt8(checksum >> 24); base[end + 1] = UInt8((checksum >> 16) & 0xFF)
            base[end + 2] = UInt8((checksum >> 8) & 0xFF); base[end + 3] = UInt8(checksum & 0xFF)
            initialized = end + 4
        }
        guard status == Z_STREAM_END else { throw PNGError.compressionFailed(code: status) }
        return out
    }

    /// Adler-32 of `n` bytes, sixteen at a time: over a block, b grows by 16·a plus the bytes weighted
    /// 16…1, and a by their sum. Sums are reduced mod 65521 every 5552 bytes, before they can overflow.
    static func adler32(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        let weights = SIMD16<UInt32>(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
        var i = 0
        while i < n {
            let chunkEnd = min(n, i + 5552)
            while i + 16 <= chunkEnd {
                let v = SIMD16<UInt32>(truncatingIfNeeded: UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self))
                b &+= 16 &* a &+ (v &* weights).wrappedSum()
                a &+= v.wrappedSum()
                i += 16
            }
            while i < chunkEnd { a &+= UInt32(p[i]); b &+= a; i += 1 }
            a %= 65521; b %= 65521
        }
        return b << 16 | a
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        out.appendBigEndian(UInt32(data.count))
        let typeBytes = Array(type.utf8)
        var crc = crc32(0, nil, 0)
        crc = typeBytes.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        out += typeBytes
        out += data
        out.appendBigEndian(UInt32(truncatingIfNeeded: crc))
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(v >> 24)); append(UInt8((v >> 16) & 0xFF)); append(UInt8((v >> 8) & 0xFF)); append(UInt8(v & 0xFF))
    }
}
