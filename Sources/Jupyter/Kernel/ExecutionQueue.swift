import Foundation

/// Shell requests waiting for the execution thread, in arrival order.
final class ExecutionQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Message] = []

    func push(_ message: Message) {
        condition.lock()
        jobs.append(message)
        condition.signal()
        condition.unlock()
    }

    /// Blocks until a request is waiting and takes it.
    func pop() -> Message {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty { condition.wait() }
        return jobs.removeFirst()
    }

    /// Takes every waiting request at once (to abort them after a failed cell).
    func drain() -> [Message] {
        condition.lock()
        defer { condition.unlock() }
        let all = jobs
        jobs.removeAll()
        return all
    }
}
