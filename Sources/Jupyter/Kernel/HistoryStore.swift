import Foundation

/// The inputs of this kernel session, for `history_request` (tail, range, search).
/// Kept in memory: a restarted kernel starts a new, empty session.
public final class HistoryStore: @unchecked Sendable {
    public struct Entry: Equatable, Sendable {
        public var session: Int
        public var line: Int
        public var input: String
    }

    /// The current session's number (sessions before it are not kept).
    public let session = 1
    private let lock = NSLock()
    private var entries: [Entry] = []

    public init() {}

    public func append(line: Int, input: String) {
        lock.lock()
        entries.append(Entry(session: session, line: line, input: input))
        lock.unlock()
    }

    private var all: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    /// The last `n` entries.
    public func tail(_ n: Int) -> [Entry] { Array(all.suffix(max(0, n))) }

    /// Lines `start..<stop` of `session` (0 or the current number means this session; negative
    /// numbers count back from it). `stop` nil means to the end.
    public func range(session requested: Int, start: Int, stop: Int?) -> [Entry] {
        let target = requested <= 0 ? session + requested : requested
        guard target == session else { return [] }
        return all.filter { e in e.line >= start && (stop.map { e.line < $0 } ?? true) }
    }

    /// Entries whose input matches the glob `pattern` (`*`, `?`, `[...]`), the last `n` of them;
    /// `unique` keeps only the latest of identical inputs.
    public func search(pattern: String, n: Int?, unique: Bool) -> [Entry] {
        var found = all.filter { fnmatch(pattern, $0.input, 0) == 0 }
        if unique {
            var seen = Set<String>()
            found = found.reversed().filter { seen.insert($0.input).inserted }.reversed()
        }
        if let n { found = Array(found.suffix(max(0, n))) }
        return found
    }
}
