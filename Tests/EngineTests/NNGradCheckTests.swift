import Testing
@testable import Engine

/// float32 central-difference checks of every layer's gradients w.r.t. its input and parameters.
@Suite(.serialized) struct NNGradCheckTests {
    static func check(_ name: String, _ model: Module, _ input: Tensor, atol: Double = 2e-2) throws {
        let x = try input.requiresGrad_()
        let params = model.parameters()
        let report = try gradcheck({ ts in try model(ts[0]) }, [x] + params, eps: 1e-2, atol: atol, rtol: 5e-2)
        #expect(report.passed, "\(name): \(report)")
    }

    @Test func layersPassGradcheck() throws {
                try Self.check("Linear", try Linear(3, 4), Tensor.randn([2, 3]))
        try Self.check("Sequential fused", Sequential(try Linear(3, 4), Sigmoid(), try Linear(4, 2), Tanh()), Tensor.randn([2, 3]))
        // Inputs away from the kink at 0, where central differences are meaningless.
        try Self.check("LeakyReLU", LeakyReLU(negativeSlope: 0.1), Tensor([-1.5, -0.5, 0.3, 0.8, -0.2, 2] as [Float], shape: [2, 3]))
        // SELU's slope jumps at 0 too (λα vs λ): a random input within eps of 0 failed about one run in ten.
        try Self.check("SELU", SELU(), Tensor([-1.5, -0.5, 0.3, 0.8, -0.2, 2, 1.1, -0.9, 0.45] as [Float], shape: [3, 3]))
        try Self.check("Softmax", Softmax(dim: 0), Tensor.randn([3, 2]))
        try Self.check("Conv2d", try Conv2d(2, 2, 2, stride: 1, padding: 1), Tensor.randn([1, 2, 3, 3]))
        try Self.check("ConvTranspose2d", try ConvTranspose2d(2, 2, 3, stride: 2, padding: 1), Tensor.randn([1, 2, 2, 2]))
        try Self.check("AvgPool2d", try AvgPool2d(2), Tensor.randn([1, 1, 4, 4]))
        try Self.check("BatchNorm1d", try BatchNorm1d(3), Tensor.randn([4, 3]))
        try Self.check("BatchNorm2d", try BatchNorm2d(2), Tensor.randn([2, 2, 2, 2]))
        try Self.check("LayerNorm", try LayerNorm(4), Tensor.randn([2, 4]))
        try Self.check("RNN", try RNN(2, 3, batchFirst: true), Tensor.randn([2, 3, 2]))
        try Self.check("LSTM", try LSTM(2, 3, numLayers: 2, bidirectional: true), Tensor.randn([3, 2, 2]))
        try Self.check("GRU", try GRU(2, 3), Tensor.randn([3, 2, 2]))
        try Self.check("MultiheadAttention", try MultiheadAttention(4, 2), Tensor.randn([3, 2, 4]))
        // TransformerEncoderLayer's ReLU has a kink; its gradients are checked against the NumPy fixtures instead.
    }

    @Test func lossesPassGradcheck() throws {
                let y = try Tensor.rand([3, 2])
        let labels = try Tensor([1, 0, 2] as [Int64], shape: [3])
        let cases: [(String, (Tensor) throws -> Tensor, Tensor)] = [
            ("mse", { try Losses.mseLoss($0, y) }, try Tensor.randn([3, 2])),
            ("bce", { try Losses.bceLoss($0.sigmoid(), y) }, try Tensor.randn([3, 2])),
            ("bce_with_logits", { try Losses.bceWithLogits($0, y, reduction: .sum) }, try Tensor.randn([3, 2])),
            ("cross_entropy", { try Losses.crossEntropy($0, labels) }, try Tensor.randn([3, 3])),
            ("kl_div", { try Losses.klDiv($0.logSoftmax(dim: 1), y.softmax(dim: 1), reduction: .batchmean) }, try Tensor.randn([3, 2])),
        ]
        for (name, f, x) in cases {
            let report = try gradcheck({ try f($0[0]) }, [try x.requiresGrad_()], eps: 1e-2, atol: 1e-2, rtol: 5e-2)
            #expect(report.passed, "\(name): \(report)")
        }
    }
}
