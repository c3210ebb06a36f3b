import Foundation

/// The one thread that owns a socket (libzmq sockets are single-threaded): it receives and hands
/// each multipart message to `onReceive`, and sends what other threads `enqueue`.
final class ChannelLoop: @unchecked Sendable {
    let name: String
    let socket: ZMQSocket
    /// Called on the loop's thread for every received message.
    var onReceive: ([[UInt8]]) -> Void = { _ in }
    /// Called on the loop's thread each turn; returns how long (ms) the loop may sleep, -1 forever.
    var tick: () -> Int = { -1 }

    private let lock = NSLock()
    private var outbox: [[[UInt8]]] = []
    private var stopping = false
    private let wake: WakePipe
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, socket: ZMQSocket) throws {
        self.name = name
        self.socket = socket
        self.wake = try WakePipe()
    }

    /// Queues `frames` for sending (ahead of everything queued when `first`); safe from any thread.
    func enqueue(_ frames: [[UInt8]], first: Bool = false) {
        lock.lock()
        if first { outbox.insert(frames, at: 0) } else { outbox.append(frames) }
        lock.unlock()
        wake.notify()
    }

    /// Wakes the loop so it runs `tick` again soon.
    func poke() { wake.notify() }

    /// Asks the loop to send what is queued, close its socket and end; waits until it has.
    func stopAndWait(timeout: DispatchTime) {
        lock.lock()
        stopping = true
        lock.unlock()
        wake.notify()
        _ = finished.wait(timeout: timeout)
    }

    func start() throws {
        try KernelThread.start(name: name) { [self] in run() }
    }

    private func run() {
        defer {
            socket.close()
            finished.signal()
        }
        while true {
            let timeout = tick()
            let ready: [Bool]
            do {
                ready = try zmqPoll([.socket(socket), .fd(wake.readFD)], timeoutMs: timeout)
            } catch {
                KernelLog.warn("\(name): \(error); channel stopped")
                return
            }
            if ready.count > 1 && ready[1] { wake.drain() }
            // Receive even when the poll saw only a wake-up: a subscription that raced in after the
            // poll is then answered before what is queued (`iopub_welcome` must come first).
            _ = ready
            receiveAll()
            _ = tick()
            let (pending, stop) = takeOutbox()
            for frames in pending {
                do { try socket.send(frames) } catch {
                    KernelLog.warn("\(name): cannot send: \(error)")
                }
            }
            if stop { return }
        }
    }

    private func receiveAll() {
        while true {
            do {
                guard let frames = try socket.receive(dontWait: true) else { return }
                onReceive(frames)
            } catch {
                KernelLog.warn("\(name): receive failed: \(error)")
                return
            }
        }
    }

    private func takeOutbox() -> ([[[UInt8]]], Bool) {
        lock.lock()
        defer { lock.unlock() }
        let pending = outbox
        outbox.removeAll()
        return (pending, stopping)
    }
}
