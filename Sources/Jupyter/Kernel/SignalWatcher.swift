import Foundation

/// Turns SIGINT into an interrupt, like `interrupt_request` (for `interrupt_mode` "signal" and
/// clients that signal before shutdown). SIGINT is blocked in every thread and taken by one
/// `sigwait` thread, so the handler may do ordinary work and an idle SIGINT does nothing harmful.
enum SignalWatcher {
    private static var sigintSet: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        return set
    }

    /// Blocks SIGINT in the calling thread (and every thread it starts later).
    static func blockSIGINT() {
        var set = sigintSet
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func start(_ onInterrupt: @escaping () -> Void) throws {
        try KernelThread.start(name: "signals") {
            var set = sigintSet
            while true {
                var signal: Int32 = 0
                if sigwait(&set, &signal) == 0 && signal == SIGINT { onInterrupt() }
            }
        }
    }
}
