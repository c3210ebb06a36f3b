import Testing
@testable import Engine

@Suite(.serialized) struct NNLayerBehaviourTests {
    @Test func batchNormTracksRunningStatisticsAndUsesThemInEval() throws {
        let bn = try BatchNorm1d(2)
        let x = try Tensor([1, 10, 3, 20, 5, 30] as [Float], shape: [3, 2])
        _ = try bn(x)
        // mean (3, 20), unbiased var (4, 100); momentum 0.1 from (0, 1).
        expectNear(bn.buffer("running_mean")?.floatArray() ?? [], [0.3, 2.0])
        expectNear(bn.buffer("running_var")?.floatArray() ?? [], [0.9 + 0.4, 0.9 + 10])
        #expect(bn.buffer("num_batches_tracked")?.int64Array() == [1])
        bn.eval()
        let y = try bn(try Tensor([0.3, 2] as [Float], shape: [1, 2]))
        expectNear(y.floatArray(), [0, 0])
        #expect(bn.stateDict().map(\.name) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        bn.train()
        #expect(throws: EngineError.self) { try bn(try Tensor.zeros([1, 2])) }
        #expect(throws: EngineError(.shape, "BatchNorm1d(2) expects input of shape [N, 2] or [N, 2, L], got shape [4, 3]")) {
            try bn(try Tensor.zeros([4, 3]))
        }
    }

    @Test func shapesOfConvolutionalStack() throws {
        // LeNet-5 on 1×28×28: conv(5, pad 2) → pool → conv(5) → pool → 16·5·5.
        let lenet = Sequential(try Conv2d(1, 6, 5, padding: 2), ReLU(), try MaxPool2d(2), try Conv2d(6, 16, 5), ReLU(),
                               try MaxPool2d(2), Flatten(), try Linear(400, 120), ReLU(), try Linear(120, 84), ReLU(), try Linear(84, 10))
        let rows = try summaryRows(lenet, inputShape: [2, 1, 28, 28]).rows
        #expect(rows.map(\.outputShape)[0] == [2, 6, 28, 28])
        #expect(rows.map(\.outputShape)[5] == [2, 16, 5, 5])
        #expect(rows.last?.outputShape == [2, 10])
        #expect(lenet.parameterCount == 61_706)
        #expect(throws: EngineError(.shape, "Conv2d(1 => 6, 5×5) expects input of shape [N, 1, H, W] or [1, H, W], got shape [2, 3, 28, 28]")) {
            try lenet(try Tensor.zeros([2, 3, 28, 28]))
        }
        let up = try ConvTranspose2d(16, 8, 4, stride: 2, padding: 1)
        #expect(try up(try Tensor.zeros([1, 16, 7, 7])).shape == [1, 8, 14, 14])
        #expect(try Conv2d(3, 8, 3).description == "Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))  # 224 parameters")
    }

    @Test func recurrentShapesAndStates() throws {
        let lstm = try LSTM(5, 7, numLayers: 2, batchFirst: true, bidirectional: true)
        let r = try lstm.forward(try Tensor.randn([3, 4, 5]), nil)
        #expect(r.output.shape == [3, 4, 14] && r.hN.shape == [4, 3, 7] && r.cN.shape == [4, 3, 7])
        #expect(lstm.namedParameters().map(\.name).prefix(5) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse"])
        #expect(lstm.namedParameters().first { $0.name == "weight_ih_l1" }?.tensor.shape == [28, 14])
        let gru = try GRU(5, 7)
        let unbatched = try gru.forward(try Tensor.randn([6, 5]), nil)
        #expect(unbatched.output.shape == [6, 7] && unbatched.hN.shape == [1, 7])
        #expect(throws: EngineError.self) { try gru.forward(try Tensor.randn([6, 2, 5]), try Tensor.zeros([1, 3, 7])) }
        let bound = Float(1 / 7.0.squareRoot())
        #expect(gru.parameters().allSatisfy { $0.floatArray().allSatisfy { Swift.abs($0) <= bound } })
    }

    @Test func attentionMasksAndWeights() throws {
        let mha = try MultiheadAttention(8, 2, batchFirst: true)
        let x = try Tensor.randn([2, 5, 8])
        let pad = try Tensor([false, false, false, true, true, false, false, false, false, false], shape: [2, 5])
        let r = try mha.forward(x, x, x, keyPaddingMask: pad)
        #expect(r.output.shape == [2, 5, 8] && r.weights?.shape == [2, 5, 5])
        let w = r.weights?.floatArray() ?? []
        // Padded keys get no weight; every row sums to 1.
        for i in 0..<5 { #expect(w[i * 5 + 3] == 0 && w[i * 5 + 4] == 0) }
        for row in 0..<10 { #expect(Swift.abs(w[(row * 5)..<(row * 5 + 5)].reduce(0, +) - 1) < 1e-5) }
        #expect(mha.namedParameters().map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        #expect(throws: EngineError.self) { try mha.forward(x, x, x, attnMask: try Tensor.zeros([4, 4])) }
        let enc = try TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16, batchFirst: true)
        #expect(try enc(x).shape == [2, 5, 8])
        #expect(enc.namedParameters().count == 12)
    }

    @Test func embeddingAndActivations() throws {
        let emb = try Embedding(4, 3)
        #expect(try emb(try Tensor([0, 3, 3] as [Int64], shape: [3])).shape == [3, 3])
        #expect(throws: EngineError(.index, "Embedding(4 => 3): index 4 is out of range (expected 0 ..< 4)")) {
            try emb(try Tensor([4] as [Int64], shape: [1]))
        }
        #expect(throws: EngineError.self) { try emb(try Tensor.zeros([2])) }
        #expect(try Step()(try Tensor([-1, 0, 2] as [Float], shape: [3])).floatArray() == [0, 0, 1])
        #expect(try Flatten()(try Tensor.zeros([2, 3, 4])).shape == [2, 12])
    }

    @Test func schedulersAndClipping() throws {
        let p = try Tensor.zeros([2]).requiresGrad_()
        let opt = try SGD([p], lr: 1)
        let sched = try StepLR(opt, stepSize: 2, gamma: 0.5)
        var lrs: [Double] = []
        for _ in 0..<5 { sched.step(); lrs.append(opt.lr) }
        #expect(lrs == [1, 0.5, 0.5, 0.25, 0.25])
        let opt2 = try Adam([p], lr: 0.1)
        let exp = ExponentialLR(opt2, gamma: 0.9)
        exp.step(); exp.step()
        #expect(Swift.abs(opt2.lr - 0.081) < 1e-12)
        p.grad = try Tensor([3, 4] as [Float], shape: [2])
        let norm = try clipGradNorm_([p], maxNorm: 1)
        #expect(Swift.abs(norm - 5) < 1e-9)
        expectNear(p.grad?.floatArray() ?? [], [0.6, 0.8])
        #expect(try clipGradNorm_([p], maxNorm: 10) < 1.0001)
        expectNear(p.grad?.floatArray() ?? [], [0.6, 0.8])
        #expect(throws: EngineError.self) { try SGD([], lr: 0.1) }
        #expect(throws: EngineError.self) { try Adam([p], lr: -1) }
        #expect(throws: EngineError.self) { try SGD([p], lr: 0.1, nesterov: true) }
    }

    @Test func optimizerSkipsParametersWithoutGradients() throws {
        let a = try Tensor([1, 2] as [Float], shape: [2]).requiresGrad_()
        let b = try Tensor([3] as [Float], shape: [1]).requiresGrad_()
        let opt = try Adam([a, b], lr: 0.1)
        try a.sum().backward()
        try opt.step()
        #expect(b.floatArray() == [3])
        #expect(a.floatArray() != [1, 2])
        #expect(opt.steps == [1, 0])
    }
}

func expectNear(_ a: [Float], _ b: [Double], tol: Double = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count && zip(a, b).allSatisfy { Swift.abs(Double($0) - $1) <= tol * Swift.max(1, Swift.abs($1)) },
            "\(a) vs \(b)", sourceLocation: sourceLocation)
}

@Suite struct NNBadInputTests {
    /// Wrong sizes and arguments raise errors that name the problem; nothing traps.
    @Test func badArgumentsAndInputsThrow() throws {
        #expect(throws: EngineError.self) { try Linear(-1, 2) }
        #expect(throws: EngineError.self) { try Conv2d(3, 4, 0) }
        #expect(throws: EngineError.self) { try Conv2d(3, 4, 3, groups: 2) }
        #expect(throws: EngineError.self) { try Conv2d(1, 1, 3)(try Tensor.zeros([1, 1, 2, 2])) }
        #expect(throws: EngineError.self) { try MaxPool2d(2, stride: 0)(try Tensor.zeros([1, 1, 4, 4])) }
        #expect(throws: EngineError.self) { try AvgPool2d(5)(try Tensor.zeros([1, 1, 4, 4])) }
        #expect(throws: EngineError.self) { try MaxPool2d(2)(try Tensor.zeros([4, 4])) }
        #expect(throws: EngineError.self) { try ConvTranspose2d(2, 2, 3, stride: 0)(try Tensor.zeros([1, 2, 3, 3])) }
        #expect(throws: EngineError.self) { try LSTM(3, 0) }
        #expect(throws: EngineError.self) { try LSTM(3, 4)(try Tensor.zeros([0, 2, 3])) }
        #expect(throws: EngineError.self) { try GRU(3, 4)(try Tensor.zeros([5, 2, 4])) }
        #expect(throws: EngineError.self) { try RNN(3, 4, nonlinearity: "sigmoid") }
        #expect(throws: EngineError.self) { try MultiheadAttention(6, 4) }
        #expect(throws: EngineError.self) { try MultiheadAttention(4, 2)(try Tensor.zeros([2, 3])) }
        #expect(throws: EngineError.self) { try LayerNorm(3)(try Tensor.zeros([2, 4])) }
        #expect(throws: EngineError.self) { try BatchNorm2d(3)(try Tensor.zeros([2, 3, 4])) }
        #expect(throws: EngineError.self) { try Dropout(p: 1.5) }
        #expect(throws: EngineError.self) { try Losses.nllLoss(try Tensor.zeros([2, 3, 4]), try Tensor([0, 1] as [Int64], shape: [2])) }
        #expect(throws: EngineError.self) { try Module()(try Tensor.zeros([1])) }
        #expect(throws: EngineError.self) { try ModuleList([ReLU()])(try Tensor.zeros([1])) }
        #expect(throws: EngineError.self) { try Sequential(ReLU()).layer(at: 3) }
        #expect(throws: EngineError.self) { try clipGradNorm_([], maxNorm: 1, normType: -1) }
        let p = try Tensor.zeros([3]).requiresGrad_()
        p.grad = try Tensor.zeros([2])
        #expect(throws: EngineError.self) { try SGD([p], lr: 0.1).step() }
        #expect(throws: EngineError.self) { try Safetensors.load(from: "/nonexistent/dir/model.safetensors") }
        #expect(throws: EngineError.self) { try Sequential(ReLU()).save("/nonexistent/dir/model.safetensors") }
    }
}

@Suite struct NNGraphAndSequenceLossTests {
    @Test func graphConvPropagatesOverNormalisedAdjacency() throws {
        // Path graph 0–1–2: degrees with self loops 2, 3, 2.
        let a = try Tensor([0, 1, 0, 1, 0, 1, 0, 1, 0] as [Float], shape: [3, 3])
        let norm = try NNFunctional.normalizeAdjacency(a)
        expectNear(norm.floatArray(), [0.5, 1 / 6.0.squareRoot(), 0, 1 / 6.0.squareRoot(), 1.0 / 3, 1 / 6.0.squareRoot(),
                                       0, 1 / 6.0.squareRoot(), 0.5])
        let layer = try GraphConv(2, 1)
        try layer.loadStateDict(["weight": try Tensor([1, 2] as [Float], shape: [1, 2]), "bias": try Tensor([0.5] as [Float], shape: [1])])
        let x = try Tensor([1, 0, 0, 1, 1, 1] as [Float], shape: [3, 2]).requiresGrad_()
        let y = try layer.forward(x, adjacency: norm)
        // XWᵀ = [1, 2, 3]; Â·that + 0.5
        let xw: [Double] = [1, 2, 3]
        let want = (0..<3).map { i in (0..<3).reduce(0.5) { $0 + Double(norm.floatArray()[i * 3 + $1]) * xw[$1] } }
        expectNear(y.floatArray(), want)
        let report = try gradcheck({ ts in try layer.forward(ts[0], adjacency: norm) }, [x] + layer.parameters(), eps: 1e-2)
        #expect(report.passed, "\(report)")
        #expect(throws: EngineError.self) { try layer.forward(x, adjacency: try Tensor.zeros([2, 2])) }
        #expect(throws: EngineError.self) { try layer(x) }
    }

    @Test func crossEntropyOverSequencesMatchesFlattened() throws {
        let logits = try Tensor.randn([2, 4, 3])  // [N, C, T]
        let target = try Tensor([0, 3, 1, 2, 2, 0] as [Int64], shape: [2, 3])
        let flat = try logits.permute([0, 2, 1]).reshape([6, 4])
        let a = try Losses.crossEntropy(logits, target), b = try Losses.crossEntropy(flat, target.reshape([6]))
        #expect(Swift.abs(try a.item() - b.item()) < 1e-6)
        #expect(try Losses.crossEntropy(logits, target, reduction: .none).shape == [2, 3])
        #expect(throws: EngineError.self) { try Losses.crossEntropy(logits, try Tensor([0, 1] as [Int64], shape: [2])) }
    }
}
