import Foundation

/// A numeric table read from a CSV file.
public struct CSVTable: Equatable, Sendable {
    /// Column names if the file has a header row.
    public var header: [String]?
    /// Row-major values, `[rows, columns]`.
    public var values: [Float]
    public var shape: [Int]
}

/// Reader for numeric CSV files (no quoting of numbers needed; blank lines ignored).
public enum CSV {
    /// Reads `path`. The first row is a header when `hasHeader` is true, or, when nil, when any of
    /// its cells is not a number. Every other cell must be a number; all rows the same length.
    public static func load(path: String, delimiter: Character = ",", hasHeader: Bool? = nil) throws -> CSVTable {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataError("load_csv: cannot read \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError("load_csv: \(path) is not UTF-8 text")
        }
        return try parse(text, delimiter: delimiter, hasHeader: hasHeader, source: path)
    }

    public static func parse(_ text: String, delimiter: Character = ",", hasHeader: Bool? = nil,
                             source: String = "CSV text") throws -> CSVTable {
        var lines: [(number: Int, cells: [Substring])] = []
        // "\r\n" is one Character in Swift, so split on any newline character.
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            lines.append((i + 1, trimmed.split(separator: delimiter, omittingEmptySubsequences: false)))
        }
        guard let first = lines.first else { throw DataError("load_csv: \(source) has no rows") }
        func number(_ cell: Substring) -> Float? {
            Float(cell.trimmingCharacters(in: .whitespaces))
        }
        let headerPresent = hasHeader ?? first.cells.contains { number($0) == nil }
        let header = headerPresent
            ? first.cells.map { $0.trimmingCharacters(in: .whitespaces) } : nil
        let rows = headerPresent ? Array(lines.dropFirst()) : lines
        let columns = first.cells.count
        var values: [Float] = []
        values.reserveCapacity(rows.count * columns)
        for row in rows {
            guard row.cells.count == columns else {
                throw DataError("load_csv: \(source) line \(row.number) has \(row.cells.count) cells, expected \(columns)")
            }
            for (c, cell) in row.cells.enumerated() {
                guard let v = number(cell) else {
                    throw DataError("load_csv: \(source) line \(row.number), column \(c + 1): \"\(cell)\" is not a number")
                }
                values.append(v)
            }
        }
        return CSVTable(header: header, values: values, shape: [rows.count, columns])
    }
}
