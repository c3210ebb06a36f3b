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
        "capital": analogyCountries.map { ($0.country, $0.capital) },
        "gender": analogyGenders.map { ($0.male, $0.female) },
    ]

    /// Each country with its capital and its people's adjective, the context the pair shares.
    static let analogyCountries: [(country: String, capital: String, people: String)] = [
        ("france", "paris", "french"), ("germany", "berlin", "german"), ("italy", "rome", "italian"),
        ("spain", "madrid", "spanish"), ("japan", "tokyo", "japanese"), ("china", "beijing", "chinese"),
        ("russia", "moscow", "russian"), ("egypt", "cairo", "egyptian"), ("greece", "athens", "greek"),
        ("canada", "ottawa", "canadian"), ("kenya", "nairobi", "kenyan"), ("peru", "lima", "peruvian"),
    ]

    /// Male/female word pairs with the role word each pair shares.
    static let analogyGenders: [(male: String, female: String, role: String)] = [
        ("man", "woman", "adult"), ("king", "queen", "monarch"), ("boy", "girl", "child"),
        ("brother", "sister", "sibling"), ("father", "mother", "parent"), ("son", "daughter", "offspring"),
        ("uncle", "aunt", "relative"), ("husband", "wife", "spouse"), ("prince", "princess", "heir"),
    ]

    /// Builds the analogies corpus: `sentences` lines from fixed templates, drawn with a fixed
    /// private seed so the text never changes. Each pair shares a context word next to both words
    /// (the people's adjective, the role), while "city"/"country" and "he"/"she" contexts separate
    /// the two sides, so offsets like paris − france + germany point at berlin. (Checked with
    /// PPMI + SVD embeddings, window 2, 60 dimensions: all 132 capital and 72 gender analogies.)
    public static func analogyCorpus(sentences: Int = 4000) -> String {
        let g = RandomGenerator(seed: 0xA7A1_0615)
        func pick<T>(_ items: [T]) -> T { items[g.nextInt(below: items.count)] }
        let adjectives = ["happy", "tired", "hungry", "busy", "late", "early", "calm"]
        var lines: [String] = []
        lines.reserveCapacity(max(sentences, 0))
        for _ in 0..<max(sentences, 0) {
            if g.nextInt(below: 2) == 0 {
                let (country, capital, people) = pick(analogyCountries)
                lines.append([
                    "\(capital) is \(people) and it is a big city",
                    "the mayor of \(capital) walked through the city streets",
                    "the \(people) city \(capital) has a mayor",
                    "\(country) is \(people) and it is a big country",
                    "the border of \(country) is long",
                    "the \(people) country \(country) has a border",
                ][g.nextInt(below: 6)])
            } else {
                let (male, female, role) = pick(analogyGenders)
                let isFemale = g.nextInt(below: 2) == 1
                let word = isFemale ? female : male
                let (pronoun, possessive) = isFemale ? ("she", "her") : ("he", "his")
                let a = "aeiou".contains(role.prefix(1)) || role == "heir" ? "an" : "a"
                lines.append([
                    "the \(word) said that \(pronoun) was \(pick(adjectives))",
                    "the \(word) is \(a) \(role) and \(pronoun) is proud of it",
                    "\(possessive) family knows that \(pronoun) is a good \(word)",
                    "as \(a) \(role) the \(word) does what \(pronoun) must",
                ][g.nextInt(below: 4)])
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
