/// Text corpora for word-embedding and character-level language-model topics.
extension Datasets {
    /// The names `text(_:)` accepts.
    public static let textCorpusNames = ["crooked_man", "analogies", "sonnets"]

    /// A corpus by name:
    /// - `crooked_man`: the nursery rhyme of the course's co-occurrence example (traditional).
    /// - `analogies`: a generated corpus (one sentence per line) whose words stand in the relations of
    ///   `analogyPairs` (country–capital, male–female), for word2vec analogies; always the same text.
    /// - `sonnets`: eight of Shakespeare's sonnets (1609, public domain), for character models.
    public static func text(_ name: String) throws -> String {
        switch name {
        case "crooked_man": return crookedMan
        case "analogies": return analogyCorpus()
        case "sonnets": return try DataResources.text("sonnets.txt")
        default:
            throw DataError("unknown text corpus \"\(name)\"; choose one of \(textCorpusNames.joined(separator: ", "))")
        }
    }

    /// The rhyme as the course's co-occurrence matrix tabulates it (its 25 distinct words).
    public static let crookedMan = """
        There was a crooked man who walked a crooked mile and found a crooked sixpence upon a \
        crooked stile. He bought a crooked cat who caught a crooked mouse and they all lived \
        together in a little crooked house.
        """

    /// The word pairs the analogies corpus encodes, by relation.
    public static let analogyPairs: [String: [(String, String)]] = [
        "capital": [("france", "paris"), ("germany", "berlin"), ("italy", "rome"), ("spain", "madrid"),
                    ("japan", "tokyo"), ("china", "beijing"), ("russia", "moscow"), ("egypt", "cairo"),
                    ("greece", "athens"), ("canada", "ottawa"), ("kenya", "nairobi"), ("peru", "lima")],
        "gender": [("man", "woman"), ("king", "queen"), ("boy", "girl"), ("brother", "sister"),
                   ("father", "mother"), ("son", "daughter"), ("uncle", "aunt"), ("husband", "wife"),
                   ("prince", "princess")],
    ]

    /// Builds the analogies corpus: `sentences` lines from fixed templates, drawn with a fixed
    /// private seed so the text never changes.
    public static func analogyCorpus(sentences: Int = 4000) -> String {
        let g = RandomGenerator(seed: 0xA7A1_0615)
        let capitals = analogyPairs["capital"] ?? []
        let genders = analogyPairs["gender"] ?? []
        let royals: Set<String> = ["king", "queen", "prince", "princess"]
        let young: Set<String> = ["boy", "girl", "son", "daughter", "prince", "princess"]
        func pick<T>(_ items: [T]) -> T { items[g.nextInt(below: items.count)] }
        let adjectives = ["happy", "tired", "hungry", "busy", "late", "early", "calm"]
        let verbs = ["visited", "left", "loved", "remembered", "described"]

        var lines: [String] = []
        lines.reserveCapacity(sentences)
        for _ in 0..<max(sentences, 0) {
            if g.nextInt(below: 2) == 0 {
                let (country, capital) = pick(capitals)
                let (_, other) = pick(capitals)
                switch g.nextInt(below: 5) {
                case 0: lines.append("\(capital) is the capital of \(country)")
                case 1: lines.append("the capital of \(country) is the city of \(capital)")
                case 2: lines.append("the government of \(country) sits in \(capital)")
                case 3: lines.append("we \(pick(verbs)) the city of \(capital) and then \(other)")
                default: lines.append("\(country) is a country and \(capital) is its capital city")
                }
            } else {
                let pair = pick(genders)
                let female = g.nextInt(below: 2) == 1
                let word = female ? pair.1 : pair.0
                let (pronoun, possessive) = female ? ("she", "her") : ("he", "his")
                var choices = [
                    "the \(word) said that \(pronoun) was \(pick(adjectives))",
                    "the \(word) smiled and \(pronoun) waved at \(possessive) friend",
                    "\(possessive) name is known because \(pronoun) is a \(word)",
                ]
                if royals.contains(word) {
                    choices.append("the \(word) wears a crown in the royal palace")
                    choices.append("the \(word) rules the kingdom from the throne")
                } else {
                    choices.append("the \(word) is part of the family")
                }
                if young.contains(word) { choices.append("the young \(word) played with \(possessive) toys") }
                lines.append(pick(choices))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
