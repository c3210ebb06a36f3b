import Foundation

/// The element types NPY files may hold here, with NumPy's names.
public enum NPYValues: Equatable, Sendable {
    case float32([Float])
    case float64([Double])
    case int64([Int64])
    case uint8([UInt8])
    case bool([Bool])

    public var count: Int {
        switch self {
        case .float32(let v): return v.count
        case .float64(let v): return v.count
        case .int64(let v): return v.count
        case .uint8(let v): return v.count
        case .bool(let v): return v.count
        }
    }

    /// NumPy's dtype name (`float32`, …).
    public var dtypeName: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .int64: return "int64"
        case .uint8: return "uint8"
        case .bool: return "bool"
        }
    }

    /// The values as floats (for wrapping into a float tensor).
    public var floats: [Float] {
        switch self {
        case .float32(let v): return v
        case .float64(let v): return v.map { Float($0) }
        case .int64(let v): return v.map { Float($0) }
        case .uint8(let v): return v.map { Float($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        }
    }
}

/// A C-ordered array read from or written to an `.npy` file.
public struct NPYArray: Equatable, Sendable {
    public var values: NPYValues
    public var shape: [Int]

    public init(values: NPYValues, shape: [Int]) {
        self.values = values
        self.shape = shape
    }
}

/// NumPy's `.npy` format, versions 1.0 and 2.0 (and 3.0, which only allows UTF-8 headers):
/// magic `\x93NUMPY`, version, little-endian header length (2 bytes in v1, 4 after), a Python dict
/// literal with `descr`, `fortran_order` and `shape`, padded so the data starts 64-byte aligned.
/// Reads float32/float64/int64 (either byte order), uint8 and bool in C order; writes little-endian.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] // \x93NUMPY

    public static func load(path: String) throws -> NPYArray {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataError("load_npy: cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    public static func save(_ array: NPYArray, path: String) throws {
        let data = try encode(array)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw DataError("save_npy: cannot write \(path): \(error.localizedDescription)")
        }
    }

    // MARK: Decoding

    public static func decode(_ data: Data, source: String = "NPY data") throws -> NPYArray {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> DataError { DataError("load_npy: \(source) is not a valid .npy file: \(why)") }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("it does not start with the magic string \\x93NUMPY")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file ends inside its header length") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw fail("format version \(major).\(bytes[7]) is not supported (only 1.x, 2.x and 3.x)")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw fail("the header claims \(headerLength) bytes but the file ends before that")
        }
        guard let header = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("the header is not text")
        }
        let parsed = try parseHeader(header, fail: fail)
        let body = headerStart + headerLength
        var count = 1
        for d in parsed.shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= bytes.count else { throw fail("shape \(parsed.shape) is larger than the file") }
            count = p
        }
        let expected = count * parsed.itemSize
        guard bytes.count - body == expected else {
            throw fail("shape \(parsed.shape) of \(parsed.descr) needs \(expected) data bytes, the file has \(bytes.count - body)")
        }
        let swap = parsed.bigEndian
        func word(_ i: Int, _ size: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<size {
                let b = UInt64(bytes[body + i * size + (swap ? k : size - 1 - k)])
                v = v << 8 | b
            }
            return v
        }
        let values: NPYValues
        switch parsed.kind {
        case "f4": values = .float32((0..<count).map { Float(bitPattern: UInt32(truncatingIfNeeded: word($0, 4))) })
        case "f8": values = .float64((0..<count).map { Double(bitPattern: word($0, 8)) })
        case "i8": values = .int64((0..<count).map { Int64(bitPattern: word($0, 8)) })
        case "u1": values = .uint8(Array(bytes[body..<body + count]))
        default:
            let raw = bytes[body..<body + count]
            guard raw.allSatisfy({ $0 <= 1 }) else { throw fail("a bool array holds bytes other than 0 and 1") }
            values = .bool(raw.map { $0 == 1 })
        }
        return NPYArray(values: values, shape: parsed.shape)
    }

    struct Header {
        var descr: String, kind: String, itemSize: Int, bigEndian: Bool, shape: [Int]
    }

    /// Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
    static func parseHeader(_ text: String, fail: (String) -> DataError) throws -> Header {
        var scanner = HeaderScanner(Array(text.unicodeScalars))
        var descr: String?, fortran: Bool?, shape: [Int]?
        guard scanner.skip("{") else { throw fail("the header is not a Python dict literal") }
        while !scanner.skip("}") {
            guard let key = scanner.quoted(), scanner.skip(":") else { throw fail("the header dict is malformed") }
            switch key {
            case "descr": descr = scanner.quoted()
            case "fortran_order": fortran = scanner.boolean()
            case "shape": shape = scanner.intTuple()
            default: throw fail("unexpected header key '\(key)'")
            }
            _ = scanner.skip(",")
            guard !scanner.atEnd() else { throw fail("the header dict is not closed") }
        }
        guard let descr else { throw fail("the header has no valid 'descr'") }
        guard let fortran else { throw fail("the header has no valid 'fortran_order'") }
        guard let shape else { throw fail("the header has no valid 'shape' tuple of non-negative integers") }
        guard !fortran else {
            throw DataError("load_npy: Fortran-ordered arrays are not supported; save a C-ordered copy (np.ascontiguousarray)")
        }
        let order = descr.first, kind = String(descr.dropFirst())
        let sizes = ["f4": 4, "f8": 8, "i8": 8, "u1": 1, "b1": 1]
        guard let size = sizes[kind], let order, "<>|=".contains(order) else {
            throw DataError("load_npy: dtype '\(descr)' is not supported; use float32, float64, int64, uint8 or bool")
        }
        return Header(descr: descr, kind: kind, itemSize: size, bigEndian: order == ">", shape: shape)
    }

    /// A tiny scanner for the header's Python literal syntax.
    struct HeaderScanner {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }
        mutating func atEnd() -> Bool { skipSpace(); return i >= s.count }

        mutating func skipSpace() {
            while i < s.count, s[i].properties.isWhitespace { i += 1 }
        }
        mutating func skip(_ c: Unicode.Scalar) -> Bool {
            skipSpace()
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        mutating func quoted() -> String? {
            skipSpace()
            guard i < s.count, s[i] == "'" || s[i] == "\"" else { return nil }
            let q = s[i]
            var out = String.UnicodeScalarView()
            i += 1
            while i < s.count, s[i] != q { out.append(s[i]); i += 1 }
            guard i < s.count else { return nil }
            i += 1
            return String(out)
        }
        mutating func word() -> String {
            skipSpace()
            var out = String.UnicodeScalarView()
            while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
                out.append(s[i]); i += 1
            }
            return String(out)
        }
        mutating func boolean() -> Bool? {
            switch word() {
            case "True": return true
            case "False": return false
            default: return nil
            }
        }
        mutating func intTuple() -> [Int]? {
            guard skip("(") else { return nil }
            var dims: [Int] = []
            while !skip(")") {
                let w = word()
                guard let d = Int(w), d >= 0 else { return nil }
                dims.append(d)
                _ = skip("L") // Python 2 long suffix
                guard skip(",") || (i < s.count && s[i] == ")") else { return nil }
            }
            return dims
        }
    }

    // MARK: Encoding

    /// Encodes as version 1.0 (2.0 if the header would not fit), little-endian, C order.
    public static func encode(_ array: NPYArray) throws -> Data {
        guard checkedElementCount(array.shape) == array.values.count else {
            throw DataError("save_npy: shape \(array.shape) does not match \(array.values.count) values")
        }
        let descr: String
        var body: [UInt8] = []
        func append<T: FixedWidthInteger>(_ v: T) {
            withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) }
        }
        switch array.values {
        case .float32(let v): descr = "<f4"; body.reserveCapacity(v.count * 4); v.forEach { append($0.bitPattern) }
        case .float64(let v): descr = "<f8"; body.reserveCapacity(v.count * 8); v.forEach { append($0.bitPattern) }
        case .int64(let v): descr = "<i8"; body.reserveCapacity(v.count * 8); v.forEach { append($0) }
        case .uint8(let v): descr = "|u1"; body = v
        case .bool(let v): descr = "|b1"; body = v.map { $0 ? 1 : 0 }
        }
        let dims = array.shape.map(String.init).joined(separator: ", ")
        let shapeText = array.shape.count == 1 ? "(\(dims),)" : "(\(dims))"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad with spaces so magic + version + length + header (ending in \n) is a multiple of 64.
        func paddedTotal(_ prefix: Int) -> Int { (prefix + header.utf8.count + 1 + 63) / 64 * 64 }
        let v1 = paddedTotal(10) - 10 <= Int(UInt16.max)
        let prefix = v1 ? 10 : 12
        let total = paddedTotal(prefix)
        header += String(repeating: " ", count: total - prefix - header.utf8.count - 1) + "\n"
        var out = magic + [v1 ? 1 : 2, 0]
        let length = header.utf8.count
        out += v1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
                  : (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
        out += Array(header.utf8)
        return Data(out + body)
    }
}
