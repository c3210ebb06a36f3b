import Foundation
import Testing
@testable import Jupyter

@Suite struct HeadlessSummaryTests {
    let rows = [
        HeadlessSummaryRow(path: "notebooks/01-tensors.ipynb", status: .passed, codeCells: 12, cellsRun: 12, seconds: 1.234),
        HeadlessSummaryRow(path: "b.ipynb", status: .failed, codeCells: 5, cellsRun: 2, seconds: 0.05),
        HeadlessSummaryRow(path: "bad.ipynb", status: .unreadable, message: "not valid JSON"),
    ]

    @Test func tableHasOneRowPerNotebookAndTotals() {
        let lines = HeadlessSummary.table(rows).split(separator: "\n").map(String.init)
        #expect(lines[0].split(separator: " ") == ["notebook", "cells", "seconds", "status"])
        #expect(lines[2].split(separator: " ") == ["notebooks/01-tensors.ipynb", "12/12", "1.2", "passed"])
        #expect(lines[3].split(separator: " ") == ["b.ipynb", "2/5", "0.1", "failed"])
        #expect(lines[4].split(separator: " ") == ["bad.ipynb", "0/0", "0.0", "unreadable"])
        #expect(lines[6].split(separator: " ") == ["total", "14/17", "1.3", "1/3", "passed"])
        #expect(lines[7] == "bad.ipynb: not valid JSON")
        // Columns line up: every status starts in the same column.
        let column = lines[0].range(of: "status")?.lowerBound.utf16Offset(in: lines[0])
        #expect(lines[2].range(of: "passed")?.lowerBound.utf16Offset(in: lines[2]) == column)
    }

    @Test func exitCodeIsTheWorstStatus() {
        #expect(HeadlessSummary.exitCode([]) == 0)
        #expect(HeadlessSummary.exitCode(Array(rows.prefix(1))) == 0)
        #expect(HeadlessSummary.exitCode(Array(rows.prefix(2))) == 1)
        #expect(HeadlessSummary.exitCode(rows) == 2)
        #expect(HeadlessSummary.exitCode([HeadlessSummaryRow(path: "t", status: .timedOut)]) == 1)
    }

    @Test func resultLinesRoundTrip() {
        for row in rows {
            #expect(HeadlessSummaryRow(resultLine: Substring(row.resultLine)) == row)
        }
        #expect(HeadlessSummaryRow(resultLine: "hello") == nil)
        #expect(HeadlessSummaryRow(resultLine: "myelin-exec-result {\"path\": 1}") == nil)
    }

    @Test func timestampsAreUTCWithMicroseconds() {
        #expect(HeadlessClock.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(HeadlessClock.timestamp(Date(timeIntervalSince1970: 1_700_000_000.25)) == "2023-11-14T22:13:20.250000Z")
        #expect(HeadlessClock.format(2) == "2" && HeadlessClock.format(0.5) == "0.5")
    }
}
