import CZlib
@testable import Plot

/// A minimal PNG reader for the tests: checks chunk CRCs, inflates IDAT through zlib, undoes all five
/// filters. Independent of the encoder (which only writes None and Up).
struct DecodedPNG {
    var width = 0, height = 0, colorType = 0
    var rgba: [UInt8] = []
    var chunkTypes: [String] = []
    var pixelsPerMeter: Int?
}

enum PNGReadError: Error { case bad(String) }

func readPNG(_ bytes: [UInt8]) throws -> DecodedPNG {
    guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw PNGReadError.bad("signature") }
    func be32(_ o: Int) -> Int { Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3]) }
    var out = DecodedPNG()
    var idat: [UInt8] = []
    var p = 8
    while p + 12 <= bytes.count {
        let len = be32(p)
        guard p + 12 + len <= bytes.count else { throw PNGReadError.bad("chunk length") }
        let typeAndData = Array(bytes[(p + 4)..<(p + 8 + len)])
        let crc = typeAndData.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        guard Int(crc) == be32(p + 8 + len) else { throw PNGReadError.bad("CRC") }
        let type = String(decoding: typeAndData[0..<4], as: UTF8.self)
        out.chunkTypes.append(type)
        let data = Array(typeAndData[4...])
        switch type {
        case "IHDR":
            out.width = be32(p + 8); out.height = be32(p + 12); out.colorType = Int(data[9])
        case "pHYs": out.pixelsPerMeter = be32(p + 8)
        case "IDAT": idat += data
        default: break
        }
        p += 12 + len
    }
    let channels = out.colorType == 6 ? 4 : 3
    let stride = out.width * channels
    var raw = [UInt8](repeating: 0, count: (stride + 1) * out.height)
    var rawLen = uLongf(raw.count)
    let code = raw.withUnsafeMutableBufferPointer { r in idat.withUnsafeBufferPointer { uncompress(r.baseAddress, &rawLen, $0.baseAddress, uLong($0.count)) } }
    guard code == Z_OK, Int(rawLen) == raw.count else { throw PNGReadError.bad("inflate \(code)") }
    var prev = [UInt8](repeating: 0, count: stride)
    out.rgba = [UInt8](repeating: 255, count: out.width * out.height * 4)
    for y in 0..<out.height {
        let filter = raw[y * (stride + 1)]
        var cur = Array(raw[(y * (stride + 1) + 1)..<((y + 1) * (stride + 1))])
        for i in 0..<stride {
            let a = i >= channels ? Int(cur[i - channels]) : 0, b = Int(prev[i]), c = i >= channels ? Int(prev[i - channels]) : 0
            let pred: Int
            switch filter {
            case 0: pred = 0
            case 1: pred = a
            case 2: pred = b
            case 3: pred = (a + b) / 2
            case 4:
                let pp = a + b - c, pa = abs(pp - a), pb = abs(pp - b), pc = abs(pp - c)
                pred = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            default: throw PNGReadError.bad("filter \(filter)")
            }
            cur[i] = UInt8((Int(cur[i]) + pred) & 0xFF)
        }
        for x in 0..<out.width { for k in 0..<channels { out.rgba[(y * out.width + x) * 4 + k] = cur[x * channels + k] } }
        prev = cur
    }
    return out
}

/// Mean absolute difference of two RGBA buffers, per channel value (0…255).
func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
    guard a.count == b.count, !a.isEmpty else { return .infinity }
    var total = 0
    for i in 0..<a.count { total += abs(Int(a[i]) - Int(b[i])) }
    return Double(total) / Double(a.count)
}
