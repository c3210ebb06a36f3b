import Testing
@testable import Engine

/// float32 central-difference checks of every differentiable op, including broadcasting,
/// non-contiguous views and batched matmul.
@Suite struct GradCheckTests {
    static func leaf(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) throws -> Tensor {
        let t = try Tensor.rand(shape, generator: RandomGenerator(seed: seed)).mul(Tensor(scalar: high - low)).add(Tensor(scalar: low))
        return try t.requiresGrad_()
    }

    typealias Case = (name: String, shapes: [[Int]], low: Float, high: Float, f: ([Tensor]) throws -> Tensor)

    static let cases: [Case] = [
        ("add broadcast", [[3, 1, 2], [4, 1]], -1, 1, { try $0[0].add($0[1]) }),
        ("sub", [[2, 3], [3]], -1, 1, { try $0[0].sub($0[1]) }),
        ("mul broadcast", [[2, 3], [2, 1]], -1, 1, { try $0[0].mul($0[1]) }),
        ("div", [[2, 3], [3]], 0.5, 2, { try $0[0].div($0[1]) }),
        ("pow tensor", [[4], [4]], 0.5, 2, { try $0[0].pow($0[1]) }),
        ("pow scalar", [[5]], 0.5, 2, { try $0[0].pow(2.5) }),
        ("maximum", [[3, 3], [3]], -1, 1, { try $0[0].maximum($0[1]) }),
        ("minimum", [[3, 3], [3, 1]], -1, 1, { try $0[0].minimum($0[1]) }),
        ("neg exp", [[4]], -1, 1, { try $0[0].neg().exp() }),
        ("log sqrt", [[4]], 0.5, 2, { try $0[0].log().add($0[0].sqrt()) }),
        ("sin cos", [[4]], -2, 2, { try $0[0].sin().mul($0[0].cos()) }),
        ("tanh sigmoid", [[5]], -2, 2, { try $0[0].tanh().add($0[0].sigmoid()) }),
        ("relu abs clamp", [[6]], -1, 1, { try $0[0].relu().add($0[0].abs()).add($0[0].clamp(min: -0.3, max: 0.6)) }),
        ("sum mean", [[3, 4]], -1, 1, { try $0[0].sum(dim: 1).add($0[0].mean(dim: 1)) }),
        ("var std", [[3, 5]], -1, 1, { try $0[0].variance(dims: [1]).add($0[0].std(dims: [1])) }),
        ("max min", [[3, 4]], -1, 1, { try $0[0].max(dim: 0).values.sum().add($0[0].min()) }),
        ("transpose view", [[3, 2], [3, 2]], -1, 1, { try $0[0].transpose(0, 1).mul($0[1].T()) }),
        ("permute expand", [[2, 1, 3]], -1, 1, { try $0[0].permute([2, 0, 1]).expand([3, 2, 4]).exp() }),
        ("reshape squeeze", [[2, 1, 3]], -1, 1, { try $0[0].squeeze(1).reshape([3, 2]).unsqueeze(0).flatten() }),
        ("slice with step", [[5, 4]], -1, 1, { try $0[0].index([.slice(start: 1, end: nil, step: 2), .int(-1)]).exp() }),
        ("tensor index", [[5, 3]], -1, 1, { try $0[0].index([.tensor(Tensor([4, 0, 4] as [Int64], shape: [3])), .all]).tanh() }),
        ("mask index", [[2, 3]], -1, 1, { x in try x[0].index([.tensor(Tensor([true, false, true, true, false, true], shape: [2, 3]))]) }),
        ("matmul 2d", [[3, 4], [4, 2]], -1, 1, { try $0[0].matmul($0[1]) }),
        ("matmul transposed operands", [[4, 3], [2, 4]], -1, 1, { try $0[0].T().matmul($0[1].T()) }),
        ("matmul vector", [[4], [4, 3]], -1, 1, { try $0[0].matmul($0[1]) }),
        ("matmul batched broadcast", [[2, 1, 3, 4], [3, 4, 2]], -1, 1, { try $0[0].matmul($0[1]) }),
        ("matmul batch folded", [[2, 3, 4], [4, 5]], -1, 1, { try $0[0].matmul($0[1]) }),
        ("softmax", [[3, 4]], -2, 2, { try $0[0].softmax(dim: 1) }),
        ("log_softmax", [[2, 3, 2]], -2, 2, { try $0[0].logSoftmax(dim: 1) }),
        ("cat stack", [[2, 3], [1, 3]], -1, 1, { try Tensor.stack([Tensor.cat([$0[0], $0[1]], dim: 0), Tensor.cat([$0[1], $0[0]], dim: 0)], dim: 2) }),
        ("where", [[2, 3], [3]], -1, 1, { try Tensor.where($0[0].gt(Tensor(scalar: Float(0))), $0[0], $0[1]) }),
        ("linear", [[4, 3], [2, 3], [2]], -1, 1, { try Functional.linear($0[0], $0[1], $0[2]) }),
        ("conv2d groups dilation", [[1, 4, 6, 6], [4, 2, 2, 2], [4]], -1, 1, {
            try Functional.conv2d($0[0], $0[1], $0[2], stride: (1, 2), padding: (1, 1), dilation: (2, 1), groups: 2)
        }),
        ("conv2d non-contiguous input", [[1, 2, 5, 4], [3, 2, 3, 3]], -1, 1, {
            try Functional.conv2d($0[0].transpose(2, 3), $0[1], nil, padding: (1, 1))
        }),
        ("max_pool2d", [[1, 2, 4, 4]], -1, 1, { try Functional.maxPool2d($0[0], kernel: (2, 2)) }),
        ("avg_pool2d", [[1, 1, 5, 5]], -1, 1, { try Functional.avgPool2d($0[0], kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }),
        ("embedding", [[5, 3]], -1, 1, { try Functional.embedding(Tensor([1, 1, 4] as [Int64], shape: [3]), $0[0]) }),
        ("pad", [[2, 3]], -1, 1, { try Functional.pad($0[0], [1, 0, 2, 1], value: 1) }),
        ("dot outer", [[3], [3]], -1, 1, { try $0[0].outer($0[1]).add($0[0].dot($0[1])) }),
    ]

    @Test(arguments: 0..<cases.count)
    func opMatchesCentralDifferences(_ i: Int) throws {
        let c = Self.cases[i]
        let inputs = try c.shapes.enumerated().map { try Self.leaf($0.element, seed: UInt64(10 * i + $0.offset), low: c.low, high: c.high) }
        let report = try gradcheck(c.f, inputs)
        #expect(report.passed, "\(c.name): \(report)")
    }

    @Test func gradcheckCatchesAWrongGradient() throws {
        // A deliberately wrong backward: forward x², backward claims 3x.
        let x = try Self.leaf([3], seed: 5)
        let report = try gradcheck({ v in
            let out = try withNoGrad { try v[0].mul(v[0]) }
            return Tensor.record(out, "WrongBackward", [v[0]]) { g in [try g.mul(v[0]).mul(Tensor(scalar: Float(3)))] }
        }, [x])
        #expect(!report.passed)
    }
}
