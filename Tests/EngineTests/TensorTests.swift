import Testing
@testable import Engine

@Suite struct TensorCoreTests {
    @Test func literalInfersDtypeAndShape() throws {
        let a = try Tensor.from(.list([.list([.int(1), .int(2)]), .list([.int(3), .int(4)])]))
        #expect(a.dtype == .int64 && a.shape == [2, 2])
        #expect(a.int64Array() == [1, 2, 3, 4])
        let b = try Tensor.from(.list([.int(1), .float(2.5)]))
        #expect(b.dtype == .float32 && b.floatArray() == [1, 2.5])
        #expect(try Tensor.from(.list([.bool(true)])).dtype == .bool)
    }

    @Test func raggedLiteralIsAValueError() {
        #expect(throws: EngineError(.value, "tensor: expected sequence of length 2 at dim 1 (got 1)")) {
            try Tensor.from(.list([.list([.int(1), .int(2)]), .list([.int(3)])]))
        }
    }

    @Test func creationFunctions() throws {
        #expect(try Tensor.eye(2, 3).floatArray() == [1, 0, 0, 0, 1, 0])
        #expect(try Tensor.arange(0, 5, step: 2).int64Array() == [0, 2, 4])
        #expect(try Tensor.arange(0, 1, step: 0.25).floatArray() == [0, 0.25, 0.5, 0.75])
        #expect(try Tensor.linspace(0, 1, steps: 5).floatArray() == [0, 0.25, 0.5, 0.75, 1])
        #expect(try Tensor.full([2], 7, dtype: .int64).int64Array() == [7, 7])
        let r = try Tensor.randint(3, 6, [1000], generator: RandomGenerator(seed: 1))
        #expect(r.int64Array().allSatisfy { (3..<6).contains($0) })
    }

    @Test func seededRandomnessRepeats() throws {
        let g = RandomGenerator(seed: 7)
        let a = try Tensor.randn([5], generator: g).floatArray()
        g.reseed(7)
        #expect(try Tensor.randn([5], generator: g).floatArray() == a)
        #expect(try Tensor.rand([5], generator: g).floatArray() != a)
    }

    @Test func hugeOrOverflowingAllocationsAreMemoryErrors() throws {
        #expect { try Tensor.zeros([1 << 40, 1 << 30]) } throws: { ($0 as? EngineError)?.kind == .memory }
        #expect { try Tensor.zeros([1 << 20, 1 << 20, 1 << 10]) } throws: { ($0 as? EngineError)?.kind == .memory }
        #expect { try Tensor.zeros([-1]) } throws: { ($0 as? EngineError)?.kind == .value }
        #expect { try Tensor.arange(0, 1e300) } throws: { ($0 as? EngineError)?.kind == .memory }
        #expect { try Tensor.randint(Int.min, Int.max, [1]) } throws: { ($0 as? EngineError)?.kind == .value }
        #expect { try Functional.conv2d(Tensor.zeros([1, 1, 3, 3]), Tensor.zeros([1, 1, 1, 1]), padding: (Int.max, 0)) } throws: { ($0 as? EngineError)?.kind == .value }
        #expect(try Tensor.from(.list([.int(2)])).pow(1e30).dtype == .float32)
    }

    @Test func viewsShareStorage() throws {
        let a = try Tensor.arange(0, 6, dtype: .float32).reshape([2, 3])
        let t = try a.transpose(0, 1)
        #expect(t.storage === a.storage && t.shape == [3, 2] && !t.isContiguous)
        #expect(t.floatArray() == [0, 3, 1, 4, 2, 5])
        #expect(try t.reshape([6]).floatArray() == [0, 3, 1, 4, 2, 5])
        #expect(try a.unsqueeze(0).shape == [1, 2, 3])
        #expect(try a.unsqueeze(-1).shape == [2, 3, 1])
        #expect(try a.unsqueeze(0).squeeze().shape == [2, 3])
        #expect(try a.permute([1, 0]).floatArray() == t.floatArray())
        #expect(try a.reshape([-1, 2]).shape == [3, 2])
        #expect(try a.flatten().shape == [6])
        let e = try Tensor.from(.list([.float(1), .float(2)])).reshape([2, 1]).expand([2, 3])
        #expect(e.floatArray() == [1, 1, 1, 2, 2, 2] && e.strides[1] == 0)
        try a.fill_(1)
        #expect(t.floatArray().allSatisfy { $0 == 1 })
    }

    @Test func viewErrorsNameTheShapes() throws {
        let a = try Tensor.zeros([2, 3])
        #expect(throws: EngineError(.shape, "reshape: shape [4] is invalid for input of shape [2, 3] (6 elements)")) { try a.reshape([4]) }
        #expect { try a.transpose(0, 1).view([6]) } throws: { ($0 as? EngineError)?.kind == .runtime }
        #expect { try a.permute([0]) } throws: { ($0 as? EngineError)?.kind == .shape }
        #expect { try a.transpose(0, 5) } throws: { ($0 as? EngineError)?.kind == .index }
        #expect { try a.expand([3, 3]) } throws: { ($0 as? EngineError)?.kind == .shape }
    }

    @Test func arithmeticBroadcastsAndPromotes() throws {
        let a = try Tensor.from(.list([.list([.int(1), .int(2), .int(3)])]))
        let b = try Tensor.from(.list([.list([.int(10)]), .list([.int(20)])]))
        let s = try a.add(b)
        #expect(s.dtype == .int64 && s.shape == [2, 3] && s.int64Array() == [11, 12, 13, 21, 22, 23])
        #expect(try a.div(b).dtype == .float32)
        #expect(try a.mul(Tensor(scalar: Float(0.5))).floatArray() == [0.5, 1, 1.5])
        #expect(try a.gt(Tensor(scalar: Int64(1))).boolArray() == [false, true, true])
        #expect(throws: EngineError(.shape, "add: shapes [2, 3] and [2] cannot be broadcast together")) {
            try Tensor.zeros([2, 3]).add(Tensor.zeros([2]))
        }
    }

    @Test func reductions() throws {
        let x = try Tensor([1, 5, 3, 4, 2, 6] as [Float], shape: [2, 3])
        #expect(try x.sum().item() == 21)
        #expect(try x.sum(dim: 0).floatArray() == [5, 7, 9])
        #expect(try x.sum(dim: 1, keepdim: true).shape == [2, 1])
        #expect(try x.mean().item() == 3.5)
        let (v, i) = try x.max(dim: 1)
        #expect(v.floatArray() == [5, 6] && i.int64Array() == [1, 2])
        #expect(try x.argmax().int64Array() == [5])
        #expect(try x.argmin(dim: 0).int64Array() == [0, 1, 0])
        #expect(abs(try x.variance().item() - 3.5) < 1e-6)
        #expect(try Tensor.from(.list([.int(2), .int(3)])).sum().dtype == .int64)
    }

    @Test func itemIntIsExact() throws {
        #expect(try Tensor.from(.list([.int(Int64.max)])).itemInt() == Int64.max)
    }

    @Test func itemNeedsOneElement() {
        #expect { try Tensor.zeros([2]).item() } throws: { ($0 as? EngineError)?.kind == .value }
    }
}

import Foundation

@Suite struct FastExpTests {
    @Test func matchesLibmAcrossTheRange() {
        var x: Float = -87
        while x < 88 {
            let want = Foundation.exp(Double(x)), got = Double(fexp(x))
            #expect(abs(got - want) <= 1e-6 * want, "exp(\(x))")
            x += 0.0137
        }
        #expect(fexp(-.infinity) == 0 && fexp(-100) == 0)
        #expect(fexp(.infinity) == .infinity && fexp(89) == .infinity)
        #expect(fexp(.nan).isNaN)
        #expect(fexp(0) == 1)
    }
}
