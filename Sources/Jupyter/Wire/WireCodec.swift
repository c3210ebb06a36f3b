import Foundation

/// Turns `Message`s into signed ZeroMQ frames and back (messaging spec, "The Wire Protocol").
/// Decoding verifies the HMAC in constant time and refuses a signature seen before.
/// Thread-safe: each socket thread may share one codec.
public final class WireCodec: @unchecked Sendable {
    public static let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)

    private let key: [UInt8]
    private let lock = NSLock()
    private var seen = Set<[UInt8]>()
    private var seenOrder: [[UInt8]] = []
    /// How many recent signatures are remembered for replay detection.
    private let historyLimit: Int

    /// `key` empty means signing is disabled (the spec allows it; then nothing is checked).
    public init(key: [UInt8], historyLimit: Int = 65_536) {
        self.key = key
        self.historyLimit = historyLimit
    }

    public var signs: Bool { !key.isEmpty }

    /// The frames of `message`, signed.
    public func encode(_ message: Message) -> [[UInt8]] {
        let parts = [message.header, message.parentHeader, message.metadata, message.content]
            .map { Array($0.serialized().utf8) }
        var frames = message.identities
        frames.append(WireCodec.delimiter)
        frames.append(signature(parts))
        frames += parts
        frames += message.buffers
        return frames
    }

    /// Parses and verifies `frames`; throws `WireError` for anything to drop.
    public func decode(_ frames: [[UInt8]]) throws -> Message {
        guard let split = frames.firstIndex(of: WireCodec.delimiter) else { throw WireError.missingDelimiter }
        let rest = frames[(split + 1)...]
        guard rest.count >= 5 else { throw WireError.tooFewFrames(rest.count) }
        let s = rest.startIndex
        let parts = Array(rest[(s + 1)..<(s + 5)])
        if signs {
            let expected = signature(parts)
            let given = rest[s]
            guard constantTimeEquals(expected, given) else { throw WireError.badSignature }
            try remember(given)
        }
        let names = ["header", "parent_header", "metadata", "content"]
        var values: [JSON] = []
        for (name, bytes) in zip(names, parts) {
            let value: JSON
            do { value = try JSON.parse(bytes: bytes) } catch {
                throw WireError.invalidJSON(part: name, reason: "\(error)")
            }
            guard value.objectValue != nil else { throw WireError.notAnObject(part: name) }
            values.append(value)
        }
        for field in ["msg_id", "msg_type"] where values[0][field]?.stringValue == nil {
            throw WireError.missingHeaderField(field)
        }
        return Message(identities: Array(frames[..<split]), header: values[0], parentHeader: values[1],
                       metadata: values[2], content: values[3], buffers: Array(rest[(s + 5)...]))
    }

    private func signature(_ parts: [[UInt8]]) -> [UInt8] {
        guard signs else { return [] }
        var mac = HMACSHA256(key: key)
        for part in parts { mac.update(part) }
        return Hex.encode(mac.finalize())
    }

    private func remember(_ signature: [UInt8]) throws {
        lock.lock()
        defer { lock.unlock() }
        guard seen.insert(signature).inserted else { throw WireError.replayedSignature }
        seenOrder.append(signature)
        if seenOrder.count > historyLimit {
            // Forget the oldest half at once so the cost stays amortised O(1).
            let drop = seenOrder.count / 2
            for old in seenOrder[..<drop] { seen.remove(old) }
            seenOrder.removeFirst(drop)
        }
    }
}
