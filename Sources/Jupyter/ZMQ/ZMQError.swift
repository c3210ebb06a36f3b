import CZeroMQ

/// A failed libzmq call: which call, and libzmq's own message for `errno`.
public struct ZMQError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let code: Int32

    public var description: String {
        let message = zmq_strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return "\(operation): \(message)"
    }

    /// True when the context is being shut down (blocking calls return, the owner should close).
    public var isTerminated: Bool { code == ETERM }
    /// True when an interrupted system call should simply be retried.
    public var isInterrupted: Bool { code == EINTR }
    /// True when a non-blocking call had nothing to do.
    public var wouldBlock: Bool { code == EAGAIN }

    static func last(_ operation: String) -> ZMQError { ZMQError(operation: operation, code: zmq_errno()) }
}

/// Runs a libzmq call that returns -1 on failure, retrying on EINTR.
@discardableResult
func zmqCheck(_ operation: String, _ call: () -> Int32) throws -> Int32 {
    while true {
        let rc = call()
        if rc >= 0 { return rc }
        let error = ZMQError.last(operation)
        if !error.isInterrupted { throw error }
    }
}
