import Foundation
import Testing
@testable import Engine

@Suite struct DataBundledTests {
    @Test func digitsMatchScikitLearn() throws {
        let ref = try #require(try loadJSONFixture("data/data_reference.json")["digits"] as? [String: Any])
        let d = try Datasets.digits()
        #expect(d.shape == [1797, 8, 8])
        #expect(d.labels.count == 1797)
        #expect(d.features.allSatisfy { $0 >= 0 && $0 <= 1 })
        let pixels = d.features.map { Int(($0 * 16).rounded()) }
        #expect(pixels.reduce(0, +) == (ref["pixel_sum"] as? Int))
        #expect(Array(pixels[0..<64]) == ints(ref["first_image"]))
        var counts = [Int](repeating: 0, count: 10)
        for l in d.labels { counts[l] += 1 }
        #expect(counts == ints(ref["label_counts"]))
        #expect(d.labels.last == (ref["last_label"] as? Int))
        let weighted = (0..<1797).reduce(0) { $0 + ($1 + 1) * pixels[$1 * 64..<($1 + 1) * 64].reduce(0, +) }
        #expect(weighted == (ref["weighted_checksum"] as? Int))
        let scaled = d.features.reduce(0.0) { $0 + Double($1) }
        #expect(abs(scaled - ((ref["scaled_sum"] as? Double) ?? 0)) < 1e-6)
    }

    @Test func irisMatchesScikitLearn() throws {
        let ref = try #require(try loadJSONFixture("data/data_reference.json")["iris"] as? [String: Any])
        let d = try Datasets.iris()
        #expect(d.shape == [150, 4])
        let sums = (0..<4).map { c in (0..<150).reduce(0.0) { $0 + Double(d.features[$1 * 4 + c]) } }
        for (a, b) in zip(sums, doubles(ref["column_sums"])) { #expect(abs(a - b) < 1e-3) }
        #expect((0..<3).map { k in d.labels.filter { $0 == k }.count } == ints(ref["label_counts"]))
        for (a, b) in zip(d.features[0..<4], doubles(ref["first_row"])) { #expect(abs(Double(a) - b) < 1e-6) }
        for (a, b) in zip(d.features[400..<404], doubles(ref["row_100"])) { #expect(abs(Double(a) - b) < 1e-6) }
    }

    @Test func karateClubMatchesNetworkx() throws {
        let ref = try #require(try loadJSONFixture("data/data_reference.json")["karate"] as? [String: Any])
        let (adjacency, shape, labels) = Datasets.karateClub()
        #expect(shape == [34, 34])
        #expect(Datasets.karateEdges.count == 78)
        let edges = try #require(ref["edges"] as? [[Int]])
        #expect(Datasets.karateEdges.map { [$0.0, $0.1] } == edges)
        let degrees = (0..<34).map { r in Int((0..<34).reduce(Float(0)) { $0 + adjacency[r * 34 + $1] }) }
        #expect(degrees == ints(ref["degrees"]))
        #expect(labels == ints(ref["officer"]))
        for i in 0..<34 {
            #expect(adjacency[i * 34 + i] == 0)
            for j in 0..<34 { #expect(adjacency[i * 34 + j] == adjacency[j * 34 + i]) }
        }
        // Mr. Hi is member 0 and the officer (John A.) member 33.
        #expect(labels[0] == 0 && labels[33] == 1)
    }

    @Test func missingResourcesGiveAClearError() throws {
        do {
            _ = try DataResources.url("no-such-file.bin")
            Issue.record("a missing resource was found")
        } catch let e as DataError {
            #expect(e.message.contains("data file no-such-file.bin is missing"))
            #expect(e.message.contains("MYELIN_DATA_DIR"))
        }
    }
}
