/// The parsers that take bytes from outside (the network, files), driven by one input — shared by the
/// libFuzzer harness in fuzz/ and by the corpus replay in the Swift tests. Every outcome but a crash
/// is fine: inputs either parse or throw.
public enum FuzzTargets {
    /// Key the fuzz corpus signs its wire messages with.
    public static let wireKey = Array("fuzz".utf8)

    /// Runs the target the first byte names on the remaining bytes (see fuzz/JupyterFuzzTarget.swift).
    public static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let body = Array(input.dropFirst())
        switch selector {
        case UInt8(ascii: "w"):
            let codec = WireCodec(key: wireKey)
            if let message = try? codec.decode(splitFrames(body)) {
                // What decodes must encode and decode again to the same message.
                _ = try? codec.decode(codec.encode(message))
            }
        case UInt8(ascii: "j"):
            if let json = try? JSON.parse(bytes: body) { _ = try? JSON.parse(json.serialized()) }
        case UInt8(ascii: "n"):
            if let notebook = try? Notebook.read(bytes: body) { _ = notebook.cells.count }
        case UInt8(ascii: "c"):
            _ = try? ConnectionInfo.parse(body)
        default:
            break
        }
    }

    /// Frames are separated by the two bytes 0x00 0xFF.
    public static func splitFrames(_ bytes: [UInt8]) -> [[UInt8]] {
        var frames: [[UInt8]] = [[]]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0, i + 1 < bytes.count, bytes[i + 1] == 0xFF {
                frames.append([])
                i += 2
            } else {
                frames[frames.count - 1].append(bytes[i])
                i += 1
            }
        }
        return frames
    }

    /// The inverse of `splitFrames`, for writing corpus files.
    public static func joinFrames(_ frames: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, f) in frames.enumerated() {
            if i > 0 { out += [0, 0xFF] }
            out += f
        }
        return out
    }
}
