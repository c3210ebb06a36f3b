import Testing
@testable import Engine

@Suite(.serialized) struct InterruptionTests {
    @Test func takeConsumesTheFlag() {
        // Targeted at this thread only, so engine tests running in parallel are not interrupted.
        let me = Interruption.currentThread
        #expect(!Interruption.take())
        Interruption.request(thread: me)
        #expect(Interruption.isRequested)
        #expect(Interruption.take())
        #expect(!Interruption.take())
    }

    @Test func aRequestForAnotherThreadIsInvisibleHere() {
        Interruption.request(thread: Interruption.currentThread &+ 1)
        #expect(!Interruption.isRequested)
        #expect(!Interruption.take())
        Interruption.clear()
    }
}

@Suite struct RandomGeneratorTests {
    @Test func sameSeedSameNumbers() {
        let a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42)
        for _ in 0..<100 { #expect(a.nextUInt64() == b.nextUInt64()) }
        a.reseed(7); b.reseed(7)
        #expect(a.nextNormal() == b.nextNormal())
    }

    @Test func uniformsStayInRangeWithTheRightMean() {
        let g = RandomGenerator(seed: 1)
        var sum = 0.0
        for _ in 0..<100_000 {
            let f = g.nextFloat()
            #expect(f >= 0 && f < 1)
            sum += Double(f)
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.01)
    }

    @Test func normalsHaveUnitVariance() {
        let g = RandomGenerator(seed: 2)
        let xs = (0..<100_000).map { _ in g.nextNormal() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.02)
    }

    @Test func integersCoverTheRangeEvenly() {
        let g = RandomGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[g.nextInt(below: 6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        #expect(g.nextInt(below: 0) == 0)
        #expect(g.permutation(10).sorted() == Array(0..<10))
    }
}
