import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a kernel's work into independent parts and runs them on the calling thread and one
/// persistent helper thread (the fused recurrent layers split their batch this way: each half runs its
/// own small GEMMs and cell updates for every time step, with no synchronisation until the end).
///
/// Parts are claimed from a shared counter, so the caller takes every part the helper has not started:
/// on a busy machine, a machine with one core or while the helper serves another caller, the work runs
/// serially on the caller at the single-threaded speed. Each part must write only its own memory; the
/// result then does not depend on which thread ran which part.
enum ParallelParts {
    /// At most this many parts are worth asking for: the caller and the helper.
    static var threads: Int { helper == nil ? 1 : 2 }

    /// The helper, started on first use; nil on a machine with one online core.
    private static let helper: HelperThread? = sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? HelperThread() : nil

    /// Runs `body(p)` for every `p` in `0..<parts` and returns when all have finished. Parts beyond the
    /// first may run on the helper thread, so `body` must not read thread-local state (grad mode, the
    /// interrupt flag for this thread): take what it needs before the call.
    static func run(parts: Int, _ body: @escaping (Int) -> Void) {
        guard parts > 1, let helper, let job = helper.offer(parts: parts, body) else {
            for p in 0..<Swift.max(parts, 0) { body(p) }
            return
        }
        job.work()
        job.waitUntilFinished()
        helper.release()
    }

    /// Splits `0..<count` into `parts` near-equal contiguous ranges (fewer when `count` is smaller) and
    /// runs `body` on each as `run` does. `body` returns false when it stopped early (an interrupt);
    /// the result is true when every range ran to the end.
    static func forEachRange(of count: Int, parts: Int, _ body: @escaping (Range<Int>) -> Bool) -> Bool {
        let n = Swift.max(1, Swift.min(parts, count))
        let completed = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        completed.initialize(repeating: true, count: n)
        defer { completed.deallocate() }
        run(parts: n) { p in completed[p] = body(p * count / n ..< (p + 1) * count / n) }
        return (0..<n).allSatisfy { completed[$0] }
    }
}

/// One call's parts: a claim counter and a finish counter shared by the caller and the helper.
final class PartedJob: @unchecked Sendable {
    let parts: Int
    let body: (Int) -> Void
    private let claimed = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    // pthread objects must not move: they live in their own allocations.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(parts: Int, _ body: @escaping (Int) -> Void) {
        self.parts = parts
        self.body = body
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(done, nil)
    }

    deinit {
        pthread_cond_destroy(done)
        pthread_mutex_destroy(mutex)
        done.deallocate()
        mutex.deallocate()
    }

    /// Claims and runs parts until none is left.
    func work() {
        while true {
            let p = claimed.wrappingAdd(1, ordering: .relaxed).oldValue
            guard p < parts else { return }
            body(p)
            if finished.wrappingAdd(1, ordering: .releasing).newValue == parts {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(done)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Spins briefly (a part's tail is usually microseconds away), then sleeps until every part is done.
    func waitUntilFinished() {
        for _ in 0..<2_000 where finished.load(ordering: .acquiring) == parts { return }
        pthread_mutex_lock(mutex)
        while finished.load(ordering: .acquiring) < parts { pthread_cond_wait(done, mutex) }
        pthread_mutex_unlock(mutex)
    }
}

/// A thread that sleeps until it is offered a job, works on it alongside its caller, and sleeps again.
/// One caller at a time: another caller meanwhile runs its own parts serially.
final class HelperThread: @unchecked Sendable {
    private let busy = Atomic<Bool>(false)
    // Never freed: the thread lives as long as the process.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: PartedJob?
    private var thread: pthread_t?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    /// Hands `body`'s parts to the helper (starting it the first time) and returns the job for the
    /// caller to work on too; nil when the helper serves another caller or cannot start.
    func offer(parts: Int, _ body: @escaping (Int) -> Void) -> PartedJob? {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return nil }
        let job = PartedJob(parts: parts, body)
        pthread_mutex_lock(mutex)
        if thread == nil && !start() {
            pthread_mutex_unlock(mutex)
            busy.store(false, ordering: .releasing)
            return nil
        }
        pending = job
        pthread_cond_signal(wake)
        pthread_mutex_unlock(mutex)
        return job
    }

    /// Lets the next caller in. A helper that wakes late finds the finished job's parts all claimed.
    func release() {
        busy.store(false, ordering: .releasing)
    }

    /// Starts the thread; called with the mutex held.
    private func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var t = pthread_t()
        #if canImport(Glibc)
        let rc = pthread_create(&t, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<HelperThread>.fromOpaque(raw).takeRetainedValue().loop()
            return nil
        }, context)
        #else
        let rc = pthread_create(&t, nil, { raw in
            Unmanaged<HelperThread>.fromOpaque(raw).takeRetainedValue().loop()
            return nil
        }, context)
        #endif
        guard rc == 0 else {
            Unmanaged<HelperThread>.fromOpaque(context).release()
            return false
        }
        pthread_detach(t)
        thread = t
        return true
    }

    private func loop() {
        while true {
            pthread_mutex_lock(mutex)
            while pending == nil { pthread_cond_wait(wake, mutex) }
            let job = pending
            pending = nil
            pthread_mutex_unlock(mutex)
            job?.work()
        }
    }
}
