import Foundation

/// A numeric array read from a file: values as Float (exact for bytes and shorts), row-major shape.
public struct LoadedArray: Equatable, Sendable {
    public var values: [Float]
    public var shape: [Int]
}

/// Reader for the IDX format of LeCun's MNIST files: two zero bytes, a type code, the number of
/// dimensions, each dimension as a big-endian UInt32, then the values big-endian, row-major.
public enum IDX {
    /// Element types by IDX type code, with their sizes in bytes.
    static let types: [UInt8: (name: String, size: Int)] = [
        0x08: ("ubyte", 1), 0x09: ("byte", 1), 0x0B: ("short", 2), 0x0C: ("int", 4),
        0x0D: ("float", 4), 0x0E: ("double", 8),
    ]

    public static func load(path: String) throws -> LoadedArray {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataError("load_idx: cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    /// Decodes IDX bytes; `source` names the file in error messages.
    public static func decode(_ data: Data, source: String = "IDX data") throws -> LoadedArray {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> DataError { DataError("load_idx: \(source) is not a valid IDX file: \(why)") }
        guard bytes.count >= 4 else { throw fail("it has only \(bytes.count) bytes, less than the 4-byte magic number") }
        if bytes[0] == 0x1F && bytes[1] == 0x8B {
            throw DataError("load_idx: \(source) is gzip-compressed; decompress it first (gunzip)")
        }
        guard bytes[0] == 0, bytes[1] == 0 else { throw fail("the magic number must start with two zero bytes") }
        guard let type = types[bytes[2]] else {
            throw fail("unknown type code 0x\(String(bytes[2], radix: 16)); expected 08, 09, 0B, 0C, 0D or 0E")
        }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else { throw fail("the file ends inside its \(rank) dimension sizes") }
        var shape: [Int] = []
        var count = 1
        for d in 0..<rank {
            let dim = Int(readBigEndian(bytes, at: 4 + 4 * d, size: 4))
            shape.append(dim)
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= (bytes.count - headerSize) else {
                throw fail("dimensions \(shape) need more data than the file holds")
            }
            count = product
        }
        let expected = headerSize + count * type.size
        guard bytes.count == expected else {
            throw fail("dimensions \(shape) of \(type.name) need \(expected) bytes, the file has \(bytes.count)")
        }
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let raw = readBigEndian(bytes, at: headerSize + i * type.size, size: type.size)
            switch bytes[2] {
            case 0x08: values[i] = Float(UInt8(truncatingIfNeeded: raw))
            case 0x09: values[i] = Float(Int8(truncatingIfNeeded: raw))
            case 0x0B: values[i] = Float(Int16(truncatingIfNeeded: raw))
            case 0x0C: values[i] = Float(Int32(truncatingIfNeeded: raw))
            case 0x0D: values[i] = Float(bitPattern: UInt32(truncatingIfNeeded: raw))
            default: values[i] = Float(Double(bitPattern: raw))
            }
        }
        return LoadedArray(values: values, shape: shape)
    }

    /// Unsigned big-endian integer of `size` bytes at `offset` (caller checks bounds).
    private static func readBigEndian(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<size { v = v << 8 | UInt64(bytes[offset + k]) }
        return v
    }

    /// Encodes unsigned bytes as an IDX file (type 0x08), e.g. for images and labels.
    public static func encodeUInt8(_ values: [UInt8], shape: [Int]) throws -> Data {
        guard shape.count < 256, shape.allSatisfy({ $0 <= Int(UInt32.max) }),
              checkedElementCount(shape) == values.count else {
            throw DataError("IDX: shape \(shape) does not match \(values.count) values")
        }
        var out: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for d in shape { out += withUnsafeBytes(of: UInt32(d).bigEndian, Array.init) }
        return Data(out + values)
    }
}
