import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide "stop what you are doing" flag (DESIGN.md, Threads). The kernel's control
/// thread, SIGINT and `--timeout` raise it; the VM polls it at loop back-edges and calls, and long
/// engine work polls it between chunks. It lives in `Engine`, the lowest layer that must poll it.
///
/// A request may name one thread (the one running a session's code); work on other threads then
/// carries on. The kernel interrupts every thread; tests that run in parallel in one process target
/// their own thread so they cannot stop each other.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)
    /// The thread a request is for; 0 means every thread.
    private static let target = Atomic<UInt>(0)

    /// Asks running work on every thread to stop. Safe from any thread and from a signal handler.
    public static func request() {
        target.store(0, ordering: .relaxed)
        flag.store(true, ordering: .relaxed)
    }

    /// Asks the work running on `thread` (a `currentThread` value) to stop.
    public static func request(thread: UInt) {
        target.store(thread, ordering: .relaxed)
        flag.store(true, ordering: .relaxed)
    }

    /// An identifier of the calling thread, for `request(thread:)`.
    public static var currentThread: UInt {
        #if canImport(Darwin)
        return UInt(bitPattern: pthread_self())
        #else
        return UInt(pthread_self())
        #endif
    }

    /// True when an interrupt is pending for this thread. Cheap enough for hot loops: one relaxed
    /// load when nothing is pending.
    @inline(__always)
    public static var isRequested: Bool {
        guard flag.load(ordering: .relaxed) else { return false }
        return isForThisThread()
    }

    /// True when an interrupt is pending for `thread` (a `currentThread` value): for work that a
    /// helper thread runs on that thread's behalf.
    @inline(__always)
    public static func isRequested(for thread: UInt) -> Bool {
        guard flag.load(ordering: .relaxed) else { return false }
        let t = target.load(ordering: .relaxed)
        return t == 0 || t == thread
    }

    @inline(never)
    private static func isForThisThread() -> Bool {
        let t = target.load(ordering: .relaxed)
        return t == 0 || t == currentThread
    }

    /// Consumes a pending interrupt for this thread: returns whether there was one and lowers the flag.
    public static func take() -> Bool {
        guard isRequested else { return false }
        return flag.exchange(false, ordering: .relaxed)
    }

    /// Lowers the flag (before a new cell starts, so a stale interrupt does not hit it).
    public static func clear() {
        flag.store(false, ordering: .relaxed)
        target.store(0, ordering: .relaxed)
    }
}

/// Thrown by engine work that stopped because `Interruption` was raised.
public struct Interrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
