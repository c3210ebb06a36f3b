/// A plotting call could not be carried out; the message says what to fix.
public struct PlotError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks a flat array against a 2-D shape.
func checkShape(_ count: Int, rows: Int, cols: Int, what: String) throws {
    guard rows >= 0, cols >= 0 else { throw PlotError("\(what): the shape (\(rows), \(cols)) has a negative size") }
    guard rows * cols == count else {
        throw PlotError("\(what): \(count) values do not fill a \(rows)×\(cols) grid; pass a 2-D array of that shape")
    }
}
