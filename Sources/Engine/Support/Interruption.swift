import Synchronization

/// The process-wide "stop what you are doing" flag (DESIGN.md, Threads). The kernel's control
/// thread, SIGINT and `--timeout` raise it; the VM polls it at loop back-edges and calls, and long
/// engine work polls it between chunks. It lives in `Engine`, the lowest layer that must poll it.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Asks running work to stop. Safe from any thread and from a signal handler.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// True when an interrupt is pending. Cheap enough for hot loops.
    @inline(__always)
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Consumes a pending interrupt: returns whether there was one and lowers the flag.
    public static func take() -> Bool { flag.exchange(false, ordering: .relaxed) }

    /// Lowers the flag (before a new cell starts, so a stale interrupt does not hit it).
    public static func clear() { flag.store(false, ordering: .relaxed) }
}

/// Thrown by engine work that stopped because `Interruption` was raised.
public struct Interrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
