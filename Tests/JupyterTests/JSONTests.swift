import Testing
@testable import Jupyter

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSON.parse(#"{"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00\n"}"#)
        #expect(value["a"] == [1, -2500.0, true, false, nil])
        #expect(value["b"]?.stringValue == "x\"é😀\n")
    }

    @Test func keepsIntegersAndDoublesApart() throws {
        #expect(try JSON.parse("1") == .int(1))
        #expect(try JSON.parse("1.0") == .double(1.0))
        #expect(try JSON.parse("1e2") == .double(100))
        #expect(try JSON.parse("true") == .bool(true))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"\\x\"", "\"abc", "nul", "[1] 2", "\"\u{01}\"", "-", "1.", "1e"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func rejectsHostileNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSON.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSON.parse(#""\udc00""#) == .string("\u{FFFD}"))
    }

    @Test func serializesWithSortedKeysAndEscapes() throws {
        let value: JSON = ["b": 1, "a": ["x\n\u{01}", 2.5, nil]]
        #expect(value.serialized() == #"{"a":["x\n\u0001",2.5,null],"b":1}"#)
        #expect(try JSON.parse(value.serialized()) == value)
        #expect(JSON.double(.nan).serialized() == "null")
    }

    @Test func prettyMatchesNbformatLayout() {
        let value: JSON = ["cells": [], "nbformat": 4, "metadata": ["k": "v"]]
        #expect(value.pretty() == "{\n \"cells\": [],\n \"metadata\": {\n  \"k\": \"v\"\n },\n \"nbformat\": 4\n}")
    }

    @Test func intValueAcceptsWholeDoubles() {
        #expect(JSON.double(5.0).intValue == 5)
        #expect(JSON.double(5.5).intValue == nil)
        #expect(JSON.string("5").intValue == nil)
    }
}
