import Foundation

/// How the headless runner treats errors and slow cells.
public struct HeadlessOptions: Sendable {
    /// Seconds one cell may run before it is interrupted; `nil` for no limit. A timed-out cell
    /// always ends its notebook, even with `allowErrors` (the interpreter's state is unknown).
    public var timeout: Double?
    /// Keep running after a failing cell (the notebook still fails unless the cell is tagged
    /// `raises-exception`).
    public var allowErrors: Bool
    /// Seconds an interrupted cell gets to stop before the runner gives up on the notebook.
    public var interruptGrace: Double
    /// Code cells with this tag are not run (and keep their outputs).
    public var skipTag: String

    public init(timeout: Double? = nil, allowErrors: Bool = false, interruptGrace: Double = 5,
                skipTag: String = "skip-execution") {
        self.timeout = timeout
        self.allowErrors = allowErrors
        self.interruptGrace = interruptGrace
        self.skipTag = skipTag
    }
}

/// Runs notebooks headless: each notebook on a fresh interpreter from `makeInterpreter`, its code
/// cells in order on one large-stack execution thread, recording outputs, execution counts (from 1)
/// and nbclient's `metadata.execution` timestamps into the notebook.
///
/// Without `allowErrors` a notebook stops at its first failing cell; later code cells lose their
/// old outputs and counts. Cells tagged `raises-exception` may fail without failing the notebook.
/// A cell past its timeout is interrupted and recorded as nbclient's `CellTimeoutError`; one that
/// does not stop within the grace period is abandoned with its thread, and the notebook with it.
public final class NotebookRunner {
    public let options: HeadlessOptions
    private let makeInterpreter: () -> Interpreter

    /// `makeInterpreter` is called once per notebook or script, on the execution thread.
    public init(options: HeadlessOptions = HeadlessOptions(), makeInterpreter: @escaping () -> Interpreter) {
        self.options = options
        self.makeInterpreter = makeInterpreter
    }

    /// Runs the notebook's code cells and records their outputs into it.
    public func run(_ notebook: inout Notebook) -> NotebookRunReport {
        let started = DispatchTime.now()
        var report = NotebookRunReport(codeCells: notebook.cells.filter { $0.kind == .code }.count)
        let session: HeadlessSession
        do {
            session = try HeadlessSession(makeInterpreter: makeInterpreter)
        } catch {
            report.status = .failed
            report.message = "\(error)"
            return report
        }
        let recorder = NotebookOutputRecorder(cellCount: notebook.cells.count)
        var executionCount = 0
        var stopped = false
        var executed: [Int] = []
        for index in notebook.cells.indices where shouldRun(notebook.cells[index]) {
            if stopped {
                notebook.cells[index].outputs = []
                notebook.cells[index].executionCount = nil
                notebook.cells[index].metadata["execution"] = nil
                continue
            }
            executionCount += 1
            report.cellsRun += 1
            executed.append(index)
            var timing: [String: JSON] = [:]
            timing["iopub.status.busy"] = .string(HeadlessClock.timestamp())
            timing["iopub.execute_input"] = timing["iopub.status.busy"]
            recorder.begin(cell: index)
            let request = ExecuteRequest(code: notebook.cells[index].source, executionCount: executionCount)
            let result = session.execute(request, output: recorder, options: options)
            let cellFailure = record(result, cell: notebook.cells[index], index: index,
                                     executionCount: executionCount, recorder: recorder)
            recorder.end()
            timing["shell.execute_reply"] = .string(HeadlessClock.timestamp())
            timing["iopub.status.idle"] = timing["shell.execute_reply"]
            notebook.cells[index].metadata["execution"] = .object(timing)
            notebook.cells[index].executionCount = executionCount
            if let cellFailure {
                report.failures.append(cellFailure)
                if case .timedOut(let stoppedInTime) = result {
                    report.status = .timedOut
                    if !stoppedInTime {
                        report.message = "cell \(index + 1) did not stop within \(HeadlessClock.format(options.interruptGrace)) s "
                            + "of being interrupted after its \(HeadlessClock.format(options.timeout ?? 0)) s timeout; gave up on this notebook"
                    }
                    stopped = true
                } else if !cellFailure.expected {
                    report.status = .failed
                    stopped = !options.allowErrors
                }
            }
        }
        // Outputs of every executed cell, including display updates made to earlier ones.
        for index in executed {
            notebook.cells[index].outputs = recorder.outputs(ofCell: index)
        }
        session.close(abandoned: report.message != nil)
        report.seconds = HeadlessClock.seconds(since: started)
        return report
    }

    /// Runs `code` as one cell on a fresh interpreter, sending what it shows to `output`
    /// (a script run from the command line). The last value, if any, is displayed through `output`.
    public func runScript(_ code: String, output: ExecutionOutput) -> NotebookRunReport {
        let started = DispatchTime.now()
        var report = NotebookRunReport(codeCells: 1)
        let session: HeadlessSession
        do {
            session = try HeadlessSession(makeInterpreter: makeInterpreter)
        } catch {
            report.status = .failed
            report.message = "\(error)"
            return report
        }
        report.cellsRun = 1
        let result = session.execute(ExecuteRequest(code: code, executionCount: 1), output: output, options: options)
        switch result {
        case .finished(.ok(let value, _)):
            if let value { output.display(value, displayID: nil, update: false) }
        case .finished(.error(let error)):
            report.status = .failed
            report.failures.append(CellFailure(cellIndex: 0, error: error, expected: false))
        case .timedOut(let stoppedInTime):
            report.status = .timedOut
            let error = NotebookRunner.timeoutError(after: options.timeout ?? 0, source: code)
            report.failures.append(CellFailure(cellIndex: 0, error: error, expected: false))
            if !stoppedInTime { report.message = "the script did not stop after being interrupted; gave up" }
        }
        session.close(abandoned: report.message != nil)
        report.seconds = HeadlessClock.seconds(since: started)
        return report
    }

    private func shouldRun(_ cell: NotebookCell) -> Bool {
        cell.kind == .code && !cell.tags.contains(options.skipTag)
            && !cell.source.allSatisfy(\.isWhitespace)
    }

    /// Adds the cell's result or error to its outputs; returns the failure, if any.
    private func record(_ result: HeadlessCellResult, cell: NotebookCell, index: Int, executionCount: Int,
                        recorder: NotebookOutputRecorder) -> CellFailure? {
        let expected = cell.tags.contains("raises-exception")
        switch result {
        case .finished(.ok(let value, _)):
            if let value { recorder.append(.executeResult(value, executionCount: executionCount)) }
            return nil
        case .finished(.error(let error)):
            recorder.append(.error(error))
            return CellFailure(cellIndex: index, error: error, expected: expected)
        case .timedOut(let stoppedInTime):
            let error = NotebookRunner.timeoutError(after: options.timeout ?? 0, source: cell.source)
            if stoppedInTime {
                recorder.append(.error(error))
            } else {
                recorder.appendAndDetach(.error(error))
            }
            return CellFailure(cellIndex: index, error: error, expected: false)
        }
    }

    /// nbclient's `CellTimeoutError`, with its wording.
    static func timeoutError(after seconds: Double, source: String) -> ExecutionError {
        let evalue = "A cell timed out while it was being executed, after \(HeadlessClock.format(seconds)) seconds."
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 10 { lines = Array(lines.prefix(5)) + ["..."] + Array(lines.suffix(5)) }
        let traceback = ["CellTimeoutError: " + evalue, "Here is a preview of the cell contents:",
                         "-------------------"] + lines + ["-------------------"]
        return ExecutionError(ename: "CellTimeoutError", evalue: evalue, traceback: traceback)
    }
}

/// A cell that failed: its position, its error, and whether the cell expected it (`raises-exception`).
public struct CellFailure: Equatable, Sendable {
    public var cellIndex: Int
    public var error: ExecutionError
    public var expected: Bool
}

/// How one notebook (or script) went.
public struct NotebookRunReport: Equatable, Sendable {
    public var status: HeadlessStatus = .passed
    /// Code cells in the notebook, and how many of them ran.
    public var codeCells: Int
    public var cellsRun = 0
    public var seconds = 0.0
    public var failures: [CellFailure] = []
    /// Why the run ended abnormally (a cell that would not stop), for the user.
    public var message: String?

    public init(codeCells: Int) { self.codeCells = codeCells }
}
