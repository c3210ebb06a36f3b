import CZeroMQ
import Foundation

/// A kernel that cannot start (bind failures, threads), with what went wrong.
public struct KernelError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// `myelin kernel`: binds the five sockets of a connection file and serves the Jupyter messaging
/// protocol 5.5 until a `shutdown_request` (DESIGN.md, Threads):
/// heartbeat (echo proxy) · control (interrupt, shutdown, kernel_info; never waits for execution) ·
/// shell (receives, queues) · execution (one thread, 512 MiB stack, runs the interpreter) ·
/// IOPub (one owner, others enqueue) · stdin · a SIGINT watcher that interrupts like the control message.
public final class Kernel {
    /// The execution thread's stack: the language VM recurses deeply.
    public static let executionStackSize = 512 << 20

    private let connection: ConnectionInfo
    private let makeInterpreter: () -> Interpreter
    private let shutdownSignal = DispatchSemaphore(value: 0)
    private let restartLock = NSLock()
    private var restartRequested = false

    /// `makeInterpreter` is called once per kernel process; a restart is a new process (jupyter_client
    /// starts one after `shutdown_request` with `restart: true`), so it gets a fresh interpreter.
    public init(connection: ConnectionInfo, makeInterpreter: @escaping () -> Interpreter) {
        self.connection = connection
        self.makeInterpreter = makeInterpreter
    }

    /// Serves until shutdown; returns whether a restart was asked for.
    public func run() throws -> Bool {
        var prebound = PreboundListeners.fromEnvironment()
        if connection.transport != .tcp { prebound.closeRest() }
        let context = try ZMQContext()
        let codec = WireCodec(key: connection.key)
        let factory = MessageFactory()

        // Shell and IOPub first: a client's kernel_info_request (shell) and its IOPub check race our
        // start-up, and a connect that arrives before the bind waits ZeroMQ's 100 ms reconnect interval.
        let shell = try ChannelLoop(name: "shell", socket: try bound(context, &prebound, .router, connection.shellPort, "shell"))
        let iopub = try IOPubPublisher(socket: try bound(context, &prebound, .xpub, connection.iopubPort, "iopub"),
                                       codec: codec, factory: factory, limit: OutputRateLimit.fromEnvironment())
        let control = try ChannelLoop(name: "control", socket: try bound(context, &prebound, .router, connection.controlPort, "control"))
        let stdin = try StdinChannel(socket: try bound(context, &prebound, .router, connection.stdinPort, "stdin"),
                                     codec: codec, factory: factory)
        let heartbeat = try bound(context, &prebound, .router, connection.hbPort, "heartbeat")
        prebound.closeRest()

        let handlers = KernelHandlers(interpreter: makeInterpreter(), iopub: iopub, input: stdin, factory: factory)
        let queue = ExecutionQueue()
        let send: (ChannelLoop) -> (Message) -> Void = { loop in { loop.enqueue(codec.encode($0)) } }

        control.onReceive = { [unowned self] frames in
            guard let request = Kernel.decode(frames, codec, channel: "control", allowed: KernelHandlers.controlTypes) else { return }
            follow(handlers.handleControl(request, reply: send(control)))
        }
        shell.onReceive = { frames in
            guard let request = Kernel.decode(frames, codec, channel: "shell", allowed: KernelHandlers.shellTypes) else { return }
            queue.push(request)
        }

        try KernelThread.start(name: "heartbeat") {
            let error = zmqProxy(heartbeat, heartbeat)
            if !error.isTerminated { KernelLog.warn("heartbeat stopped: \(error)") }
            heartbeat.close()
        }
        try iopub.start()
        iopub.publish("status", content: ["execution_state": "starting"], parent: [:])
        try stdin.start()
        try control.start()
        try shell.start()
        try KernelThread.start(name: "execution", stackSize: Kernel.executionStackSize) { [unowned self] in
            while true {
                let request = queue.pop()
                var aborted: [Message] = []
                let next = handlers.handle(request, reply: send(shell)) { next in
                    if next == .abortQueued { aborted = queue.drain() }
                }
                for queued in aborted { handlers.abort(queued, reply: send(shell)) }
                follow(next)
            }
        }
        try SignalWatcher.start { handlers.interrupt() }

        shutdownSignal.wait()
        let restart = restartRequested
        handlers.interpreter.interrupt()
        handlers.interpreter.shutdown(restart: restart)
        let deadline = DispatchTime.now() + .seconds(2)
        for loop in [shell, control] { loop.stopAndWait(timeout: deadline) }
        stdin.stopAndWait(timeout: deadline)
        iopub.stopAndWait(timeout: deadline)
        context.shutdown()  // ends the heartbeat proxy
        context.terminate()
        return restart
    }

    private func follow(_ next: KernelHandlers.Next) {
        guard case .shutdown(let restart) = next else { return }
        restartLock.lock()
        restartRequested = restart
        restartLock.unlock()
        shutdownSignal.signal()
    }

    private func bound(_ context: ZMQContext, _ prebound: inout PreboundListeners, _ type: ZMQSocketType,
                       _ port: Int, _ name: String) throws -> ZMQSocket {
        let socket = try context.socket(type)
        try socket.setLinger(milliseconds: 1000)
        if let listening = prebound.take(port: port) {
            try socket.setOption(ZMQ_USE_FD, listening)  // ZeroMQ adopts it instead of binding anew
        }
        if let secret = connection.curveSecretKey {
            // Every socket, heartbeat included, is a CURVE server: clients must know our public key.
            guard zmq_has("curve") != 0 else {
                throw KernelError("the connection file asks for CurveZMQ encryption, but this libzmq was built without CURVE")
            }
            try socket.setOption(ZMQ_CURVE_SERVER, 1)
            // Z85 text goes in with its terminating NUL (41 bytes), as zmq_setsockopt wants.
            try socket.setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(secret.utf8) + [0])
        }
        do { try socket.bind(connection.endpoint(port)) } catch {
            throw KernelError("cannot bind the \(name) socket on \(connection.endpoint(port)): \(error)")
        }
        return socket
    }

    /// Decodes and checks one request; logs and returns nil for anything to drop.
    static func decode(_ frames: [[UInt8]], _ codec: WireCodec, channel: String, allowed: Set<String>) -> Message? {
        do {
            let message = try codec.decode(frames)
            guard allowed.contains(message.msgType) else {
                KernelLog.warn("\(channel): dropped unsupported message type '\(message.msgType)'")
                return nil
            }
            guard message.identities.count > 0 else {
                KernelLog.warn("\(channel): dropped a message without a routing identity")
                return nil
            }
            return message
        } catch {
            KernelLog.warn("\(channel): dropped a message: \(error)")
            return nil
        }
    }
}
