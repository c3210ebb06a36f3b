import Foundation

/// How a cell's execution ended, seen from the waiting runner.
enum HeadlessCellResult {
    case finished(ExecuteOutcome)
    /// The timeout expired and the cell was interrupted; `stoppedInTime` is false when it still had
    /// not returned after the grace period (its thread is abandoned).
    case timedOut(stoppedInTime: Bool)
}

/// One interpreter on its own execution thread, for one notebook or script.
final class HeadlessSession {
    private let thread: HeadlessExecutionThread
    private let interpreter: Interpreter

    struct NoInterpreter: Error, CustomStringConvertible {
        var description: String { "the interpreter could not be created" }
    }

    /// Starts the thread and makes the interpreter on it (a VM may keep thread-local state).
    init(makeInterpreter: @escaping () -> Interpreter) throws {
        thread = try HeadlessExecutionThread()
        let made = HeadlessBox<Interpreter>()
        let ready = DispatchSemaphore(value: 0)
        thread.submit {
            made.value = makeInterpreter()
            ready.signal()
        }
        ready.wait()
        guard let interpreter = made.value else {
            thread.finish()
            throw NoInterpreter()
        }
        self.interpreter = interpreter
    }

    /// Runs one cell on the execution thread and waits for it, interrupting it when
    /// `options.timeout` expires and giving up after `options.interruptGrace` more seconds.
    func execute(_ request: ExecuteRequest, output: ExecutionOutput, options: HeadlessOptions) -> HeadlessCellResult {
        let outcome = HeadlessBox<ExecuteOutcome>()
        let done = DispatchSemaphore(value: 0)
        let interpreter = self.interpreter
        thread.submit {
            let result = interpreter.execute(request, output: output)
            outcome.value = result
            done.signal()
        }
        if let timeout = options.timeout {
            if done.wait(timeout: .now() + max(0, timeout)) == .timedOut {
                interpreter.interrupt()
                let stopped = done.wait(timeout: .now() + max(0, options.interruptGrace)) == .success
                return .timedOut(stoppedInTime: stopped)
            }
        } else {
            done.wait()
        }
        guard let result = outcome.value else {
            return .finished(.error(ExecutionError(ename: "InternalError", evalue: "the cell returned no outcome",
                                                   traceback: [])))
        }
        return .finished(result)
    }

    /// Shuts the interpreter down and lets the thread end; an abandoned (stuck) thread is left alone.
    func close(abandoned: Bool) {
        if !abandoned {
            let interpreter = self.interpreter
            let done = DispatchSemaphore(value: 0)
            thread.submit {
                interpreter.shutdown(restart: false)
                done.signal()
            }
            _ = done.wait(timeout: .now() + 5)
        }
        thread.finish()
    }
}

/// A value handed from the execution thread to the waiting one, behind a lock.
final class HeadlessBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    var value: Value? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

/// Timestamps and durations as the headless runner reports them.
enum HeadlessClock {
    /// Now in UTC as nbclient writes it: `2024-05-01T12:34:56.789012Z`.
    static func timestamp(_ date: Date = Date()) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var micros = Int(((seconds - Double(whole)) * 1_000_000).rounded())
        if micros >= 1_000_000 { whole += 1; micros -= 1_000_000 }
        var parts = tm()
        gmtime_r(&whole, &parts)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(micros, 6))Z"
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// `2` for 2.0, `0.5` for 0.5: seconds as a user typed them.
    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }
}
