import Engine

/// A symbol encoder as scripts hold it (the engine's is a value type).
final class EncoderBox {
    let encoder: SymbolEncoder
    init(_ e: SymbolEncoder) { encoder = e }
}

/// A vocabulary as scripts hold it.
final class VocabularyBox {
    let vocabulary: Vocabulary
    init(_ v: Vocabulary) { vocabulary = v }
}

/// Sequence and text data: `anbn`, `reber`, `encoder`, `reber_next`, `text`, `words`, `Vocabulary`.
extension DataBindings {
    static let encoderType = NativeType(name: "Encoder", doc: "Maps the symbols of a fixed alphabet to indices and one-hot rows.")
    static let vocabularyType = NativeType(name: "Vocabulary", doc: "Numbers the characters or words of a text in order of first appearance. Numbers the distinct characters (level='char') or words (level='word', see data.words) of text in order of first appearance; text may also be a list of tokens. encode(text) → int64 tensor, decode(ids) → str, len() tokens, .tokens list, .index(token).")

    static func stringList(_ v: Value, _ what: String) throws -> [String] {
        if let s = v.stringValue { return [s] }
        guard let items = v.asList?.items ?? v.asTuple?.items else {
            throw ScriptError(.typeError, "\(what) must be a str or a list of str, not \(typeName(v))")
        }
        return try items.map { item in
            guard let s = item.stringValue else { throw ScriptError(.typeError, "\(what) must hold only str, found \(typeName(item))") }
            return s
        }
    }

    /// Indices from an int, a list of ints or an integer tensor.
    static func indexList(_ v: Value, _ what: String) throws -> [Int] {
        if let i = v.intValue { return [i] }
        let t = try TensorBindings.tensorArgument(v, what)
        guard t.dtype != .float32 else { throw ScriptError(.typeError, "\(what) must be integer indices, got a float tensor") }
        return t.int64Array().map { Int($0) }
    }

    /// Strings, or their next-symbol task as (x one-hot float32 [T-1, size], y int64 [T-1]).
    static func sequenceResult(_ strings: [String], _ encoder: SymbolEncoder, _ a: Arguments, stringsIndex: Int) throws -> Value {
        if a.bool(stringsIndex, "strings", default: false) { return .list(strings.map { Value.str($0) }) }
        return try pair(try encoder.nextSymbolTask(strings))
    }

    static func installText(_ m: BindingModule) {
        function(m, "anbn", "anbn(n=100, min_n=1, max_n=10, seed=None, strings=False)",
                 "n strings aⁿbⁿ (n uniform in min_n…max_n). strings=True returns the list of str; otherwise the next-symbol task over the strings joined into one stream: x float32 [T-1, 2] one-hot ('a'=0, 'b'=1) and y int64 [T-1] the symbol that follows each. data.encoder('anbn') encodes single strings.") { a in
            try a.check(max: 5, keywords: ["n", "min_n", "max_n", "seed", "strings"])
            let strings = try Datasets.anbn(count: try a.int(0, "n", default: 100), minN: try a.int(1, "min_n", default: 1),
                                            maxN: try a.int(2, "max_n", default: 10), seed: try seed(a, 3))
            return try sequenceResult(strings, .anbn, a, stringsIndex: 4)
        }
        function(m, "reber", "reber(n=100, embedded=False, seed=None, strings=False)",
                 "n strings of the Reber grammar (B…E, e.g. 'BTSSXXTVVE'), or of the embedded Reber grammar. strings=True returns the list of str; otherwise the next-symbol task: x float32 [T-1, 7] one-hot over 'BTSXPVE' and y int64 [T-1]. See data.encoder('reber') and data.reber_next(s).") { a in
            try a.check(max: 4, keywords: ["n", "embedded", "seed", "strings"])
            let n = try a.int(0, "n", default: 100), s = try seed(a, 2)
            let strings = a.bool(1, "embedded", default: false)
                ? try Datasets.embeddedReber(count: n, seed: s) : try Datasets.reber(count: n, seed: s)
            return try sequenceResult(strings, .reber, a, stringsIndex: 3)
        }
        function(m, "reber_next", "reber_next(s)",
                 "For each prefix of a Reber string s (after each symbol), the string of symbols the grammar allows next (e.g. 'TP' after 'B'; '' after the final 'E'). ValueError if s leaves the grammar.") { a in
            try a.check(max: 1, keywords: ["s"])
            let s = try a.string(0, "s")
            guard let sets = Datasets.reberNextSymbols(s) else {
                throw ScriptError(.valueError, "reber_next(): '\(s)' is not a prefix of a Reber string (it must start with B and follow the grammar)")
            }
            return .list(sets.map { set in Value.str(String("BTSXPVE".filter { set.contains($0) })) })
        }
        function(m, "encoder", "encoder(alphabet)",
                 "A symbol encoder: 'anbn' (symbols 'ab'), 'reber' ('BTSXPVE') or any string of distinct symbols. Methods encode(s) → int64 [len], one_hot(s) → float32 [len, size], decode(ids) → str, next_symbol_task(strings) → (x, y).") { a in
            try a.check(max: 1, keywords: ["alphabet"])
            let name = try a.string(0, "alphabet")
            switch name {
            case "anbn": return encoderType.wrap(EncoderBox(.anbn))
            case "reber": return encoderType.wrap(EncoderBox(.reber))
            default: return encoderType.wrap(EncoderBox(try SymbolEncoder(alphabet: name)))
            }
        }
        function(m, "text", "text(name)",
                 "A text corpus as one str: 'crooked_man' (the nursery rhyme of the co-occurrence example), 'analogies' (generated sentences with country–capital and male–female relations, for word2vec analogies) or 'sonnets' (eight of Shakespeare's sonnets, for character models). Use data.words(text) and data.Vocabulary(text, level=...) to number its tokens.") { a in
            try a.check(max: 1, keywords: ["name"])
            return .str(try Datasets.text(try a.string(0, "name")))
        }
        m.addValue("text_names", doc: "The corpora text() knows.") { .list(Datasets.textCorpusNames.map { Value.str($0) }) }
        m.addValue("analogy_pairs", doc: "The word pairs of text('analogies') by relation: {'capital': [(country, capital), …], 'gender': [(male, female), …]}.") {
            let d = DictObj()
            for (relation, pairs) in Datasets.analogyPairs.sorted(by: { $0.key < $1.key }) {
                try? d.set(.str(relation), .list(pairs.map { Value.tuple([.str($0.0), .str($0.1)]) }))
            }
            return .obj(d)
        }
        function(m, "words", "words(text)", "The lower-case words of text (runs of letters, digits and apostrophes), as a list of str.") { a in
            try a.check(max: 1, keywords: ["text"])
            return .list(Vocabulary.words(try a.string(0, "text")).map { Value.str($0) })
        }
        installEncoderType(m)
        installVocabularyType(m)
    }

    private static func installEncoderType(_ m: BindingModule) {
        let t = encoderType
        func me(_ a: Arguments) throws -> SymbolEncoder { try a.receiver(EncoderBox.self, "an Encoder").encoder }
        t.methods["encode"] = NativeFunction("encode", "encode(s)", doc: "Symbol indices of s as int64 [len(s)].") { a in
            let ids = try me(a).indices(try a.string(1, "s"))
            return TensorBindings.wrap(try Tensor(ids.map { Int64($0) }, shape: [ids.count]))
        }
        t.methods["one_hot"] = NativeFunction("one_hot", "one_hot(s)", doc: "One-hot rows of s as float32 [len(s), size].") { a in
            let (values, shape) = try me(a).oneHot(try a.string(1, "s"))
            return TensorBindings.wrap(try Tensor(values, shape: shape))
        }
        t.methods["decode"] = NativeFunction("decode", "decode(ids)", doc: "The string for symbol indices (ints, a list or an int tensor).") { a in
            .str(try me(a).decode(try indexList(try a.required(1, "ids"), "decode() ids")))
        }
        t.methods["next_symbol_task"] = NativeFunction("next_symbol_task", "next_symbol_task(strings)",
                                                      doc: "The strings joined into one stream: x one-hot float32 [T-1, size], y int64 [T-1] the next symbol of each position.") { a in
            try pair(try me(a).nextSymbolTask(try stringList(try a.required(1, "strings"), "next_symbol_task() strings")))
        }
        t.properties["alphabet"] = NativeProperty("alphabet", doc: "The symbols in index order.") { o in
            .str(String((o.payload as? EncoderBox)?.encoder.alphabet ?? []))
        }
        t.properties["size"] = NativeProperty("size", doc: "Number of symbols.") { o in .int((o.payload as? EncoderBox)?.encoder.size ?? 0) }
        t.length = { o in (o.payload as? EncoderBox)?.encoder.size ?? 0 }
        t.repr = { o in "Encoder('\(String((o.payload as? EncoderBox)?.encoder.alphabet ?? []))')" }
        m.add(t)
    }

    private static func installVocabularyType(_ m: BindingModule) {
        let t = vocabularyType
        t.constructor = NativeFunction("Vocabulary", "Vocabulary(text, level='char')",
                                       doc: "Numbers the distinct characters (level='char') or words (level='word', see data.words) of text in order of first appearance; text may also be a list of tokens. encode(text) → int64 tensor, decode(ids) → str, len() tokens, .tokens list, .index(token).") { a in
            var a = a
            a.functionName = "Vocabulary"
            try a.check(max: 2, keywords: ["text", "level"])
            let levelName = try a.string(1, "level", default: "char")
            guard let level = Vocabulary.Level(rawValue: levelName) else {
                throw ScriptError(.valueError, "Vocabulary(): level must be 'char' or 'word', got '\(levelName)'")
            }
            let source = try a.required(0, "text")
            if let s = source.stringValue { return t.wrap(VocabularyBox(Vocabulary(text: s, level: level))) }
            return t.wrap(VocabularyBox(Vocabulary(tokens: try stringList(source, "Vocabulary() text"), level: level)))
        }
        func me(_ a: Arguments) throws -> Vocabulary { try a.receiver(VocabularyBox.self, "a Vocabulary").vocabulary }
        t.methods["encode"] = NativeFunction("encode", "encode(text)", doc: "Token indices of text (a str, or a list of tokens) as int64 [tokens].") { a in
            let v = try me(a), source = try a.required(1, "text")
            let ids = try source.stringValue.map { try v.encode($0) } ?? v.encode(tokens: try stringList(source, "encode() text"))
            return TensorBindings.wrap(try Tensor(ids.map { Int64($0) }, shape: [ids.count]))
        }
        t.methods["decode"] = NativeFunction("decode", "decode(ids)", doc: "The text for token indices: characters joined, words separated by spaces.") { a in
            .str(try me(a).decode(try indexList(try a.required(1, "ids"), "decode() ids")))
        }
        t.methods["index"] = NativeFunction("index", "index(token)", doc: "The index of token; ValueError if absent.") { a in
            let v = try me(a), token = try a.string(1, "token")
            guard let i = v.id(of: token) else { throw ScriptError(.valueError, "'\(token)' is not in the vocabulary") }
            return .int(i)
        }
        t.properties["tokens"] = NativeProperty("tokens", doc: "The tokens in index order.") { o in
            .list(((o.payload as? VocabularyBox)?.vocabulary.tokens ?? []).map { Value.str($0) })
        }
        t.length = { o in (o.payload as? VocabularyBox)?.vocabulary.count ?? 0 }
        t.repr = { o in
            guard let v = (o.payload as? VocabularyBox)?.vocabulary else { return "Vocabulary(?)" }
            return "Vocabulary(\(v.count) \(v.level == .char ? "characters" : "words"))"
        }
        m.add(t)
    }
}
