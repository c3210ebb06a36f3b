/// Formal-language string generators for recurrent-network experiments (Elman 1990; Reber 1967 as
/// used by Hochreiter & Schmidhuber 1997), and a one-hot encoder for their symbols.
extension Datasets {
    /// `count` strings aⁿbⁿ with n uniform in `minN...maxN`, e.g. "aaabbb".
    public static func anbn(count: Int, minN: Int = 1, maxN: Int = 10, seed: UInt64? = nil) throws -> [String] {
        try requireCount("anbn count", count, in: 0...10_000_000)
        try requireCount("anbn minN", minN, in: 0...100_000)
        try requireCount("anbn maxN", maxN, in: minN...100_000)
        guard count * maxN <= 100_000_000 else { throw DataError("anbn: count × maxN is too large (at most 10^8 symbols)") }
        let g = dataGenerator(seed: seed)
        return (0..<count).map { _ in
            let n = minN + g.nextInt(below: maxN - minN + 1)
            return String(repeating: "a", count: n) + String(repeating: "b", count: n)
        }
    }

    /// `count` strings of the Reber grammar, each starting with B and ending with E, e.g. "BTSSXXTVVE";
    /// both branches at each state are taken with probability ½.
    public static func reber(count: Int, seed: UInt64? = nil) throws -> [String] {
        try requireCount("reber count", count, in: 0...10_000_000)
        let g = dataGenerator(seed: seed)
        return (0..<count).map { _ in "B" + reberCore(g) + "E" }
    }

    /// `count` strings of the embedded Reber grammar: B, then T or P, a Reber string, the same T or
    /// P again, and E — e.g. "BTBPVVETE". Predicting the second-last symbol needs long memory.
    public static func embeddedReber(count: Int, seed: UInt64? = nil) throws -> [String] {
        try requireCount("embedded reber count", count, in: 0...10_000_000)
        let g = dataGenerator(seed: seed)
        return (0..<count).map { _ in
            let branch = g.nextInt(below: 2) == 0 ? "T" : "P"
            return "B" + branch + "B" + reberCore(g) + "E" + branch + "E"
        }
    }

    /// The Reber automaton: state → [(symbol, next state)]; state 5 is final (then E).
    static let reberTransitions: [[(Character, Int)]] = [
        [("T", 1), ("P", 2)],
        [("S", 1), ("X", 3)],
        [("T", 2), ("V", 4)],
        [("X", 2), ("S", 5)],
        [("P", 3), ("V", 5)],
    ]

    private static func reberCore(_ g: RandomGenerator) -> String {
        var state = 0, out = ""
        while state < 5 {
            let (symbol, next) = reberTransitions[state][g.nextInt(below: 2)]
            out.append(symbol)
            state = next
        }
        return out
    }

    /// For each prefix of a Reber string (after each symbol), the set of symbols the grammar allows
    /// next; nil if the string leaves the grammar. The last entry (after E) is empty.
    public static func reberNextSymbols(_ string: String) -> [Set<Character>]? {
        var result: [Set<Character>] = []
        var state = -1 // before B
        for symbol in string {
            switch state {
            case -1:
                guard symbol == "B" else { return nil }
                state = 0
            case 5:
                guard symbol == "E" else { return nil }
                state = 6
            case 0...4:
                guard let next = reberTransitions[state].first(where: { $0.0 == symbol }) else { return nil }
                state = next.1
            default:
                return nil // symbols after E
            }
            switch state {
            case 0...4: result.append(Set(reberTransitions[state].map { $0.0 }))
            case 5: result.append(["E"])
            default: result.append([])
            }
        }
        return result
    }
}

/// Maps symbols of a fixed alphabet to indices and one-hot rows.
public struct SymbolEncoder: Equatable, Sendable {
    public let alphabet: [Character]
    private let index: [Character: Int]

    /// `alphabet` lists the symbols in index order; duplicates are an error.
    public init(alphabet: String) throws {
        let symbols = Array(alphabet)
        var index: [Character: Int] = [:]
        for (i, c) in symbols.enumerated() {
            guard index[c] == nil else { throw DataError("alphabet repeats the symbol \"\(c)\"") }
            index[c] = i
        }
        guard !symbols.isEmpty else { throw DataError("alphabet must not be empty") }
        self.init(distinct: symbols)
    }

    /// For alphabets known to be distinct and non-empty.
    private init(distinct symbols: [Character]) {
        alphabet = symbols
        index = Dictionary(symbols.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The encoder for aⁿbⁿ strings ("ab").
    public static let anbn = SymbolEncoder(distinct: ["a", "b"])
    /// The encoder for (embedded) Reber strings ("BTSXPVE").
    public static let reber = SymbolEncoder(distinct: Array("BTSXPVE"))

    public var size: Int { alphabet.count }

    /// Symbol indices of `string`; throws naming the first symbol outside the alphabet.
    public func indices(_ string: String) throws -> [Int] {
        try string.map { c in
            guard let i = index[c] else {
                throw DataError("symbol \"\(c)\" is not in the alphabet \"\(String(alphabet))\"")
            }
            return i
        }
    }

    /// One-hot rows, `[string.count, size]` row-major.
    public func oneHot(_ string: String) throws -> (values: [Float], shape: [Int]) {
        let ids = try indices(string)
        var values = [Float](repeating: 0, count: ids.count * size)
        for (t, i) in ids.enumerated() { values[t * size + i] = 1 }
        return (values, [ids.count, size])
    }

    /// The string for symbol indices; throws for an index outside the alphabet.
    public func decode(_ indices: [Int]) throws -> String {
        String(try indices.map { i in
            guard i >= 0, i < alphabet.count else {
                throw DataError("symbol index \(i) is outside 0..<\(alphabet.count)")
            }
            return alphabet[i]
        })
    }

    /// A next-symbol prediction task over `strings` concatenated into one stream (as Elman trained
    /// on aⁿbⁿ): features are the one-hot symbols `[T - 1, size]` and labels the index of the symbol
    /// that follows each, where T is the stream's length.
    public func nextSymbolTask(_ strings: [String]) throws -> Dataset {
        let stream = try strings.flatMap { try indices($0) }
        guard stream.count >= 2 else { throw DataError("next-symbol task needs at least two symbols") }
        let steps = stream.count - 1
        var features = [Float](repeating: 0, count: steps * size)
        for t in 0..<steps { features[t * size + stream[t]] = 1 }
        return Dataset(features: features, shape: [steps, size], labels: Array(stream.dropFirst()))
    }
}
