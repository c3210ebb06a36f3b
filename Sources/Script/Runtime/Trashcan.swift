#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Frees deeply nested values without deep recursion (CPython calls its version the "trashcan").
///
/// Freeing `[[[…]]]` nested a million deep would release each level from inside the previous level's
/// deinit, one stack frame group per level, and overflow any thread's stack. Containers therefore hand
/// their contents to `dispose` in their deinit: up to `nestingLimit` levels are released as usual; below
/// that, the contents are set aside and released later by the outermost `dispose` on the same thread,
/// one at a time, so the stack never holds more than `nestingLimit` levels.
enum Trashcan {
    /// Levels released recursively before contents are set aside (each level costs a few hundred
    /// bytes of stack; 100 fits the smallest thread stack anything here runs on).
    static let nestingLimit = 100

    /// Releases `storage`'s old contents now, or later when this thread is already deep in releases.
    @inline(__always)
    static func dispose<T>(_ storage: inout [T]) {
        if storage.isEmpty { return }
        disposeNonEmpty(&storage, replacingWith: [])
    }

    /// Values that cannot hold other values (numbers, None, strings) end every chain: an array of
    /// only those is released as usual, without the per-thread bookkeeping (most lists and tuples).
    @inline(__always)
    static func dispose(_ storage: inout [Value]) {
        if storage.isEmpty || storage.allSatisfy({ $0.cannotNest }) { return }
        disposeNonEmpty(&storage, replacingWith: [])
    }

    /// The same for any storage (an attribute table, …), replaced by `empty`.
    @inline(__always)
    static func dispose<T>(_ storage: inout T, replacingWith empty: T) {
        disposeNonEmpty(&storage, replacingWith: empty)
    }

    private static func disposeNonEmpty<T>(_ storage: inout T, replacingWith empty: T) {
        let state = ReleaseState.current
        if state.depth >= nestingLimit {
            state.deferred.append(storage)
            storage = empty
            return
        }
        state.depth += 1
        replace(&storage, with: empty)  // may re-enter dispose one level deeper
        if state.depth == 1 {
            // The outermost release on this thread: free what deeper levels set aside, one at a time.
            while !state.deferred.isEmpty { state.freeLastDeferred() }
        }
        state.depth -= 1
    }

    /// Releases the old contents inside this call. Not inlined: the optimizer may otherwise move the
    /// release below the depth bookkeeping (Swift does not pin a release's position), undoing the limit.
    @inline(never)
    private static func replace<T>(_ storage: inout T, with empty: T) {
        storage = empty
    }
}

/// Per-thread bookkeeping of `Trashcan` (values are freed on whichever thread drops them).
private final class ReleaseState {
    var depth = 0
    var deferred: [Any] = []

    /// Releases the most recently set-aside contents inside this call (not inlined, as `replace`).
    @inline(never)
    func freeLastDeferred() {
        _ = deferred.removeLast()
    }

    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let made = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<ReleaseState>.fromOpaque(pointer).release()
        }
        return made == 0 ? key : nil
    }()

    /// A fallback for the (never seen) case that no thread key could be made: correct on one thread.
    nonisolated(unsafe) private static let shared = ReleaseState()

    static var current: ReleaseState {
        guard let key else { return shared }
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<ReleaseState>.fromOpaque(pointer).takeUnretainedValue()
        }
        let state = ReleaseState()
        pthread_setspecific(key, Unmanaged.passRetained(state).toOpaque())
        return state
    }
}
