import Foundation

/// Makes the headers of the kernel's own messages: one session id per kernel process.
public final class MessageFactory: @unchecked Sendable {
    public static let protocolVersion = "5.5"
    public let session: String
    public let username: String

    public init(session: String = UUID().uuidString.lowercased(), username: String = "myelin") {
        self.session = session
        self.username = username
    }

    public func header(_ msgType: String) -> JSON {
        ["msg_id": .string(UUID().uuidString.lowercased()), "session": .string(session),
         "username": .string(username), "date": .string(MessageFactory.timestamp()),
         "msg_type": .string(msgType), "version": .string(MessageFactory.protocolVersion)]
    }

    /// The reply to `request` (same identities, parent = the request's header).
    public func reply(to request: Message, _ msgType: String, content: JSON) -> Message {
        Message(identities: request.identities, header: header(msgType), parentHeader: request.header,
                content: content)
    }

    /// `x_request` → `x_reply`.
    public static func replyType(_ requestType: String) -> String {
        requestType.hasSuffix("_request") ? String(requestType.dropLast(8)) + "_reply" : requestType + "_reply"
    }

    /// ISO 8601 UTC with microseconds, as jupyter_client writes it.
    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var seconds = tv.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(tv.tv_usec), 6))Z"
    }
}

/// Kernel diagnostics go to stderr (Jupyter shows them in the server log), never to a client.
enum KernelLog {
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data(("myelin kernel: " + text + "\n").utf8))
    }
}
