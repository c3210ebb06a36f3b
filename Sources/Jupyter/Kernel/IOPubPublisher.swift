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
final class IOPubPublisher: IOPubSink, @unchecked Sendable {
    /// How long a stream fragment without a newline may wait for more text.
    static let streamDelayMs = 50

    private struct PendingStream {
        var name: StreamName
        var parent: JSON
        var text: String
        var deadline: DispatchTime
        var ready: Bool
    }

    private let loop: ChannelLoop
    private let codec: WireCodec
    private let factory: MessageFactory
    private let lock = NSLock()
    private var pending: PendingStream?

    init(socket: ZMQSocket, codec: WireCodec, factory: MessageFactory) throws {
        try socket.setOption(ZMQ_XPUB_VERBOSE, 1)
        loop = try ChannelLoop(name: "iopub", socket: socket)
        self.codec = codec
        self.factory = factory
        loop.onReceive = { [unowned self] frames in subscriptionChanged(frames) }
        loop.tick = { [unowned self] in flushDueStream() }
    }

    func start() throws { try loop.start() }
    func stopAndWait(timeout: DispatchTime) { loop.stopAndWait(timeout: timeout) }

    func publish(_ msgType: String, content: JSON, parent: JSON) {
        lock.lock()
        emitPendingLocked()
        send(msgType, content: content, parent: parent)
        lock.unlock()
    }

    func stream(_ name: StreamName, _ text: String, parent: JSON) {
        if text.isEmpty { return }
        lock.lock()
        if let p = pending, p.name != name || p.parent != parent { emitPendingLocked() }
        let created = pending == nil
        if created {
            let deadline = DispatchTime.now() + .milliseconds(IOPubPublisher.streamDelayMs)
            pending = PendingStream(name: name, parent: parent, text: "", deadline: deadline, ready: false)
        }
        pending?.text += text
        let becameReady = pending?.ready == false && text.contains("\n")
        if becameReady { pending?.ready = true }
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

    /// Runs on the loop thread: sends a due stream and says how long to sleep.
    private func flushDueStream() -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard let p = pending else { return -1 }
        let now = DispatchTime.now()
        if p.ready || now >= p.deadline {
            emitPendingLocked()
            return -1
        }
        return max(1, Int((p.deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000))
    }

    /// XPUB delivers `\u{1}topic` on subscribe; answer with `iopub_welcome` on that topic.
    private func subscriptionChanged(_ frames: [[UInt8]]) {
        guard let frame = frames.first, frame.first == 1 else { return }
        let topic = Array(frame.dropFirst())
        let message = Message(identities: [topic], header: factory.header("iopub_welcome"),
                              content: ["subscription": .string(String(decoding: topic, as: UTF8.self))])
        loop.enqueue(codec.encode(message))
    }
}
