import Foundation

/// Asks a front-end for input on behalf of a running cell.
public protocol InputSource: AnyObject {
    /// Sends `input_request` to the client that sent `request` and blocks for its `input_reply`.
    /// Throws `InputInterrupted` when `cancel()` is called meanwhile.
    func requestInput(prompt: String, password: Bool, request: Message) throws -> String
    /// Wakes a waiting `requestInput` with `InputInterrupted` (an interrupt arrived).
    func cancel()
}

/// The stdin ROUTER: `input_request` out with the shell request's identities, `input_reply` back.
final class StdinChannel: InputSource, @unchecked Sendable {
    private let loop: ChannelLoop
    private let codec: WireCodec
    private let factory: MessageFactory
    private let condition = NSCondition()
    private var waiting = false
    private var answer: String?
    private var cancelled = false

    init(socket: ZMQSocket, codec: WireCodec, factory: MessageFactory) throws {
        loop = try ChannelLoop(name: "stdin", socket: socket)
        self.codec = codec
        self.factory = factory
        loop.onReceive = { [unowned self] frames in received(frames) }
    }

    func start() throws { try loop.start() }
    func stopAndWait(timeout: DispatchTime) { loop.stopAndWait(timeout: timeout) }

    func requestInput(prompt: String, password: Bool, request: Message) throws -> String {
        condition.lock()
        defer { condition.unlock() }
        waiting = true
        answer = nil
        cancelled = false
        let message = Message(identities: request.identities, header: factory.header("input_request"),
                              parentHeader: request.header,
                              content: ["prompt": .string(prompt), "password": .bool(password)])
        loop.enqueue(codec.encode(message))
        while answer == nil && !cancelled { condition.wait() }
        waiting = false
        if let answer { return answer }
        throw InputInterrupted()
    }

    func cancel() {
        condition.lock()
        if waiting {
            cancelled = true
            condition.broadcast()
        }
        condition.unlock()
    }

    private func received(_ frames: [[UInt8]]) {
        let message: Message
        do { message = try codec.decode(frames) } catch {
            KernelLog.warn("stdin: dropped a message: \(error)")
            return
        }
        guard message.msgType == "input_reply", let value = message.content["value"]?.stringValue else {
            KernelLog.warn("stdin: dropped unexpected '\(message.msgType)' (want input_reply with a string value)")
            return
        }
        condition.lock()
        if waiting {
            answer = value
            condition.broadcast()
        } else {
            KernelLog.warn("stdin: input_reply arrived while no input was requested; dropped")
        }
        condition.unlock()
    }
}
