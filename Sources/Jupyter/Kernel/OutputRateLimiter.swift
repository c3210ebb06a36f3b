import Foundation

/// How much output cells may send to front-ends, like Jupyter server's `iopub_data_rate_limit`,
/// `iopub_msg_rate_limit` and `rate_limit_window`: a flood beyond it is dropped (with one notice)
/// instead of exhausting memory or wedging the browser.
public struct OutputRateLimit: Equatable, Sendable {
    /// Average bytes of stream text and display data per second; 0 turns the byte limit off.
    public var bytesPerSecond: Double
    /// Average stream/display messages per second; 0 turns the message limit off.
    public var messagesPerSecond: Double
    /// Seconds of output that may come in one burst (the buckets hold `rate × window`).
    public var window: Double

    public init(bytesPerSecond: Double = 1_000_000, messagesPerSecond: Double = 1000, window: Double = 3) {
        self.bytesPerSecond = bytesPerSecond
        self.messagesPerSecond = messagesPerSecond
        self.window = window
    }

    /// The default, changed by `MYELIN_IOPUB_DATA_RATE_LIMIT` (bytes/s) and `MYELIN_IOPUB_MSG_RATE_LIMIT`
    /// (messages/s); `0` turns a limit off. Unusable values are ignored with a warning.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> OutputRateLimit {
        var limit = OutputRateLimit()
        func read(_ name: String) -> Double? {
            guard let text = environment[name] else { return nil }
            guard let value = Double(text), value >= 0, value.isFinite else {
                KernelLog.warn("ignoring \(name)='\(text)': want a number of at least 0")
                return nil
            }
            return value
        }
        if let bytes = read("MYELIN_IOPUB_DATA_RATE_LIMIT") { limit.bytesPerSecond = bytes }
        if let messages = read("MYELIN_IOPUB_MSG_RATE_LIMIT") { limit.messagesPerSecond = messages }
        return limit
    }

    /// The one line shown where output stops.
    var notice: String {
        var parts: [String] = []
        if bytesPerSecond > 0 { parts.append("\(Self.format(bytesPerSecond)) bytes/s") }
        if messagesPerSecond > 0 { parts.append("\(Self.format(messagesPerSecond)) messages/s") }
        return "[myelin] Output rate limit exceeded (\(parts.joined(separator: " or "))): output of this cell is "
            + "dropped until the rate falls; the cell keeps running. Print less often, or set "
            + "MYELIN_IOPUB_DATA_RATE_LIMIT / MYELIN_IOPUB_MSG_RATE_LIMIT (0 = no limit).\n"
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && value < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Two token buckets (bytes and messages) refilled at the limit's rates. Once a bucket runs dry,
/// output stays dropped until both are half full again, so a flood shows one notice, not thousands.
/// Not thread-safe: the IOPub publisher calls it under its lock.
final class OutputRateLimiter {
    let limit: OutputRateLimit
    private let now: () -> Double
    private var bytes: Double
    private var messages: Double
    private var last: Double
    /// True while a flood is being dropped.
    private(set) var dropping = false

    /// `now` gives seconds on a monotonic clock (tests pass a fake one).
    init(limit: OutputRateLimit, now: @escaping () -> Double = OutputRateLimiter.monotonicSeconds) {
        self.limit = limit
        self.now = now
        bytes = limit.bytesPerSecond * limit.window
        messages = limit.messagesPerSecond * limit.window
        last = now()
    }

    static func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private var byteCapacity: Double { limit.bytesPerSecond * limit.window }
    private var messageCapacity: Double { limit.messagesPerSecond * limit.window }

    /// How many bytes of a `count`-byte stream fragment may go out now: all, a prefix, or 0 (dropped).
    /// Takes one message from the budget when the fragment starts a `newMessage`.
    func admitText(bytes count: Int, newMessage: Bool) -> Int {
        take(bytes: count, newMessage: newMessage, divisible: true) ?? 0
    }

    /// Whether one whole message of `count` bytes (a display, a clear) may go out now.
    func admitMessage(bytes count: Int) -> Bool {
        take(bytes: count, newMessage: true, divisible: false) != nil
    }

    /// The bytes that may go out, or nil when the output is dropped. Dropping starts when a budget
    /// runs out (a divisible fragment still gets what is left).
    private func take(bytes count: Int, newMessage: Bool, divisible: Bool) -> Int? {
        refill()
        if dropping {
            let bytesBack = limit.bytesPerSecond == 0 || bytes >= byteCapacity / 2
            let messagesBack = limit.messagesPerSecond == 0 || messages >= messageCapacity / 2
            guard bytesBack && messagesBack else { return nil }
            dropping = false
        }
        if newMessage && limit.messagesPerSecond > 0 {
            guard messages >= 1 else { dropping = true; return nil }
            messages -= 1
        }
        guard limit.bytesPerSecond > 0 else { return count }
        if Double(count) <= bytes {
            bytes -= Double(count)
            return count
        }
        dropping = true
        let allowed = Int(bytes)
        guard divisible, allowed > 0 else { return nil }
        bytes -= Double(allowed)
        return allowed
    }

    /// A new request starts: a flood from an earlier cell must not swallow its output, so dropping
    /// ends and each budget holds at least half its burst.
    func startRequest() {
        refill()
        dropping = false
        bytes = max(bytes, byteCapacity / 2)
        messages = max(messages, messageCapacity / 2)
    }

    private func refill() {
        let t = now()
        let elapsed = max(0, t - last)
        last = t
        bytes = min(byteCapacity, bytes + elapsed * limit.bytesPerSecond)
        messages = min(messageCapacity, messages + elapsed * limit.messagesPerSecond)
    }
}

extension String {
    /// The longest prefix of at most `maxBytes` UTF-8 bytes that ends on a character boundary.
    func utf8Prefix(maxBytes: Int) -> Substring {
        if maxBytes >= utf8.count { return self[...] }
        var end = utf8.index(utf8.startIndex, offsetBy: Swift.max(0, maxBytes))
        while end > startIndex, String.Index(end, within: self) == nil { end = utf8.index(before: end) }
        return self[..<end]
    }
}
