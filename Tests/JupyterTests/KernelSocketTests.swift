import Foundation
import Testing
@testable import Jupyter

/// A real kernel on loopback ZeroMQ (ipc endpoints in a temporary directory, so no port clashes),
/// driven by DEALER sockets the way jupyter_client drives it.
@Suite struct KernelSocketTests {
    private func receive(_ socket: ZMQSocket, timeoutMs: Int = 5000) throws -> [[UInt8]]? {
        guard try zmqPoll([.socket(socket)], timeoutMs: timeoutMs).first == true else { return nil }
        return try socket.receive()
    }

    @Test func kernelInfoRoundTripAndShutdown() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("myelin-kt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = Array("loopback-key".utf8)
        let info = ConnectionInfo(transport: .ipc, ip: dir.path + "/k", shellPort: 1, iopubPort: 2, stdinPort: 3,
                                  controlPort: 4, hbPort: 5, key: key, signatureScheme: "hmac-sha256")
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { _ = try Kernel(connection: info, makeInterpreter: { EchoInterpreter() }).run() } catch {
                Issue.record("kernel failed: \(error)")
            }
            finished.signal()
        }

        let context = try ZMQContext()
        let shell = try context.socket(.dealer), control = try context.socket(.dealer), hb = try context.socket(.req)
        for s in [shell, control, hb] { try s.setLinger(milliseconds: 0) }
        try shell.connect(info.endpoint(info.shellPort))
        try control.connect(info.endpoint(info.controlPort))
        try hb.connect(info.endpoint(info.hbPort))
        let codec = WireCodec(key: key)
        let client = MessageFactory(session: "test-client")

        try hb.send([Array("ping".utf8)])
        #expect(try receive(hb) == [Array("ping".utf8)])

        // A forged message is dropped without a reply; the genuine one after it is answered.
        var forged = codec.encode(Message(header: client.header("kernel_info_request")))
        forged[1] = Array(repeating: UInt8(ascii: "0"), count: 64)
        try shell.send(forged)
        let request = Message(header: client.header("kernel_info_request"))
        try shell.send(codec.encode(request))
        let frames = try #require(try receive(shell))
        let reply = try WireCodec(key: key).decode(frames)
        #expect(reply.msgType == "kernel_info_reply")
        #expect(reply.parentHeader["msg_id"] == request.header["msg_id"])
        #expect(reply.content["protocol_version"] == "5.5")

        try control.send(codec.encode(Message(header: client.header("shutdown_request"), content: ["restart": false])))
        let shutdown = try WireCodec(key: key).decode(try #require(try receive(control)))
        #expect(shutdown.msgType == "shutdown_reply")
        #expect(finished.wait(timeout: .now() + 10) == .success)
        for s in [shell, control, hb] { s.close() }
        context.terminate()
    }
}
