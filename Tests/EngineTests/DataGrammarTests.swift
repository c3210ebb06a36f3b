import Testing
@testable import Engine

@Suite struct DataGrammarTests {
    @Test func anbnStringsHaveEqualCounts() throws {
        let strings = try Datasets.anbn(count: 200, minN: 1, maxN: 6, seed: 3)
        #expect(strings.count == 200)
        var lengths = Set<Int>()
        for s in strings {
            let n = s.prefix { $0 == "a" }.count
            #expect(s == String(repeating: "a", count: n) + String(repeating: "b", count: n))
            lengths.insert(n)
        }
        #expect(lengths == Set(1...6))
        #expect(try Datasets.anbn(count: 200, minN: 1, maxN: 6, seed: 3) == strings)
        #expect(throws: DataError.self) { try Datasets.anbn(count: 3, minN: 5, maxN: 2) }
    }

    @Test func reberStringsAreGrammatical() throws {
        let strings = try Datasets.reber(count: 300, seed: 1)
        for s in strings {
            let next = try #require(Datasets.reberNextSymbols(s))
            #expect(s.first == "B" && s.last == "E")
            #expect(next.last == [])
        }
        #expect(Set(strings).count > 20)
        #expect(Datasets.reberNextSymbols("BTXXE") == nil)
        #expect(Datasets.reberNextSymbols("BTXSEE") == nil)
        #expect(Datasets.reberNextSymbols("BTSXSE")?[1] == ["S", "X"])
        #expect(Datasets.reberNextSymbols("BPVVE")?[3] == ["E"])
    }

    @Test func embeddedReberRepeatsItsBranch() throws {
        for s in try Datasets.embeddedReber(count: 200, seed: 2) {
            let chars = Array(s)
            #expect(chars.count >= 9)
            #expect(chars[0] == "B" && chars.last == "E")
            #expect(chars[1] == chars[chars.count - 2])
            #expect(chars[1] == "T" || chars[1] == "P")
            #expect(Datasets.reberNextSymbols(String(chars[2..<chars.count - 2])) != nil)
        }
    }

    @Test func encoderRoundTripsAndRejectsUnknownSymbols() throws {
        let enc = SymbolEncoder.reber
        let (values, shape) = try enc.oneHot("BTSSXXTVVE")
        #expect(shape == [10, 7])
        #expect(values.reduce(0, +) == 10)
        #expect(Array(values[7..<14]) == [0, 1, 0, 0, 0, 0, 0]) // T
        #expect(try enc.decode(enc.indices("BPVVE")) == "BPVVE")
        #expect(throws: DataError("symbol \"Q\" is not in the alphabet \"BTSXPVE\"")) { try enc.indices("BQ") }
        #expect(throws: DataError.self) { try enc.decode([7]) }
        #expect(throws: DataError.self) { try SymbolEncoder(alphabet: "aa") }
        #expect(try SymbolEncoder.anbn.indices("aabb") == [0, 0, 1, 1])
    }

    @Test func nextSymbolTaskShiftsByOne() throws {
        let d = try SymbolEncoder.anbn.nextSymbolTask(["ab", "aabb"])
        #expect(d.shape == [5, 2])
        #expect(d.labels == [1, 0, 0, 1, 1]) // a b | a a b b → next symbols
        #expect(d.features == [1, 0, 0, 1, 1, 0, 1, 0, 0, 1])
        #expect(throws: DataError.self) { try SymbolEncoder.anbn.nextSymbolTask(["a"]) }
    }
}
