import Testing
@testable import Engine

@Suite struct DataTextTests {
    private func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    @Test func crookedManHasTheSeedsVocabulary() throws {
        // The 25 words of the course's co-occurrence matrix (seed 002).
        let vocabulary = "a all and bought cat caught crooked found he house in little lived man mile mouse sixpence stile there they together upon walked was who"
        let w = words(try Datasets.text("crooked_man"))
        #expect(Set(w) == Set(vocabulary.split(separator: " ").map(String.init)))
        #expect(w.filter { $0 == "crooked" }.count == 7)
        // "a crooked" occurs 6 times, as the matrix says.
        #expect(zip(w, w.dropFirst()).filter { $0 == "a" && $1 == "crooked" }.count == 6)
    }

    @Test func analogyCorpusEncodesItsRelations() throws {
        let text = try Datasets.text("analogies")
        #expect(text == Datasets.analogyCorpus())
        let lines = text.split(separator: "\n").map { words(String($0)) }
        #expect(lines.count == 4000)
        let vocabulary = Set(lines.joined())
        for (_, pairs) in Datasets.analogyPairs {
            for (a, b) in pairs { #expect(vocabulary.contains(a) && vocabulary.contains(b)) }
        }
        // Gendered words only ever share a sentence with their own pronoun.
        for line in lines {
            if line.contains("queen") { #expect(!line.contains("he") && !line.contains("his")) }
            if line.contains("king") { #expect(!line.contains("she") && !line.contains("her")) }
            if line.contains("french") { #expect(!line.contains("germany") && !line.contains("berlin")) }
        }
    }

    @Test func sonnetsLoadFromTheBundle() throws {
        let text = try Datasets.text("sonnets")
        #expect(text.hasPrefix("XVIII\n\nShall I compare thee to a summer's day?"))
        #expect(text.count > 4000)
        #expect(text.split(separator: "\n").filter { !$0.isEmpty }.count == 8 * 15)
        #expect(throws: DataError.self) { try Datasets.text("nope") }
    }
}
