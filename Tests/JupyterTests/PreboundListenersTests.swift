import CZeroMQ
import Foundation
import Testing
@testable import Jupyter

/// The kernel adopts only listening TCP sockets bound to the port the launcher named.
@Suite struct PreboundListenersTests {
    /// A TCP socket on 127.0.0.1 with an ephemeral port, listening or not; returns (fd, port).
    func socketOnLoopback(listening: Bool) throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        if listening { try #require(listen(fd, 4) == 0) }
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func adoptsAListeningSocketOnItsPortOnce() throws {
        let (fd, port) = try socketOnLoopback(listening: true)
        defer { close(fd) }
        var listeners = PreboundListeners(parsing: "\(port)=\(fd)")
        #expect(listeners.take(port: port) == fd)
        #expect(listeners.take(port: port) == nil)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)  // not passed on to anything the kernel starts
    }

    @Test func ignoresWrongPortsNonListeningSocketsAndGarbage() throws {
        let (listening, port) = try socketOnLoopback(listening: true)
        let (idle, idlePort) = try socketOnLoopback(listening: false)
        defer { close(listening); close(idle) }
        var listeners = PreboundListeners(parsing: "\(port + 1)=\(listening),\(idlePort)=\(idle),x=y,\(port)=,=3,\(port)=1")
        #expect(listeners.take(port: port + 1) == nil)
        #expect(listeners.take(port: idlePort) == nil)
        #expect(listeners.take(port: port) == nil)
    }

    @Test func aKernelServesOnAdoptedSockets() throws {
        // The launcher's hand-over, end to end: the kernel's ZeroMQ socket accepts a connection that was
        // made before the kernel existed (it waited in the listen backlog).
        let (fd, port) = try socketOnLoopback(listening: true)
        let early = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(early) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(early, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)

        let context = try ZMQContext()
        defer { context.terminate() }
        let server = try context.socket(.rep)
        defer { server.close() }
        try server.setOption(ZMQ_USE_FD, fd)
        try server.bind("tcp://127.0.0.1:\(port)")
        let client = try context.socket(.req)
        defer { client.close() }
        try client.connect("tcp://127.0.0.1:\(port)")
        try client.send([Array("ping".utf8)])
        #expect(try server.receive() == [Array("ping".utf8)])
    }
}
