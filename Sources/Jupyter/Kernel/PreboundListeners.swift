#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Listening TCP sockets that `myelin-launcher` opened for this process before exec, by port.
///
/// The launcher binds the connection file's ports within a few milliseconds of Jupyter starting the
/// kernel, so early connections wait in the listen backlog instead of ZeroMQ's 100 ms reconnect
/// interval; the kernel then hands each socket to ZeroMQ (`ZMQ_USE_FD`). The environment variable
/// lists them as `PORT=FD,PORT=FD,…`. Every descriptor is checked (a listening TCP socket bound to
/// that port) before it is trusted; anything else is ignored and the kernel binds as usual.
struct PreboundListeners {
    static let variable = "MYELIN_LISTENING_SOCKETS"

    private var sockets: [Int: Int32]

    /// Reads and removes the variable, so nothing this process starts inherits it.
    static func fromEnvironment() -> PreboundListeners {
        guard let raw = getenv(variable) else { return PreboundListeners(sockets: [:]) }
        let text = String(cString: raw)
        unsetenv(variable)
        return PreboundListeners(parsing: text)
    }

    init(parsing text: String) {
        var sockets: [Int: Int32] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=")
            guard parts.count == 2, let port = Int(parts[0]), let fd = Int32(parts[1]), fd > 2,
                  sockets[port] == nil, PreboundListeners.isListening(fd, onPort: port) else { continue }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // inherited through exec; not to be passed on again
            sockets[port] = fd
        }
        self.sockets = sockets
    }

    private init(sockets: [Int: Int32]) { self.sockets = sockets }

    /// The listening socket for a port, once; nil when there is none.
    mutating func take(port: Int) -> Int32? { sockets.removeValue(forKey: port) }

    /// Closes the sockets nobody took (ports the connection file does not name).
    mutating func closeRest() {
        for fd in sockets.values { close(fd) }
        sockets = [:]
    }

    /// True when fd is a listening stream socket bound to the given TCP port.
    static func isListening(_ fd: Int32, onPort port: Int) -> Bool {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting == 1 else { return false }
        var address = sockaddr_storage()
        var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        guard named == 0 else { return false }
        switch Int32(address.ss_family) {
        case AF_INET:
            let boundPort = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port } }
            return Int(UInt16(bigEndian: boundPort)) == port
        case AF_INET6:
            let boundPort = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port } }
            return Int(UInt16(bigEndian: boundPort)) == port
        default:
            return false
        }
    }
}
