import CZeroMQ
import Foundation

/// Where handlers send IOPub messages. The kernel's `IOPubPublisher` is one; tests record.
public protocol IOPubSink: AnyObject {
    /// Publishes a message of `msgType` whose parent is `parent` (a request header, or `{}`).
    func publish(_ msgType: String, content: JSON, parent: JSON)
    /// Appends to the current `stream` message; it is sent on a newline, after ~50 ms, or before
    /// any other message, so output order is kept and long loops show output live.
    func stream(_ name: StreamName, _ text: String, parent: JSON)
}

/// The one owner of the IOPub XPUB socket. Other threads call `publish`/`stream`; the loop
/// coalesces stream text and greets each new subscriber with `iopub_welcome`.
///
/// Floods are capped by an `OutputRateLimiter`: stream text and `display_data` beyond the limit are
/// dropped before they are encoded (one notice per request says so); `update_display_data` and
/// `clear_output` are never lost — over the limit, only the latest update per display (and the
/// latest clear) is kept and sent when the budget allows, or at the latest before `idle`.
final class IOPubPublisher: IOPubSink, @unchecked Sendable {
    /// How long a stream fragment without a newline may wait for more text.
    static let streamDelayMs = 50
    /// A stream message is sent once it holds this many bytes, so no single message is huge.
    static let maxStreamMessageBytes = 256 << 10
    /// At most this many displays wait for an update; older waiting updates beyond it are dropped.
    static let maxDeferredUpdates = 1000

    private struct PendingStream {
        var name: StreamName
        var parent: JSON
        var text: String
        var bytes: Int
        var deadline: DispatchTime
        var ready: Bool
    }

    private struct Deferred {
        var msgType: String
        var content: JSON
        var parent: JSON
    }

    private let loop: ChannelLoop
    private let codec: WireCodec
    private let factory: MessageFactory
    private let lock = NSLock()
    private var pending: PendingStream?
    private let limiter: OutputRateLimiter
    private var deferredUpdates: [String: Deferred] = [:]
    private var deferredOrder: [String] = []
    private var deferredClear: Deferred?
    /// The msg_id of the last request told that its output is being dropped.
    private var noticedParent: String?

    init(socket: ZMQSocket, codec: WireCodec, factory: MessageFactory,
         limit: OutputRateLimit = OutputRateLimit()) throws {
        try socket.setOption(ZMQ_XPUB_VERBOSE, 1)
        loop = try ChannelLoop(name: "iopub", socket: socket)
        self.codec = codec
        self.factory = factory
        limiter = OutputRateLimiter(limit: limit)
        loop.onReceive = { [unowned self] frames in subscriptionChanged(frames) }
        loop.tick = { [unowned self] in flushDue() }
    }

    func start() throws { try loop.start() }
    func stopAndWait(timeout: DispatchTime) { loop.stopAndWait(timeout: timeout) }

    func publish(_ msgType: String, content: JSON, parent: JSON) {
        lock.lock()
        defer { lock.unlock() }
        switch msgType {
        case "display_data":
            let size = IOPubPublisher.dataBytes(content)
            guard limiter.admitMessage(bytes: size) else {
                droppedLocked(parent: parent)
                return
            }
        case "update_display_data":
            let size = IOPubPublisher.dataBytes(content)
            guard deferredUpdates.isEmpty, limiter.admitMessage(bytes: size) else {
                deferUpdateLocked(Deferred(msgType: msgType, content: content, parent: parent))
                return
            }
        case "clear_output":
            guard limiter.admitMessage(bytes: 0) else {
                emitPendingLocked()
                deferredClear = Deferred(msgType: msgType, content: content, parent: parent)
                return
            }
        case "status":
            // Everything a request produced goes out before its `idle` (and before the next `busy`).
            emitDeferredLocked(all: true)
            if content["execution_state"] == "busy" { limiter.startRequest() }
        default:
            break
        }
        emitPendingLocked()
        emitDeferredClearLocked()
        send(msgType, content: content, parent: parent)
    }

    func stream(_ name: StreamName, _ text: String, parent: JSON) {
        if text.isEmpty { return }
        lock.lock()
        if let p = pending, p.name != name || p.parent != parent { emitPendingLocked() }
        let created = pending == nil
        let allowed = limiter.admitText(bytes: text.utf8.count, newMessage: created)
        if allowed == 0 {
            droppedLocked(parent: parent)
            lock.unlock()
            return
        }
        let admitted = allowed == text.utf8.count ? text : String(text.utf8Prefix(maxBytes: allowed))
        if created {
            emitDeferredClearLocked()
            let deadline = DispatchTime.now() + .milliseconds(IOPubPublisher.streamDelayMs)
            pending = PendingStream(name: name, parent: parent, text: "", bytes: 0, deadline: deadline, ready: false)
        }
        pending?.text += admitted
        pending?.bytes += admitted.utf8.count
        let becameReady = pending?.ready == false
            && (admitted.contains("\n") || (pending?.bytes ?? 0) >= IOPubPublisher.maxStreamMessageBytes)
        if becameReady { pending?.ready = true }
        if limiter.dropping { droppedLocked(parent: parent) }
        lock.unlock()
        // Wake the loop only when it must act sooner than it planned: the first fragment sets a
        // deadline, a newline makes the buffer due now. Text arriving meanwhile joins the buffer.
        if created || becameReady { loop.poke() }
    }

    private func send(_ msgType: String, content: JSON, parent: JSON) {
        let topic = Array("kernel.\(factory.session).\(msgType)".utf8)
        let message = Message(identities: [topic], header: factory.header(msgType), parentHeader: parent,
                              content: content)
        loop.enqueue(codec.encode(message))
    }

    private func emitPendingLocked() {
        guard let p = pending else { return }
        pending = nil
        send("stream", content: ["name": .string(p.name.rawValue), "text": .string(p.text)], parent: p.parent)
    }

    /// Output of the request `parent` was dropped: tell it once, on stderr, where its output stops.
    private func droppedLocked(parent: JSON) {
        let id = parent["msg_id"]?.stringValue ?? ""
        guard noticedParent != id else { return }
        noticedParent = id
        emitPendingLocked()
        send("stream", content: ["name": "stderr", "text": .string(limiter.limit.notice)], parent: parent)
    }

    private func deferUpdateLocked(_ update: Deferred) {
        let id = update.content["transient"]?["display_id"]?.stringValue ?? ""
        if deferredUpdates[id] == nil {
            if deferredOrder.count >= IOPubPublisher.maxDeferredUpdates {
                let oldest = deferredOrder.removeFirst()
                deferredUpdates[oldest] = nil
            }
            deferredOrder.append(id)
        }
        deferredUpdates[id] = update
        loop.poke()
    }

    private func emitDeferredClearLocked() {
        guard let clear = deferredClear else { return }
        deferredClear = nil
        send(clear.msgType, content: clear.content, parent: clear.parent)
    }

    /// Sends waiting updates: those the budget allows, or all of them (`all`, before a status).
    private func emitDeferredLocked(all: Bool) {
        emitPendingLocked()
        if deferredClear != nil && (all || limiter.admitMessage(bytes: 0)) { emitDeferredClearLocked() }
        while let id = deferredOrder.first, let update = deferredUpdates[id] {
            if !all && !limiter.admitMessage(bytes: IOPubPublisher.dataBytes(update.content)) { return }
            deferredOrder.removeFirst()
            deferredUpdates[id] = nil
            send(update.msgType, content: update.content, parent: update.parent)
        }
    }

    /// Runs on the loop thread: sends a due stream and waiting updates; says how long to sleep.
    private func flushDue() -> Int {
        lock.lock()
        defer { lock.unlock() }
        if !deferredOrder.isEmpty || deferredClear != nil {
            emitDeferredLocked(all: false)
            if !deferredOrder.isEmpty || deferredClear != nil { return 50 }
        }
        guard let p = pending else { return -1 }
        let now = DispatchTime.now()
        if p.ready || now >= p.deadline {
            emitPendingLocked()
            return -1
        }
        return max(1, Int((p.deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000))
    }

    /// The size of a display's data: what the limit counts.
    static func dataBytes(_ content: JSON) -> Int {
        guard let data = content["data"]?.objectValue else { return 0 }
        return data.values.reduce(0) { $0 + ($1.stringValue?.utf8.count ?? 64) }
    }

    /// XPUB delivers `\u{1}topic` on subscribe; answer with `iopub_welcome` on that topic, ahead of
    /// anything already queued: receiving the subscription also made XPUB deliver to it, and the
    /// protocol wants the welcome to be the subscriber's first message.
    private func subscriptionChanged(_ frames: [[UInt8]]) {
        guard let frame = frames.first, frame.first == 1 else { return }
        let topic = Array(frame.dropFirst())
        let message = Message(identities: [topic], header: factory.header("iopub_welcome"),
                              content: ["subscription": .string(String(decoding: topic, as: UTF8.self))])
        loop.enqueue(codec.encode(message), first: true)
    }
}
