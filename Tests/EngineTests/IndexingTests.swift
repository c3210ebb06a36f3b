import Testing
@testable import Engine

@Suite struct IndexingTests {
    let m: Tensor = { (try? Tensor.arange(0, 12).reshape([3, 4])) ?? Tensor(scalar: Int64(0)) }()

    @Test func intsSlicesNoneAndEllipsis() throws {
        #expect(try m.index([.int(1)]).int64Array() == [4, 5, 6, 7])
        #expect(try m.index([.int(-1), .int(-1)]).item() == 11)
        #expect(try m.index([.all, .slice(start: 1, end: nil, step: 2)]).int64Array() == [1, 3, 5, 7, 9, 11])
        #expect(try m.index([.slice(start: -2, end: nil, step: nil)]).shape == [2, 4])
        #expect(try m.index([.newAxis, .ellipsis, .int(0)]).shape == [1, 3])
        #expect(try m.index([.ellipsis, .newAxis]).shape == [3, 4, 1])
        #expect(try m.index([.slice(start: 5, end: 9, step: nil)]).shape == [0, 4])
        #expect(try m.index([.int(0)]).storage === m.storage)
        #expect(try m.index([.slice(start: Int.min, end: Int.max, step: Int.max)]).int64Array() == [0, 1, 2, 3])
        #expect(try m.index([.int(1), .slice(start: nil, end: nil, step: 3)]).int64Array() == [4, 7])
    }

    @Test func tensorAndMaskIndexing() throws {
        let rows = try Tensor([2, 0] as [Int64], shape: [2])
        #expect(try m.index([.tensor(rows)]).int64Array() == [8, 9, 10, 11, 0, 1, 2, 3])
        let cols = try Tensor([1, 3] as [Int64], shape: [2])
        #expect(try m.index([.tensor(rows), .tensor(cols)]).int64Array() == [9, 3])
        #expect(try m.index([.all, .tensor(cols)]).shape == [3, 2])
        #expect(try m.index([.all, .tensor(cols)]).int64Array() == [1, 3, 5, 7, 9, 11])
        let mask = try m.gt(Tensor(scalar: Int64(8)))
        #expect(try m.index([.tensor(mask)]).int64Array() == [9, 10, 11])
        let rowMask = try Tensor([true, false, true], shape: [3])
        #expect(try m.index([.tensor(rowMask), .int(0)]).int64Array() == [0, 8])
    }

    @Test func assignment() throws {
        let x = try Tensor.zeros([3, 4])
        try x.indexPut([.int(0)], Tensor(scalar: Float(1)))
        try x.indexPut([.all, .int(3)], Tensor([7, 8, 9] as [Float], shape: [3]))
        try x.indexPut([.tensor(x.eq(Tensor(scalar: Float(8))))], Tensor(scalar: Float(-1)))
        try x.indexPut([.tensor(Tensor([2] as [Int64], shape: [1])), .tensor(Tensor([0] as [Int64], shape: [1]))], Tensor(scalar: Float(5)))
        #expect(x.floatArray() == [1, 1, 1, 7, 0, 0, 0, -1, 5, 0, 0, 9])
        let before = x.storage.version
        try x.indexPut([.int(1), .int(1)], Tensor(scalar: Float(2)))
        #expect(x.storage.version > before)
    }

    @Test func badIndicesAreIndexErrors() {
        func isIndex(_ e: any Error) -> Bool { (e as? EngineError)?.kind == .index }
        #expect { try m.index([.int(3)]) } throws: { isIndex($0) }
        #expect { try m.index([.int(0), .int(0), .int(0)]) } throws: { isIndex($0) }
        #expect { try m.index([.tensor(Tensor([5] as [Int64], shape: [1]))]) } throws: { isIndex($0) }
        #expect { try m.index([.tensor(Tensor([0.5] as [Float], shape: [1]))]) } throws: { isIndex($0) }
        #expect { try m.index([.ellipsis, .ellipsis]) } throws: { isIndex($0) }
        #expect { try m.index([.slice(start: nil, end: nil, step: 0)]) } throws: { ($0 as? EngineError)?.kind == .value }
        #expect { try m.narrow(0, start: 2, length: 5) } throws: { isIndex($0) }
        #expect { try m.narrow(0, start: 1, length: Int.max) } throws: { isIndex($0) }
        #expect { try m.index([.int(Int.min)]) } throws: { isIndex($0) }
    }
}

@Suite struct OpErrorTests {
    func kind(_ body: () throws -> Any) -> EngineError.Kind? {
        do { _ = try body(); return nil } catch { return (error as? EngineError)?.kind }
    }

    @Test func shapeErrorsNameTheOpAndBothShapes() throws {
        #expect(throws: EngineError(.shape, "matmul: cannot multiply [2, 3] by [4, 5]")) {
            try Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
        }
        #expect(throws: EngineError(.shape, "cat: shapes [2, 3] and [2, 4] differ outside dimension 0")) {
            try Tensor.cat([Tensor.zeros([2, 3]), Tensor.zeros([2, 4])])
        }
        #expect(throws: EngineError(.shape, "linear: input of shape [5, 4] does not match weight of shape [3, 5] (expected last input dimension 5)")) {
            try Functional.linear(Tensor.zeros([5, 4]), Tensor.zeros([3, 5]))
        }
        #expect(kind { try Tensor.stack([Tensor.zeros([2]), Tensor.zeros([3])]) } == .shape)
        #expect(kind { try Functional.conv2d(Tensor.zeros([1, 3, 5, 5]), Tensor.zeros([2, 2, 3, 3])) } == .shape)
        #expect(kind { try Functional.conv2d(Tensor.zeros([1, 1, 2, 2]), Tensor.zeros([1, 1, 3, 3])) } == .shape)
        #expect(kind { try Functional.conv2d(Tensor.zeros([3, 3]), Tensor.zeros([1, 1, 3, 3])) } == .shape)
        #expect(kind { try Functional.maxPool2d(Tensor.zeros([1, 1, 1, 1]), kernel: (2, 2)) } == .shape)
        #expect(kind { try Tensor.where(Tensor.zeros([2], dtype: .bool), Tensor.zeros([3]), Tensor.zeros([2])) } == .shape)
        #expect(kind { try Tensor.ones([3]).backward(gradient: Tensor.ones([2])) } == .runtime)
    }

    @Test func valueAndTypeErrors() throws {
        #expect(kind { try Functional.embedding(Tensor.zeros([2]), Tensor.zeros([4, 2])) } == .type)
        #expect(kind { try Functional.embedding(Tensor([9] as [Int64], shape: [1]), Tensor.zeros([4, 2])) } == .index)
        #expect(kind { try Functional.dropout(Tensor.zeros([2]), p: 1.5) } == .value)
        #expect(kind { try Functional.pad(Tensor.zeros([2]), [1]) } == .value)
        #expect(kind { try Functional.maxPool2d(Tensor.zeros([1, 1, 4, 4]), kernel: (2, 2), padding: (2, 2)) } == .value)
        #expect(kind { try Tensor.zeros([2]).clamp() } == .value)
        #expect(kind { try Tensor.arange(0, 1, step: 0) } == .value)
        #expect(kind { try Tensor.randint(5, 5, [2]) } == .value)
        #expect(kind { try Tensor.cat([]) } == .value)
        #expect(kind { try Tensor.zeros([0]).max() } == .runtime)
        #expect(kind { try Tensor.zeros([2, 0]).max(dim: 1) } == .index)
    }

    @Test func dropoutScalesAndIsSeeded() throws {
        let x = try Tensor.ones([10_000])
        // Own generators: tests run in parallel, and the shared one belongs to one execution thread.
        let a = try Functional.dropout(x, p: 0.25, generator: RandomGenerator(seed: 3))
        let b = try Functional.dropout(x, p: 0.25, generator: RandomGenerator(seed: 3))
        #expect(a.floatArray() == b.floatArray())
        let values = Set(a.floatArray())
        #expect(values.isSubset(of: [0, Float(1 / 0.75)]))
        let kept = a.floatArray().filter { $0 != 0 }.count
        #expect(abs(kept - 7500) < 300)
        #expect(try Functional.dropout(x, p: 0.5, training: false) === x)
    }
}
