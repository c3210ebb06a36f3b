import CZeroMQ

/// One libzmq socket. Not thread-safe (libzmq's rule): one thread owns it, others hand it work.
public final class ZMQSocket: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private var closed = false

    init(context: ZMQContext, type: ZMQSocketType) throws {
        guard let handle = zmq_socket(context.handle, type.raw) else { throw ZMQError.last("zmq_socket") }
        self.handle = handle
    }

    deinit { close() }

    /// Closes the socket; pending outgoing messages linger as `ZMQ_LINGER` says.
    public func close() {
        if closed { return }
        closed = true
        _ = zmq_close(handle)
    }

    public func bind(_ endpoint: String) throws {
        try zmqCheck("bind \(endpoint)") { zmq_bind(handle, endpoint) }
    }

    public func connect(_ endpoint: String) throws {
        try zmqCheck("connect \(endpoint)") { zmq_connect(handle, endpoint) }
    }

    public func setOption(_ option: Int32, _ value: Int32) throws {
        var v = value
        try zmqCheck("zmq_setsockopt \(option)") { zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) }
    }

    public func setOption(_ option: Int32, bytes: [UInt8]) throws {
        try zmqCheck("zmq_setsockopt \(option)") {
            bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, bytes.count) }
        }
    }

    /// Milliseconds unsent messages may delay `close`/context termination.
    public func setLinger(milliseconds: Int32) throws { try setOption(ZMQ_LINGER, milliseconds) }

    /// The endpoint actually bound (useful after binding port `*`).
    public func lastEndpoint() throws -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        try zmqCheck("zmq_getsockopt ZMQ_LAST_ENDPOINT") { zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends all `frames` as one multipart message.
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws {
        for (i, frame) in frames.enumerated() {
            var flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            if dontWait { flags |= ZMQ_DONTWAIT }
            try zmqCheck("zmq_send") {
                frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, frame.count, flags) }
            }
        }
    }

    /// Receives one whole multipart message; `nil` when `dontWait` and none is waiting.
    public func receive(dontWait: Bool = false) throws -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var msg = zmq_msg_t()
        try zmqCheck("zmq_msg_init") { zmq_msg_init(&msg) }
        defer { zmq_msg_close(&msg) }
        repeat {
            let flags: Int32 = dontWait && frames.isEmpty ? ZMQ_DONTWAIT : 0
            do {
                try zmqCheck("zmq_msg_recv") { zmq_msg_recv(&msg, handle, flags) }
            } catch let error as ZMQError where error.wouldBlock && frames.isEmpty {
                return nil
            }
            let size = zmq_msg_size(&msg)
            if size > 0, let data = zmq_msg_data(&msg) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
        } while zmq_msg_more(&msg) == 1
        return frames
    }
}
