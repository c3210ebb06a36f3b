import CZeroMQ

/// What `zmqPoll` waits on: a socket, or a plain file descriptor (a wake-up pipe).
public enum ZMQPollTarget {
    case socket(ZMQSocket)
    case fd(Int32)
}

/// Waits until one of `targets` is readable or `timeoutMs` passes (-1: forever). Returns, per
/// target, whether it is readable. EINTR counts as "nothing ready".
public func zmqPoll(_ targets: [ZMQPollTarget], timeoutMs: Int) throws -> [Bool] {
    var items = targets.map { target -> zmq_pollitem_t in
        switch target {
        case .socket(let s): return zmq_pollitem_t(socket: s.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        case .fd(let fd): return zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0)
        }
    }
    let rc = zmq_poll(&items, Int32(items.count), timeoutMs)
    if rc < 0 {
        let error = ZMQError.last("zmq_poll")
        if error.isInterrupted { return items.map { _ in false } }
        throw error
    }
    return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
}

/// Proxies messages between two sockets until the context shuts down (the heartbeat's echo when
/// both are the same ROUTER socket).
public func zmqProxy(_ frontend: ZMQSocket, _ backend: ZMQSocket) -> ZMQError {
    _ = zmq_proxy(frontend.handle, backend.handle, nil)
    return ZMQError.last("zmq_proxy")
}
