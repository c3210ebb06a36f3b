#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
/// name → dtype/shape/data_offsets, then raw little-endian data), the format PyTorch users share
/// weights in (`safetensors.torch.save_file(model.state_dict(), path)`).
public enum Safetensors {
    /// Writes named tensors to `path` in the given order.
    public static func save(_ tensors: [(name: String, tensor: Tensor)], to path: String) throws {
        var header = "{\"__metadata__\":{\"format\":\"pt\"}"
        var body: [UInt8] = []
        for (name, t) in tensors {
            let start = body.count
            switch t.dtype {
            case .float32: for v in t.floatArray() { appendLE(&body, v.bitPattern) }
            case .int64: for v in t.int64Array() { appendLE(&body, UInt64(bitPattern: v)) }
            case .bool: for v in t.boolArray() { body.append(v ? 1 : 0) }
            }
            header += ",\(jsonString(name)):{\"dtype\":\"\(code(t.dtype))\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(start),\(body.count)]}"
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var file: [UInt8] = []
        appendLE(&file, UInt64(headerBytes.count))
        file += headerBytes
        file += body
        try writeFile(path, file)
    }

    /// Reads every tensor of a safetensors file by name.
    public static func load(from path: String) throws -> [String: Tensor] {
        let bytes = try readFile(path)
        guard bytes.count >= 8 else { throw EngineError.value("\(path) is not a safetensors file (too short)") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else { throw EngineError.value("\(path) is not a safetensors file (header length \(n) exceeds the file)") }
        let headerEnd = 8 + Int(n)
        var parser = MiniJSON(Array(bytes[8..<headerEnd]))
        guard case .object(let entries)? = try? parser.parse() else {
            throw EngineError.value("\(path): the safetensors header is not a JSON object")
        }
        var out: [String: Tensor] = [:]
        for (name, value) in entries where name != "__metadata__" {
            guard case .object(let info) = value, case .string(let dt)? = info["dtype"],
                  case .array(let shapeValues)? = info["shape"], case .array(let offs)? = info["data_offsets"], offs.count == 2,
                  case .number(let b0) = offs[0], case .number(let b1) = offs[1] else {
                throw EngineError.value("\(path): malformed header entry for '\(name)'")
            }
            // Exact non-negative integers below 2⁵³ only, so no conversion can trap.
            func whole(_ d: Double) -> Bool { d >= 0 && d < 9.0e15 && d == d.rounded() }
            let shape = shapeValues.compactMap { v -> Int? in if case .number(let d) = v, whole(d) { return Int(d) }; return nil }
            guard shape.count == shapeValues.count, whole(b0), whole(b1), b1 >= b0, headerEnd + Int(b1) <= bytes.count else {
                throw EngineError.value("\(path): bad shape or data offsets for '\(name)'")
            }
            let count = try Shapes.count(shape, op: "load")
            let data = bytes[(headerEnd + Int(b0))..<(headerEnd + Int(b1))]
            let base = data.startIndex
            switch dt {
            case "F32":
                guard data.count == 4 * count else { throw EngineError.value("\(path): '\(name)' holds \(data.count) bytes, expected \(4 * count)") }
                out[name] = try Tensor((0..<count).map { Float(bitPattern: readLE(data, base + 4 * $0, 4).low32) }, shape: shape)
            case "F64":
                guard data.count == 8 * count else { throw EngineError.value("\(path): '\(name)' holds \(data.count) bytes, expected \(8 * count)") }
                out[name] = try Tensor((0..<count).map { Float(Double(bitPattern: readLE(data, base + 8 * $0, 8))) }, shape: shape)
            case "I64":
                guard data.count == 8 * count else { throw EngineError.value("\(path): '\(name)' holds \(data.count) bytes, expected \(8 * count)") }
                out[name] = try Tensor((0..<count).map { Int64(bitPattern: readLE(data, base + 8 * $0, 8)) }, shape: shape)
            case "BOOL":
                guard data.count == count else { throw EngineError.value("\(path): '\(name)' holds \(data.count) bytes, expected \(count)") }
                out[name] = try Tensor(data.map { $0 != 0 }, shape: shape)
            default:
                throw EngineError.type("\(path): '\(name)' has dtype \(dt); only F32, F64, I64 and BOOL can be loaded")
            }
        }
        return out
    }

    private static func code(_ d: DType) -> String {
        switch d { case .float32: return "F32"; case .int64: return "I64"; case .bool: return "BOOL" }
    }

    private static func appendLE<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
        var x = v.littleEndian
        withUnsafeBytes(of: &x) { out.append(contentsOf: $0) }
    }

    private static func readLE(_ b: ArraySlice<UInt8>, _ at: Int, _ n: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
        return v
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard let f = fopen(path, "wb") else { throw EngineError.value("cannot open \(path) for writing: \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        guard written == bytes.count else { throw EngineError.value("could not write all of \(path)") }
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw EngineError.value("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }
}

private extension UInt64 { var low32: UInt32 { UInt32(truncatingIfNeeded: self) } }

/// Just enough JSON for safetensors headers: objects, arrays, strings, numbers, literals.
struct MiniJSON {
    indirect enum Value { case object([String: Value]), array([Value]), string(String), number(Double), literal }
    struct Bad: Error {}
    private let b: [UInt8]
    private var i = 0
    init(_ bytes: [UInt8]) { b = bytes }

    mutating func parse() throws -> Value {
        let v = try value(depth: 0)
        skip()
        guard i == b.count else { throw Bad() }
        return v
    }

    private mutating func skip() { while i < b.count, [0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 } }

    private mutating func value(depth: Int) throws -> Value {
        guard depth < 64 else { throw Bad() }
        skip()
        guard i < b.count else { throw Bad() }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1; var d: [String: Value] = [:]
            skip()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(d) }
            while true {
                skip()
                guard case .string(let k) = try value(depth: depth + 1) else { throw Bad() }
                skip(); guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Bad() }; i += 1
                d[k] = try value(depth: depth + 1)
                skip(); guard i < b.count else { throw Bad() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "}") else { throw Bad() }; i += 1
                return .object(d)
            }
        case UInt8(ascii: "["):
            i += 1; var a: [Value] = []
            skip()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                a.append(try value(depth: depth + 1))
                skip(); guard i < b.count else { throw Bad() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "]") else { throw Bad() }; i += 1
                return .array(a)
            }
        case UInt8(ascii: "\""):
            i += 1; var bytes: [UInt8] = []
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "\\") {
                    i += 1; guard i < b.count else { throw Bad() }
                    switch b[i] {
                    case UInt8(ascii: "n"): bytes.append(0x0A)
                    case UInt8(ascii: "t"): bytes.append(0x09)
                    case UInt8(ascii: "u"):
                        guard i + 4 < b.count, let code = UInt32(String(decoding: b[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(code) else { throw Bad() }
                        bytes += Array(String(Character(scalar)).utf8); i += 4
                    default: bytes.append(b[i])
                    }
                } else { bytes.append(b[i]) }
                i += 1
            }
            guard i < b.count else { throw Bad() }
            i += 1
            return .string(String(decoding: bytes, as: UTF8.self))
        default:
            let start = i
            while i < b.count, !",]} \n\r\t".utf8.contains(b[i]) { i += 1 }
            let text = String(decoding: b[start..<i], as: UTF8.self)
            if let d = Double(text) { return .number(d) }
            guard ["true", "false", "null"].contains(text) else { throw Bad() }
            return .literal
        }
    }
}

extension Module {
    /// Saves parameters and buffers as safetensors with PyTorch's names (`0.weight`, `fc1.bias`).
    public func save(_ path: String) throws { try Safetensors.save(stateDict(), to: path) }

    /// Loads a safetensors file saved by `save` or by PyTorch (`save_file(model.state_dict(), …)`).
    public func load(_ path: String, strict: Bool = true) throws { try loadStateDict(Safetensors.load(from: path), strict: strict) }
}
