import Foundation
import Testing
@testable import Jupyter

@Suite struct HeadlessRunnerTests {
    func run(_ notebook: inout Notebook, _ options: HeadlessOptions = HeadlessOptions()) -> NotebookRunReport {
        NotebookRunner(options: options, makeInterpreter: { NotebookTestInterpreter() }).run(&notebook)
    }

    func texts(_ output: NotebookOutput) -> String? {
        switch output {
        case .displayData(let d), .executeResult(let d, _): return d.data["text/plain"]?.stringValue
        case .stream(let name, let text): return "\(name.rawValue):\(text)"
        case .error(let e): return "error:\(e.ename)"
        case .stored(let json): return json["data"]?["text/plain"]?.stringValue ?? json.serialized()
        }
    }

    @Test func passingNotebookRecordsOutputsCountsAndTimings() throws {
        var nb = Notebook.testNotebook(["# Intro", "print hello\nvalue 42", "count", "set x 3", "get x"])
        let report = run(&nb)
        #expect(report.status == .passed)
        #expect(report.codeCells == 4 && report.cellsRun == 4)
        #expect(nb.cells[1].outputs == [.stream(name: .stdout, text: "hello\n"),
                                        .executeResult(.text("42"), executionCount: 1)])
        #expect(nb.cells[2].outputs == [.executeResult(.text("2"), executionCount: 2)])
        #expect(nb.cells[3].outputs.isEmpty)
        #expect(nb.cells[4].outputs == [.executeResult(.text("3"), executionCount: 4)])
        #expect(nb.cells.map(\.executionCount) == [nil, 1, 2, 3, 4])
        let timing = try #require(nb.cells[1].metadata["execution"]?.objectValue)
        #expect(Set(timing.keys) == ["iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"])
        let pattern = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#)
        for value in timing.values { #expect(try pattern.wholeMatch(in: value.stringValue ?? "") != nil) }
        #expect(nb.cells[0].kind == .markdown && nb.cells[0].metadata["execution"] == nil)
    }

    @Test func consecutiveStreamsOfOneNameMerge() {
        var nb = Notebook.testNotebook(["print a\nprint b\neprint c\nprint d\ndisplay x\nprint e"])
        _ = run(&nb)
        #expect(nb.cells[0].outputs.map(texts) == ["stdout:a\nb\n", "stderr:c\n", "stdout:d\n", "x", "stdout:e\n"])
    }

    @Test func carriageReturnsAndBackspacesResolveLikeATerminal() {
        var nb = Notebook.testNotebook(["write 10%\\r\nwrite 50%\\r\nwrite 100%\\n\nwrite ab\\bc\\n"])
        _ = run(&nb)
        #expect(nb.cells[0].outputs == [.stream(name: .stdout, text: "100%\nac\n")])
        #expect(NotebookOutputRecorder.resolveControlCharacters("a\rb\r\nc\r") == "b\r\nc\r")
        #expect(NotebookOutputRecorder.resolveControlCharacters("x\n\u{08}y") == "x\n\u{08}y")
    }

    @Test func updateDisplayDataReachesEarlierCellsAndSameIDDisplays() {
        var nb = Notebook.testNotebook(["display@p 0%\nprint side", "update@p 50%", "display@p again",
                                        "update@p 100%\nupdate@unknown ignored"])
        let report = run(&nb)
        #expect(report.status == .passed)
        #expect(nb.cells[0].outputs.map(texts) == ["100%", "stdout:side\n"])
        #expect(nb.cells[1].outputs.isEmpty)
        #expect(nb.cells[2].outputs.map(texts) == ["100%"])
        #expect(nb.cells[3].outputs.isEmpty)
    }

    @Test func clearOutputNowAndOnNextOutput() {
        var nb = Notebook.testNotebook(["print a\nclear\nprint b", "print a\nclear wait\nprint b\nprint c",
                                        "print kept\nclear wait", "display@d one\nclear\ndisplay two\nupdate@d three"])
        _ = run(&nb)
        #expect(nb.cells[0].outputs.map(texts) == ["stdout:b\n"])
        #expect(nb.cells[1].outputs.map(texts) == ["stdout:b\nc\n"])
        #expect(nb.cells[2].outputs.map(texts) == ["stdout:kept\n"])
        // The cleared display is forgotten: its update touches nothing that is left.
        #expect(nb.cells[3].outputs.map(texts) == ["two"])
    }

    @Test func firstErrorStopsTheNotebookAndClearsLaterCells() {
        var nb = Notebook.testNotebook(["print before", "print partial\nerror ValueError bad value", "print after", "count"])
        nb.cells[2].outputs = [.stored(["output_type": "stream", "name": "stdout", "text": ["stale\n"]])]
        nb.cells[2].executionCount = 7
        nb.cells[2].metadata["execution"] = ["shell.execute_reply": "old"]
        let report = run(&nb)
        #expect(report.status == .failed)
        #expect(report.cellsRun == 2)
        #expect(report.failures.map(\.cellIndex) == [1])
        #expect(nb.cells[1].outputs == [
            .stream(name: .stdout, text: "partial\n"),
            .error(ExecutionError(ename: "ValueError", evalue: "bad value", traceback: ["Traceback:", "ValueError: bad value"])),
        ])
        #expect(nb.cells[1].executionCount == 2)
        #expect(nb.cells[2].outputs.isEmpty && nb.cells[2].executionCount == nil && nb.cells[2].metadata["execution"] == nil)
        #expect(nb.cells[3].outputs.isEmpty && nb.cells[3].executionCount == nil)
    }

    @Test func allowErrorsKeepsGoingButStillFails() {
        var nb = Notebook.testNotebook(["error E one", "count", "error F two"])
        let report = run(&nb, HeadlessOptions(allowErrors: true))
        #expect(report.status == .failed)
        #expect(report.failures.map(\.cellIndex) == [0, 2])
        #expect(nb.cells[1].outputs == [.executeResult(.text("2"), executionCount: 2)])
        #expect(nb.cells[2].executionCount == 3)
    }

    @Test func raisesExceptionTagMakesAnErrorExpected() {
        var nb = Notebook.testNotebook(["error E expected", "count"], tags: [0: ["raises-exception"]])
        let report = run(&nb)
        #expect(report.status == .passed)
        #expect(report.failures.map(\.expected) == [true])
        #expect(nb.cells[0].outputs.map(texts) == ["error:E"])
        #expect(nb.cells[1].outputs == [.executeResult(.text("2"), executionCount: 2)])
    }

    @Test func skippedAndEmptyCellsAreNotRun() {
        var nb = Notebook.testNotebook(["count", "error E never", "  \n", "count"], tags: [1: ["skip-execution"]])
        let old = NotebookOutput.stored(["output_type": "stream", "name": "stdout", "text": "old\n"])
        nb.cells[1].outputs = [old]
        let report = run(&nb)
        #expect(report.status == .passed)
        #expect(report.cellsRun == 2)
        #expect(nb.cells[1].outputs == [old] && nb.cells[1].executionCount == nil)
        #expect(nb.cells[2].executionCount == nil)
        #expect(nb.cells[3].outputs == [.executeResult(.text("2"), executionCount: 2)])
    }

    @Test func timeoutInterruptsTheCellAndFailsTheNotebook() throws {
        var nb = Notebook.testNotebook(["print start\nsleep 30\nprint never", "count"])
        let started = Date()
        let report = run(&nb, HeadlessOptions(timeout: 0.5, allowErrors: true))
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(report.status == .timedOut)
        #expect(report.message == nil)
        #expect(nb.cells[0].outputs.count == 2)
        #expect(nb.cells[0].outputs.first.flatMap(texts) == "stdout:start\n")
        guard case .error(let error)? = nb.cells[0].outputs.last else {
            Issue.record("no timeout error recorded")
            return
        }
        #expect(error.ename == "CellTimeoutError")
        #expect(error.evalue == "A cell timed out while it was being executed, after 0.5 seconds.")
        #expect(error.traceback.contains("sleep 30"))
        #expect(nb.cells[1].executionCount == nil)
    }

    @Test func aCellThatIgnoresInterruptsIsAbandonedWithoutHanging() {
        var nb = Notebook.testNotebook(["print start\nhang 3\nprint late", "count"])
        let started = Date()
        let report = run(&nb, HeadlessOptions(timeout: 0.1, interruptGrace: 0.2))
        #expect(Date().timeIntervalSince(started) < 2.5)
        #expect(report.status == .timedOut)
        #expect(report.message?.contains("did not stop") == true)
        #expect(nb.cells[0].outputs.map(texts) == ["stdout:start\n", "error:CellTimeoutError"])
    }

    @Test func eachNotebookGetsAFreshInterpreterOnABigStack() throws {
        let made = HeadlessBox<Int>()
        made.value = 0
        let runner = NotebookRunner(makeInterpreter: {
            made.value = (made.value ?? 0) + 1
            return NotebookTestInterpreter()
        })
        var first = Notebook.testNotebook(["set x 1", "stack"])
        var second = Notebook.testNotebook(["get x"])
        #expect(runner.run(&first).status == .passed)
        #expect(runner.run(&second).status == .failed)
        #expect(made.value == 2)
        let stack = try #require(first.cells[1].outputs.first.flatMap(texts).flatMap { Int($0) })
        #expect(stack >= HeadlessExecutionThread.defaultStackSize)
        #expect(second.cells[0].outputs.map(texts) == ["error:NameError"])
    }

    @Test func inputIsRefusedHeadless() {
        var nb = Notebook.testNotebook(["input name?"])
        #expect(run(&nb).status == .failed)
        #expect(nb.cells[0].outputs.map(texts) == ["error:StdinNotImplementedError"])
    }

    @Test func scriptRunsAsOneCellIntoTheGivenOutput() {
        let runner = NotebookRunner(makeInterpreter: { NotebookTestInterpreter() })
        let output = CollectingOutput()
        let report = runner.runScript("print hi\nvalue 5", output: output)
        #expect(report.status == .passed && report.cellsRun == 1)
        #expect(output.events == ["stdout:hi\n", "display:5"])
        let failing = runner.runScript("error E no", output: CollectingOutput())
        #expect(failing.status == .failed && failing.failures.first?.error.ename == "E")
    }
}

/// The runner's written notebook, with every kind of output, is committed as a fixture that the
/// client tests check with `nbformat.validate` (tests/client/test_exec_notebooks.py). Regenerate it
/// with `MYELIN_UPDATE_FIXTURES=1 swift test --filter executedNotebookMatchesTheFixture`.
@Suite struct HeadlessFixtureTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/executed-by-test-interpreter.ipynb").path

    @Test func executedNotebookMatchesTheFixture() throws {
        var nb = Notebook.testNotebook([
            "# Every kind of output",
            "print line one\nprint line two\neprint warning\ndisplay@progress 0%\nvalue 42",
            "update@progress 100%\nwrite no newline\nimage",
            "error ValueError expected failure",
            "error Never run",
            "count",
            "print waiting\nsleep 30",
            "print after the timeout",
        ], tags: [3: ["raises-exception"], 4: ["skip-execution"]])
        nb.metadata = ["kernelspec": ["name": "myelin", "display_name": "Myelin", "language": "myelin"],
                       "x-unknown": ["kept": true]]
        let options = HeadlessOptions(timeout: 1)
        let report = NotebookRunner(options: options, makeInterpreter: { NotebookTestInterpreter() }).run(&nb)
        #expect(report.status == .timedOut)
        for index in nb.cells.indices where nb.cells[index].metadata["execution"] != nil {
            nb.cells[index].metadata["execution"] = .object(Dictionary(uniqueKeysWithValues:
                ["iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"]
                    .map { ($0, JSON.string("2024-01-01T00:00:00.000000Z")) }))
        }
        let text = nb.serialized()
        if ProcessInfo.processInfo.environment["MYELIN_UPDATE_FIXTURES"] != nil {
            try FileManager.default.createDirectory(atPath: (Self.fixturePath as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: Self.fixturePath, atomically: true, encoding: .utf8)
        }
        let fixture = try String(contentsOfFile: Self.fixturePath, encoding: .utf8)
        #expect(text == fixture)
    }
}
