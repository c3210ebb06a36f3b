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

/// Writes PNG files: 8-bit RGB or RGBA, each row filtered with the cheaper of None and Up (by sum of
/// absolute values), compressed by the system zlib.
public enum PNGEncoder {
    /// Encodes RGBA8 pixels. `dropAlpha` writes RGB (smaller) when every pixel is opaque anyway.
    /// `pixelsPerMeter` goes into a pHYs chunk so viewers know the intended resolution (2× screens).
    public static func encode(rgba: [UInt8], width: Int, height: Int, dropAlpha: Bool = true,
                              pixelsPerMeter: Int? = nil, level: Int32 = 6) throws -> [UInt8] {
        let expected = width * height * 4
        guard width > 0, height > 0, rgba.count == expected else {
            throw PNGError.badPixelBuffer(expected: expected, got: rgba.count)
        }
        let opaque = dropAlpha && !rgba.withUnsafeBufferPointer { p in
            stride(from: 3, to: p.count, by: 4).contains { p[$0] != 255 }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = width * channels
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        var prev = [UInt8](repeating: 0, count: rowBytes)
        var cur = [UInt8](repeating: 0, count: rowBytes)
        rgba.withUnsafeBufferPointer { src in
            raw.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    var s = y * width * 4
                    if channels == 4 {
                        for i in 0..<rowBytes { cur[i] = src[s + i] }
                    } else {
                        var o = 0
                        for _ in 0..<width { cur[o] = src[s]; cur[o + 1] = src[s + 1]; cur[o + 2] = src[s + 2]; o += 3; s += 4 }
                    }
                    // Pick the filter whose output has the smaller sum of absolute (signed) bytes.
                    var costNone = 0, costUp = 0
                    for i in 0..<rowBytes {
                        let v = cur[i], u = v &- prev[i]
                        costNone += Int(v < 128 ? v : 255 - v + 1)
                        costUp += Int(u < 128 ? u : 255 - u + 1)
                    }
                    let base = y * (rowBytes + 1)
                    if y > 0 && costUp < costNone {
                        dst[base] = 2
                        for i in 0..<rowBytes { dst[base + 1 + i] = cur[i] &- prev[i] }
                    } else {
                        dst[base] = 0
                        for i in 0..<rowBytes { dst[base + 1 + i] = cur[i] }
                    }
                    swap(&prev, &cur)
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
        appendChunk("IDAT", try deflate(raw, level: level), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    static func deflate(_ data: [UInt8], level: Int32) throws -> [UInt8] {
        var bound = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let code = out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { i in
                compress2(o.baseAddress, &bound, i.baseAddress, uLong(data.count), level)
            }
        }
        guard code == Z_OK else { throw PNGError.compressionFailed(code: code) }
        out.removeLast(out.count - Int(bound))
        return out
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
