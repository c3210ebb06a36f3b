import CZeroMQ

/// A libzmq context: owns the I/O thread. Close every socket before `terminate()`.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
    }

    /// Makes every blocking call on this context's sockets return `ETERM` (other threads stop).
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    /// Waits for lingering messages to be sent, then frees the context. Call once, last.
    public func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    public func socket(_ type: ZMQSocketType) throws -> ZMQSocket {
        try ZMQSocket(context: self, type: type)
    }
}

public enum ZMQSocketType {
    case router, dealer, rep, req, pub, sub, xpub, pair

    var raw: Int32 {
        switch self {
        case .router: return ZMQ_ROUTER
        case .dealer: return ZMQ_DEALER
        case .rep: return ZMQ_REP
        case .req: return ZMQ_REQ
        case .pub: return ZMQ_PUB
        case .sub: return ZMQ_SUB
        case .xpub: return ZMQ_XPUB
        case .pair: return ZMQ_PAIR
        }
    }
}
