import Testing
@testable import Engine

@Suite struct VocabularyTests {
    @Test func wordsAreLowerCasedAndSplitOnPunctuation() {
        #expect(Vocabulary.words("He bought a crooked cat, who's here.") == ["he", "bought", "a", "crooked", "cat", "who's", "here"])
    }

    @Test func tokensAreNumberedByFirstAppearanceAndRoundTrip() throws {
        let v = Vocabulary(text: Datasets.crookedMan, level: .word)
        #expect(v.count == 25)
        #expect(v.tokens.prefix(4) == ["there", "was", "a", "crooked"])
        let ids = try v.encode("a crooked mouse")
        #expect(ids == [2, 3, v.id(of: "mouse")].compactMap { $0 })
        #expect(try v.decode(ids) == "a crooked mouse")
        let c = Vocabulary(text: "hello", level: .char)
        #expect(c.tokens == ["h", "e", "l", "o"])
        #expect(try c.decode(try c.encode("hole")) == "hole")
    }

    @Test func unknownTokensAndIndicesAreErrors() {
        let v = Vocabulary(text: "ab", level: .char)
        #expect(throws: DataError.self) { try v.encode("abc") }
        #expect(throws: DataError.self) { try v.decode([2]) }
        #expect(throws: DataError.self) { try v.decode([-1]) }
    }
}
