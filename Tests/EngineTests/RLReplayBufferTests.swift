import Testing
@testable import Engine

@Suite struct ReplayBufferTests {
    private func filled(capacity: Int, pushes: Int) throws -> ReplayBuffer {
        let buffer = try ReplayBuffer(capacity: capacity)
        for i in 0..<pushes {
            let f = Float(i)
            try buffer.push(observation: [f, -f], action: i % 3, reward: Double(i) / 2,
                            nextObservation: [f + 1, -f - 1], done: i % 4 == 0)
        }
        return buffer
    }

    @Test func sampleReturnsConsistentColumns() throws {
        let buffer = try filled(capacity: 10, pushes: 7)
        #expect(buffer.count == 7)
        let batch = try buffer.sample(5, using: RandomGenerator(seed: 1))
        #expect(batch.observationShape == [5, 2])
        #expect(batch.observations.count == 10 && batch.nextObservations.count == 10)
        var seen = Set<Int>()
        for j in 0..<5 {
            let i = Int(batch.observations[2 * j])
            seen.insert(i)
            #expect(batch.observations[2 * j + 1] == -Float(i))
            #expect(batch.nextObservations[2 * j] == Float(i + 1))
            #expect(batch.actions[j] == i % 3)
            #expect(batch.rewards[j] == Float(i) / 2)
            #expect(batch.dones[j] == (i % 4 == 0 ? 1 : 0))
        }
        #expect(seen.count == 5) // distinct transitions
        #expect(try buffer.sample(5, using: RandomGenerator(seed: 1)) == batch)
    }

    @Test func ringBufferOverwritesOldest() throws {
        let buffer = try filled(capacity: 4, pushes: 10)
        #expect(buffer.count == 4)
        let all = try buffer.sample(4, using: RandomGenerator(seed: 2))
        let kept = Set(stride(from: 0, to: 8, by: 2).map { Int(all.observations[$0]) })
        #expect(kept == [6, 7, 8, 9])
        buffer.clear()
        #expect(buffer.count == 0)
    }

    @Test func errorsAreClear() throws {
        let buffer = try filled(capacity: 4, pushes: 2)
        do {
            _ = try buffer.sample(3)
            Issue.record("sampling 3 of 2 succeeded")
        } catch let e as ReplayBufferError {
            #expect(e.description.contains("cannot sample 3 transitions, only 2 stored"))
        }
        #expect(throws: ReplayBufferError.observationSize(expected: 2, got: 3)) {
            try buffer.push(observation: [1, 2, 3], action: 0, reward: 0, nextObservation: [1, 2, 3], done: false)
        }
        #expect(throws: ReplayBufferError.invalidCapacity(0)) { try ReplayBuffer(capacity: 0) }
        #expect(throws: ReplayBufferError.self) { try ReplayBuffer(capacity: 4, observationShape: [Int.max, 3]) }
        #expect(throws: ReplayBufferError.invalidBatchSize(0)) { try buffer.sample(0) }
    }

    @Test func floydSamplingIsUniformAndDistinct() throws {
        let buffer = try ReplayBuffer(capacity: 10)
        let g = RandomGenerator(seed: 5)
        var hits = [Int](repeating: 0, count: 10)
        for _ in 0..<20_000 {
            let picks = buffer.distinctIndices(3, below: 10, using: g)
            #expect(Set(picks).count == 3 && picks.allSatisfy { (0..<10).contains($0) })
            for p in picks { hits[p] += 1 }
        }
        // Each index is chosen with probability 3/10: 6000 expected, σ ≈ 65.
        #expect(hits.allSatisfy { abs($0 - 6000) < 350 })
    }
}
