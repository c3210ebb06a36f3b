import Foundation

/// The write end of the SIGINT self-pipe; set once before the handler is installed.
nonisolated(unsafe) private var sigintPipeWriteFD: Int32 = -1

/// Turns SIGINT into an interrupt, like `interrupt_request` (for `interrupt_mode` "signal" and
/// clients that signal before shutdown). The handler only writes a byte to a pipe (async-signal
/// safe); a watcher thread reads it and interrupts, so an idle SIGINT does nothing harmful.
enum SignalWatcher {
    static func start(_ onInterrupt: @escaping () -> Void) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw KernelError("cannot create the SIGINT pipe (errno \(errno))") }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        sigintPipeWriteFD = fds[1]
        let readFD = fds[0]
        try KernelThread.start(name: "signals") {
            var byte: UInt8 = 0
            while true {
                let n = read(readFD, &byte, 1)
                if n == 1 { onInterrupt() } else if n == 0 || (n < 0 && errno != EINTR) { return }
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var one: UInt8 = 1
            _ = write(sigintPipeWriteFD, &one, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        guard sigaction(SIGINT, &action, nil) == 0 else { throw KernelError("cannot install the SIGINT handler (errno \(errno))") }
    }
}
