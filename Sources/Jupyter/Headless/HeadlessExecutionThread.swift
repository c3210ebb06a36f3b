#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One thread with a large stack that runs submitted jobs in order. The language VM recurses deeply
/// enough in its compiler and printer that the default 8 MiB (512 KiB off the main thread) is too
/// small, so execution never runs on a default thread.
///
/// The runner waits for each job with a deadline from another thread; a job that never returns
/// leaves this thread stuck, and the runner simply stops submitting to it.
final class HeadlessExecutionThread: @unchecked Sendable {
    /// 512 MiB of address space; pages are only committed when touched.
    static let defaultStackSize = 512 << 20

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var finishing = false

    struct StartFailure: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "could not start the execution thread (pthread error \(code))" }
    }

    init(stackSize: Int = HeadlessExecutionThread.defaultStackSize) throws {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        let code = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<HeadlessExecutionThread>.fromOpaque(context).takeRetainedValue().loop()
            return nil
        }, context)
        #else
        var thread: pthread_t?
        let code = pthread_create(&thread, &attributes, { context in
            Unmanaged<HeadlessExecutionThread>.fromOpaque(context).takeRetainedValue().loop()
            return nil
        }, context)
        #endif
        if code != 0 {
            Unmanaged<HeadlessExecutionThread>.fromOpaque(context).release()
            throw StartFailure(code: code)
        }
    }

    /// Queues `job`; it runs after the jobs queued before it.
    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread exit once its queued jobs are done.
    func finish() {
        condition.lock()
        finishing = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finishing { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
