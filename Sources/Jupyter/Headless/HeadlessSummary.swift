/// How a notebook or script ended.
public enum HeadlessStatus: String, Sendable, CaseIterable {
    case passed
    case failed
    case timedOut = "timed out"
    /// The file could not be read or is not a valid notebook (nothing was run or written).
    case unreadable
    /// The child process running it (`--jobs`) died without reporting.
    case crashed

    /// The process exit code this status asks for: 0, 1 for failures, 2 for unreadable input.
    public var exitCode: Int32 {
        switch self {
        case .passed: return 0
        case .failed, .timedOut, .crashed: return 1
        case .unreadable: return 2
        }
    }
}

/// One row of the summary table printed at the end of `myelin exec`.
public struct HeadlessSummaryRow: Equatable, Sendable {
    public var path: String
    public var status: HeadlessStatus
    public var codeCells: Int
    public var cellsRun: Int
    public var seconds: Double
    /// Shown under the table (why a file was unreadable, a cell that would not stop).
    public var message: String?

    public init(path: String, status: HeadlessStatus, codeCells: Int = 0, cellsRun: Int = 0,
                seconds: Double = 0, message: String? = nil) {
        self.path = path
        self.status = status
        self.codeCells = codeCells
        self.cellsRun = cellsRun
        self.seconds = seconds
        self.message = message
    }

    public init(path: String, report: NotebookRunReport) {
        self.init(path: path, status: report.status, codeCells: report.codeCells, cellsRun: report.cellsRun,
                  seconds: report.seconds, message: report.message)
    }

    /// The row as one line a parent process can read back (`myelin exec --jobs`).
    public var resultLine: String {
        var members: [String: JSON] = [
            "path": .string(path), "status": .string(status.rawValue), "code_cells": .int(codeCells),
            "cells_run": .int(cellsRun), "seconds": .double(seconds),
        ]
        if let message { members["message"] = .string(message) }
        return HeadlessSummaryRow.resultPrefix + JSON.object(members).serialized()
    }

    static let resultPrefix = "myelin-exec-result "

    /// Reads a line written by `resultLine`; `nil` for any other line.
    public init?(resultLine line: Substring) {
        guard line.hasPrefix(HeadlessSummaryRow.resultPrefix),
              let json = try? JSON.parse(String(line.dropFirst(HeadlessSummaryRow.resultPrefix.count))),
              let path = json["path"]?.stringValue,
              let status = json["status"]?.stringValue.flatMap(HeadlessStatus.init(rawValue:)),
              let codeCells = json["code_cells"]?.intValue, let cellsRun = json["cells_run"]?.intValue,
              let seconds = json["seconds"]?.doubleValue
        else { return nil }
        self.init(path: path, status: status, codeCells: codeCells, cellsRun: cellsRun, seconds: seconds,
                  message: json["message"]?.stringValue)
    }
}

/// The end-of-run report: the table and the exit code.
public enum HeadlessSummary {
    /// The exit code for a whole run: 2 if any file was unreadable, else 1 if any failed, else 0.
    public static func exitCode(_ rows: [HeadlessSummaryRow]) -> Int32 {
        rows.map(\.status.exitCode).max() ?? 0
    }

    /// A plain-text table: notebook, cells (run/code), seconds, status; then a totals line.
    public static func table(_ rows: [HeadlessSummaryRow]) -> String {
        let header = ["notebook", "cells", "seconds", "status"]
        var body = rows.map { row in
            [row.path, "\(row.cellsRun)/\(row.codeCells)", formatSeconds(row.seconds), row.status.rawValue]
        }
        let passed = rows.filter { $0.status == .passed }.count
        body.append(["total", "\(rows.map(\.cellsRun).reduce(0, +))/\(rows.map(\.codeCells).reduce(0, +))",
                     formatSeconds(rows.map(\.seconds).reduce(0, +)), "\(passed)/\(rows.count) passed"])
        let all = [header] + body
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                // Numbers align right, words left.
                return column == 1 || column == 2 ? pad + text : text + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var lines = [line(header), rule] + body.dropLast().map(line) + [rule, line(body[body.count - 1])]
        for row in rows {
            if let message = row.message { lines.append("\(row.path): \(message)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
