import Testing
@testable import Engine

/// gather/sort/topk, floor division/remainder/bitwise and in-place updates (new ops of the bindings
/// work): hand-computed values and central-difference gradients.
@Suite struct GatherSortTests {
    @Test func gatherPicksAlongADimension() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let rows = try x.gather(dim: 0, index: Tensor([1, 0, 1] as [Int64], shape: [1, 3]))
        #expect(rows.floatArray() == [4, 2, 6] && rows.shape == [1, 3])
        let cols = try x.gather(dim: 1, index: Tensor([2, 2, 0, -1] as [Int64], shape: [2, 2]))
        #expect(cols.floatArray() == [3, 3, 4, 6])
        #expect(throws: EngineError.self) { try x.gather(dim: 1, index: Tensor([3] as [Int64], shape: [1, 1])) }
        #expect(throws: EngineError.self) { try x.gather(dim: 1, index: Tensor([0, 1] as [Int64], shape: [2])) }
        // non-contiguous input
        let t = try x.transpose(0, 1).gather(dim: 1, index: Tensor([1, 0, 1] as [Int64], shape: [3, 1]))
        #expect(t.floatArray() == [4, 2, 6])
    }

    @Test func sortIsStableAndTopkTakesTheLargest() throws {
        let x = try Tensor([3, 1, 2, 1] as [Float], shape: [4])
        let (v, i) = try x.sort()
        #expect(v.floatArray() == [1, 1, 2, 3] && i.int64Array() == [1, 3, 2, 0])
        let d = try x.sort(descending: true)
        #expect(d.values.floatArray() == [3, 2, 1, 1] && d.indices.int64Array() == [0, 2, 1, 3])
        let m = try Tensor([5, 1, 4, 2, 8, 0] as [Float], shape: [2, 3])
        let cols = try m.sort(dim: 0)
        #expect(cols.values.floatArray() == [2, 1, 0, 5, 8, 4] && cols.indices.int64Array() == [1, 0, 1, 0, 1, 0])
        let top = try m.topk(2)
        #expect(top.values.floatArray() == [5, 4, 8, 2] && top.indices.int64Array() == [0, 2, 1, 0])
        #expect(try m.topk(1, largest: false).values.floatArray() == [1, 0])
        #expect(throws: EngineError.self) { try m.topk(4) }
    }

    @Test func integerOpsFollowPython() throws {
        let a = try Tensor([7, -7, 7, -7] as [Int64], shape: [4]), b = try Tensor([2, 2, -2, -2] as [Int64], shape: [4])
        #expect(try a.floorDivide(b).int64Array() == [3, -4, -4, 3])
        #expect(try a.remainder(b).int64Array() == [1, 1, -1, -1])
        let f = try Tensor([7.5, -7.5] as [Float], shape: [2])
        #expect(try f.remainder(Tensor(scalar: Float(2))).floatArray() == [1.5, 0.5])
        #expect(try f.floorDivide(Tensor(scalar: Float(2))).floatArray() == [3, -4])
        #expect(throws: EngineError.self) { try a.floorDivide(Tensor(scalar: Int64(0))) }
        #expect(try a.bitwise(.and, Tensor(scalar: Int64(3))).int64Array() == [3, 1, 3, 1])
        #expect(try Tensor([true, false], shape: [2]).bitwise(.xor, Tensor(scalar: true)).boolArray() == [false, true])
        #expect(throws: EngineError.self) { try f.bitwise(.or, f) }
    }

    @Test func inPlaceUpdatesWriteThroughViews() throws {
        let base = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let col = try withNoGrad { try base.index([.all, .int(1)]) }
        try col.applyInPlace(.add, Tensor(scalar: Float(10)))
        #expect(base.floatArray() == [1, 12, 3, 14])
        try base.applyInPlace(.mul, Tensor([2, 3] as [Float], shape: [2]))
        #expect(base.floatArray() == [2, 36, 6, 42])
        try base.applyInPlace(.div, Tensor(scalar: Float(2)))
        #expect(base.floatArray() == [1, 18, 3, 21])
        #expect(throws: EngineError.self) { try base.applyInPlace(.add, Tensor.zeros([3])) }
        #expect(throws: EngineError.self) { try Tensor([1] as [Int64], shape: [1]).applyInPlace(.add, Tensor(scalar: Float(0.5))) }
        let leaf = try Tensor([1] as [Float], shape: [1]).requiresGrad_()
        #expect(throws: EngineError.self) { try leaf.applyInPlace(.sub, Tensor(scalar: Float(1))) }
        try withNoGrad { try leaf.applyInPlace(.sub, Tensor(scalar: Float(1))) }
        #expect(leaf.floatArray() == [0] && leaf.isLeaf && leaf.requiresGrad)
    }

    @Test func gradientsOfGatherSortAndRemainder() throws {
        func leaf(_ shape: [Int], _ seed: UInt64) throws -> Tensor {
            try Tensor.rand(shape, generator: RandomGenerator(seed: seed)).mul(Tensor(scalar: Float(4))).sub(Tensor(scalar: Float(2))).requiresGrad_()
        }
        let index = try Tensor([2, 0, 0, 1, 1, 1] as [Int64], shape: [2, 3])
        #expect(try gradcheck({ try $0[0].gather(dim: 1, index: index) }, [leaf([2, 4], 1)]).passed)
        #expect(try gradcheck({ try $0[0].transpose(0, 1).gather(dim: 0, index: index) }, [leaf([3, 3], 2)]).passed)
        #expect(try gradcheck({ try $0[0].sort(dim: 1, descending: true).values }, [leaf([2, 5], 3)]).passed)
        #expect(try gradcheck({ try $0[0].topk(2, dim: 0).values }, [leaf([4, 2], 4)]).passed)
        // remainder away from its jumps: x in (0.1, 0.9) + k, divisor 1.5 < ... keep inputs where floor is constant
        let x = try Tensor([0.3, 1.2, 2.6] as [Float], shape: [3]).requiresGrad_(), d = try Tensor([1.0, 1.0, 1.0] as [Float], shape: [3]).requiresGrad_()
        #expect(try gradcheck({ try $0[0].remainder($0[1]) }, [x, d]).passed)
    }
}
