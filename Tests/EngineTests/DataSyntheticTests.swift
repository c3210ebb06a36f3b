import Foundation
import Testing
@testable import Engine

@Suite struct DataSyntheticTests {
    @Test func xorIsTheTruthTable() {
        let d = Datasets.xor()
        #expect(d.shape == [4, 2])
        for i in 0..<4 {
            let a = Int(d.features[2 * i]), b = Int(d.features[2 * i + 1])
            #expect(d.labels[i] == a ^ b)
        }
    }

    @Test func spiralsFollowLangAndWitbrock() throws {
        let d = try Datasets.spirals(count: 194, noise: 0, seed: 1)
        #expect(d.shape == [194, 2])
        #expect(d.labels.filter { $0 == 0 }.count == 97)
        // Lang & Witbrock: point i has angle iπ/16 and radius 6.5(104 − i)/104.
        for i in [0, 1, 17, 50, 96] {
            let phi = Double(i) * Double.pi / 16, r = 6.5 * Double(104 - i) / 104
            #expect(abs(Double(d.features[2 * i]) - r * sin(phi)) < 1e-5)
            #expect(abs(Double(d.features[2 * i + 1]) - r * cos(phi)) < 1e-5)
            // The second spiral is the first rotated by 180°.
            #expect(d.features[2 * (97 + i)] == -d.features[2 * i])
            #expect(d.labels[97 + i] == 1)
        }
        let noisy1 = try Datasets.spirals(count: 100, noise: 0.2, seed: 5)
        let noisy2 = try Datasets.spirals(count: 100, noise: 0.2, seed: 5)
        let noisy3 = try Datasets.spirals(count: 100, noise: 0.2, seed: 6)
        #expect(noisy1 == noisy2)
        #expect(noisy1 != noisy3)
        #expect(throws: DataError.self) { try Datasets.spirals(count: 1) }
        #expect(throws: DataError.self) { try Datasets.spirals(noise: -1) }
    }

    @Test func moonsMatchScikitLearn() throws {
        let reference = try loadJSONFixture("data/data_reference.json")
        let d = try Datasets.moons(count: 11, noise: 0)
        #expect(d.labels == ints(reference["moons_11_labels"]))
        let want = doubles(reference["moons_11"])
        #expect(want.count == 22)
        for (a, b) in zip(d.features, want) { #expect(abs(Double(a) - b) < 1e-6) }
        let noisy = try Datasets.moons(count: 200, noise: 0.1, seed: 3)
        #expect(noisy == (try Datasets.moons(count: 200, noise: 0.1, seed: 3)))
        #expect(noisy.labels.filter { $0 == 1 }.count == 100)
    }

    @Test func blobsCentreOnTheirCentres() throws {
        let centres: [[Float]] = [[0, 0], [5, 5], [-5, 3]]
        let d = try Datasets.blobs(count: 3001, centers: centres, std: 0.5, seed: 2)
        #expect(d.shape == [3001, 2])
        for (k, centre) in centres.enumerated() {
            let rows = d.labels.indices.filter { d.labels[$0] == k }
            #expect(rows.count == (k == 0 ? 1001 : 1000))
            for j in 0..<2 {
                let mean = rows.map { Double(d.features[2 * $0 + j]) }.reduce(0, +) / Double(rows.count)
                #expect(abs(mean - Double(centre[j])) < 0.05)
            }
        }
        let random = try Datasets.blobs(count: 90, centerCount: 4, dimensions: 3, seed: 8)
        #expect(random.shape == [90, 3])
        #expect(Set(random.labels) == [0, 1, 2, 3])
        #expect(random == (try Datasets.blobs(count: 90, centerCount: 4, dimensions: 3, seed: 8)))
        #expect(throws: DataError.self) { try Datasets.blobs(centers: [[0, 0], [1]]) }
        #expect(throws: DataError.self) { try Datasets.blobs(centers: []) }
    }

    @Test func sineWavesTargetsAreTheNextValues() throws {
        let d = try Datasets.sineWaves(count: 4, length: 30, step: 0.1, seed: 4)
        #expect(d.inputShape == [4, 30, 1] && d.targetShape == [4, 30, 1])
        for s in 0..<4 {
            for t in 0..<29 { #expect(d.targets[s * 30 + t] == d.inputs[s * 30 + t + 1]) }
        }
        #expect(d.inputs.allSatisfy { abs($0) <= 1 })
        #expect(d == (try Datasets.sineWaves(count: 4, length: 30, step: 0.1, seed: 4)))
        #expect(throws: DataError.self) { try Datasets.sineWaves(count: 2, length: 0) }
    }

    @Test func unseededDrawsFollowTheSharedGenerator() throws {
        RandomGenerator.shared.reseed(99)
        let a = try Datasets.moons(count: 20, noise: 0.3)
        RandomGenerator.shared.reseed(99)
        #expect(try Datasets.moons(count: 20, noise: 0.3) == a)
    }
}
