/// Token ↔ index tables for text models: characters or words of a corpus, numbered in order of
/// first appearance (so tables built from the same text always agree).
public struct Vocabulary: Equatable, Sendable {
    public enum Level: String, Sendable { case char, word }

    public let level: Level
    /// Tokens in index order.
    public let tokens: [String]
    private let index: [String: Int]

    /// The vocabulary of `text`: its distinct characters, or its distinct `words(text)`.
    public init(text: String, level: Level) {
        self.init(tokens: level == .char ? text.map { String($0) } : Vocabulary.words(text), level: level)
    }

    /// The distinct entries of `tokens` in order of first appearance.
    public init(tokens: [String], level: Level = .word) {
        var seen: [String: Int] = [:], order: [String] = []
        for t in tokens where seen[t] == nil {
            seen[t] = order.count
            order.append(t)
        }
        self.level = level
        self.tokens = order
        self.index = seen
    }

    public var count: Int { tokens.count }

    public func id(of token: String) -> Int? { index[token] }

    /// The text split into this vocabulary's tokens (characters, or `words(text)`).
    public func tokenize(_ text: String) -> [String] {
        level == .char ? text.map { String($0) } : Vocabulary.words(text)
    }

    /// Token indices of `text`; throws naming the first token not in the vocabulary.
    public func encode(_ text: String) throws -> [Int] {
        try encode(tokens: tokenize(text))
    }

    public func encode(tokens: [String]) throws -> [Int] {
        try tokens.map { t in
            guard let i = index[t] else {
                throw DataError("\"\(t)\" is not in the vocabulary (\(count) \(level == .char ? "characters" : "words"))")
            }
            return i
        }
    }

    /// The text for `ids`: characters joined directly, words with spaces.
    public func decode(_ ids: [Int]) throws -> String {
        let parts = try ids.map { i -> String in
            guard i >= 0, i < tokens.count else { throw DataError("token index \(i) is outside 0..<\(tokens.count)") }
            return tokens[i]
        }
        return parts.joined(separator: level == .char ? "" : " ")
    }

    /// Lower-case words: runs of letters, digits and apostrophes; everything else separates.
    public static func words(_ text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "'") })
            .map(String.init)
    }
}
