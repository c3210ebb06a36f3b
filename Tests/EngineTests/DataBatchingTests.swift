import Testing
@testable import Engine

@Suite struct DataBatchingTests {
    @Test func trainTestSplitPartitionsLikeScikitLearn() throws {
        let (train, test) = try Datasets.trainTestSplit(count: 10, testSize: 0.25, seed: 1)
        #expect(test.count == 3 && train.count == 7) // ceil(2.5) = 3, as scikit-learn
        #expect(Set(train + test) == Set(0..<10))
        #expect(try Datasets.trainTestSplit(count: 10, testSize: 0.25, seed: 1) == (train, test))
        #expect(throws: DataError.self) { try Datasets.trainTestSplit(count: 10, testSize: 1.5) }
        #expect(throws: DataError.self) { try Datasets.trainTestSplit(count: 1, testSize: 0.5) }
    }

    @Test func loaderKeepsThePartialBatchAndReshufflesEachEpoch() throws {
        let loader = try DataLoader(count: 10, batchSize: 4, shuffle: true, seed: 3)
        #expect(loader.batchCount == 3)
        let e1 = loader.nextEpoch(), e2 = loader.nextEpoch()
        #expect(e1.map(\.count) == [4, 4, 2])
        #expect(e1.joined().sorted() == Array(0..<10) && e2.joined().sorted() == Array(0..<10))
        #expect(e1 != e2)
        let again = try DataLoader(count: 10, batchSize: 4, shuffle: true, seed: 3)
        #expect(again.nextEpoch() == e1 && again.nextEpoch() == e2)
        let ordered = try DataLoader(count: 5, batchSize: 2)
        #expect(ordered.nextEpoch() == [[0, 1], [2, 3], [4]])
        let dropping = try DataLoader(count: 5, batchSize: 2, dropLast: true)
        #expect(dropping.nextEpoch() == [[0, 1], [2, 3]])
        #expect(throws: DataError.self) { try DataLoader(count: 5, batchSize: 0) }
        #expect(try DataLoader(count: 0, batchSize: 3).nextEpoch().isEmpty)
    }

    @Test func accuracyCountsMatches() throws {
        #expect(try Metrics.accuracy(predictions: [0, 1, 2, 2], labels: [0, 1, 1, 2]) == 0.75)
        #expect(throws: DataError.self) { try Metrics.accuracy(predictions: [0], labels: [0, 1]) }
        #expect(throws: DataError.self) { try Metrics.accuracy(predictions: [], labels: []) }
        let classes = try Metrics.predictedClasses(scores: [0.1, 0.7, 0.2, 0.5, 0.4, 0.1], shape: [2, 3])
        #expect(classes == [1, 0])
        #expect(try Metrics.predictedClasses(scores: [0.2, 0.9], shape: [2, 1]) == [0, 1])
        #expect(try Metrics.predictedClasses(scores: [-0.2, 0.1], shape: [2], logits: true) == [0, 1])
        #expect(throws: DataError.self) { try Metrics.predictedClasses(scores: [1, 2, 3], shape: [2, 2]) }
    }
}
