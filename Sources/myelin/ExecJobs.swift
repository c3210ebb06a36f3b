import Foundation
import Jupyter

/// `myelin exec --jobs N`: runs each notebook in its own `myelin exec --report-result` child
/// process, at most N at a time. Separate processes keep interpreters (and the process-wide
/// interrupt flag) apart. A child's stdout is relayed when it ends, minus its result line;
/// its stderr goes straight through.
struct ExecJobs {
    let jobs: Int
    /// `exec --report-result` and the options the parent was given.
    let childArguments: [String]

    func run(_ items: [ExecItem]) -> [HeadlessSummaryRow] {
        let results = HeadlessRows(count: items.count)
        let next = NextIndex()
        let group = DispatchGroup()
        for _ in 0..<min(jobs, items.count) {
            group.enter()
            let worker = Thread {
                while let index = next.take(below: items.count) {
                    results.set(index, runChild(items[index]))
                }
                group.leave()
            }
            worker.start()
        }
        group.wait()
        return results.rows
    }

    private func runChild(_ item: ExecItem) -> HeadlessSummaryRow {
        let started = Date()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExecutablePath.current)
        process.arguments = childArguments + ["--", item.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            return HeadlessSummaryRow(path: item.path, status: .crashed, message: "could not start a child process: \(error)")
        }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var row: HeadlessSummaryRow?
        var relayed = ""
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if let parsed = HeadlessSummaryRow(resultLine: line) {
                row = parsed
            } else {
                relayed += line + "\n"
            }
        }
        if relayed.hasSuffix("\n\n") || relayed == "\n" { relayed.removeLast() }
        if !relayed.isEmpty { Console.out(relayed) }
        if let row { return row }
        let how = process.terminationReason == .uncaughtSignal
            ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
        return HeadlessSummaryRow(path: item.path, status: .crashed, seconds: Date().timeIntervalSince(started),
                                  message: "the child process \(how) without reporting a result")
    }
}

/// The next item to run, shared by the worker threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Result rows filled in by the workers, in item order.
private final class HeadlessRows: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [HeadlessSummaryRow?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ row: HeadlessSummaryRow) {
        lock.lock()
        stored[index] = row
        lock.unlock()
    }

    var rows: [HeadlessSummaryRow] {
        lock.lock()
        defer { lock.unlock() }
        return stored.compactMap { $0 }
    }
}
