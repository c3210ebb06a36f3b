#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Whether ops record the graph, per thread (PyTorch's grad mode). On by default.
public enum GradMode {
    // A thread-specific slot: nil means enabled, so new threads start with grad on.
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// True when new ops on tensors that require grad are recorded.
    public static var isEnabled: Bool {
        @inline(__always) get { pthread_getspecific(key) == nil }
    }

    /// Turns recording on or off for this thread (for `with no_grad():` enter/exit bindings).
    public static func setEnabled(_ enabled: Bool) {
        pthread_setspecific(key, enabled ? nil : UnsafeRawPointer(bitPattern: 1))
    }
}

/// Runs `body` with gradient recording off, restoring the previous mode afterwards (`torch.no_grad()`).
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    let previous = GradMode.isEnabled
    GradMode.setEnabled(false)
    defer { GradMode.setEnabled(previous) }
    return try body()
}
