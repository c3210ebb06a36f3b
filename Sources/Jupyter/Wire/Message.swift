/// One Jupyter message as it travels: routing identities, the four JSON parts, and raw buffers.
public struct Message: Equatable, Sendable {
    /// ROUTER identities (or the IOPub topic) that come before `<IDS|MSG>`.
    public var identities: [[UInt8]]
    public var header: JSON
    public var parentHeader: JSON
    public var metadata: JSON
    public var content: JSON
    public var buffers: [[UInt8]]

    public init(identities: [[UInt8]] = [], header: JSON, parentHeader: JSON = [:], metadata: JSON = [:],
                content: JSON = [:], buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// `header.msg_type`, or "" when absent (decoding rejects such messages).
    public var msgType: String { header["msg_type"]?.stringValue ?? "" }
    public var msgID: String { header["msg_id"]?.stringValue ?? "" }
}

/// Why an incoming multipart message was dropped.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case missingDelimiter
    case tooFewFrames(Int)
    case badSignature
    case replayedSignature
    case invalidJSON(part: String, reason: String)
    case notAnObject(part: String)
    case missingHeaderField(String)

    public var description: String {
        switch self {
        case .missingDelimiter: return "no <IDS|MSG> delimiter frame"
        case .tooFewFrames(let n): return "only \(n) frames after <IDS|MSG> (need signature, header, parent, metadata, content)"
        case .badSignature: return "HMAC signature is missing or wrong"
        case .replayedSignature: return "signature was already seen (replayed message)"
        case .invalidJSON(let part, let reason): return "\(part) is not valid JSON: \(reason)"
        case .notAnObject(let part): return "\(part) is not a JSON object"
        case .missingHeaderField(let field): return "header has no string '\(field)'"
        }
    }
}
