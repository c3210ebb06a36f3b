import Foundation
import Testing
@testable import Engine

/// A model built the way the script binding builds `class Net(nn.Module)`: attributes registered by
/// name, forward overridden.
final class TwoLayerNet: Module {
    let fc1: Linear, fc2: Linear
    init(hidden: Int = 8) throws {
        fc1 = try Linear(2, hidden)
        fc2 = try Linear(hidden, 1)
        super.init()
        register(name: "fc1", child: fc1)
        register(name: "fc2", child: fc2)
    }
    override func forward(_ x: Tensor) throws -> Tensor { try fc2(fc1(x).relu()) }
    override var typeName: String { "Net" }
}

@Suite(.serialized) struct NNModuleTests {
    @Test func namedParametersFollowRegistrationOrderWithPyTorchNames() throws {
        let model = Sequential(try Linear(2, 8), ReLU(), try Linear(8, 1))
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model.parameters().allSatisfy { $0.requiresGrad })
        #expect(model.parameterCount == 33)
        let net = try TwoLayerNet()
        #expect(net.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        // Re-registering a name replaces it in its place; a shared layer is counted once.
        let fresh = try Tensor.zeros([8, 2])
        try net.fc1.register(name: "weight", parameter: fresh)
        #expect(net.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(net.namedParameters()[0].tensor === fresh && fresh.requiresGrad)
        net.register(name: "fc1", child: try Linear(2, 8))
        #expect(net.childNames == ["fc1", "fc2"])
        let shared = try Linear(3, 3)
        let tied = Sequential(shared, shared)
        #expect(tied.namedParameters().map(\.name) == ["0.weight", "0.bias"])
        net.unregister(name: "fc2")
        #expect(net.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias"])
    }

    @Test func trainEvalReachesEveryDescendant() throws {
        let inner = try Dropout(p: 0.5)
        let model = Sequential(try Linear(2, 2), Sequential(inner))
        model.eval()
        #expect(!model.training && !inner.training)
        let x = try Tensor.ones([4, 2])
        #expect(try inner(x).floatArray() == x.floatArray())
        model.train()
        #expect(inner.training)
    }

    @Test func zeroGradClearsGradients() throws {
        let model = try Linear(3, 2)
        try model(Tensor.ones([1, 3])).sum().backward()
        #expect(model.weight?.grad != nil)
        model.zeroGrad()
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }

    @Test func defaultInitialisationHasPyTorchBounds() throws {
        RandomGenerator.shared.reseed(7)
        let lin = try Linear(50, 40)
        let bound = Float(1 / 50.0.squareRoot())
        let w = lin.weight?.floatArray() ?? [], b = lin.bias?.floatArray() ?? []
        #expect(w.allSatisfy { Swift.abs($0) <= bound } && b.allSatisfy { Swift.abs($0) <= bound })
        // U(−b, b) has variance b²/3; 2000 draws land within 10 % of it.
        let variance = w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)
        #expect(Swift.abs(variance / (Double(bound * bound) / 3) - 1) < 0.1)
        let t = try Tensor.zeros([64, 32])
        try Init.kaimingNormal_(t, nonlinearity: "relu")
        let v = t.floatArray().map { Double($0 * $0) }.reduce(0, +) / Double(t.count)
        #expect(Swift.abs(v / (2.0 / 32) - 1) < 0.1)
        try Init.xavierUniform_(t)
        let a = Float((6.0 / 96).squareRoot())
        #expect(t.floatArray().allSatisfy { Swift.abs($0) <= a })
        #expect(throws: EngineError.self) { try Init.xavierUniform_(try Tensor.zeros([3])) }
    }

    @Test func wrongInputShapeNamesTheLayer() throws {
        let model = Sequential(try Linear(2, 8), ReLU())
        #expect(throws: EngineError(.shape, "Linear(2 => 8) expects input of size 2 in its last dimension, got shape [4, 3]")) {
            try model(Tensor.zeros([4, 3]))
        }
    }

    @Test func printingShowsLayersCountsAndTotal() throws {
        let model = Sequential(try Linear(2, 8), ReLU(), try Linear(8, 1), Sigmoid())
        #expect(model.description == """
        Sequential(
          (0): Linear(in_features=2, out_features=8, bias=True)  # 24 parameters
          (1): ReLU()
          (2): Linear(in_features=8, out_features=1, bias=True)  # 9 parameters
          (3): Sigmoid()
        )  # Total: 33 parameters
        """)
        #expect(try Linear(1000, 1000).description == "Linear(in_features=1000, out_features=1000, bias=True)  # 1,001,000 parameters")
        #expect(ReLU().description == "ReLU()")
    }

    @Test func summaryListsOutputShapesAndParameters() throws {
        let net = try TwoLayerNet()
        let rows = try summaryRows(net, inputShape: [5, 2])
        #expect(rows.rows.map(\.name) == ["fc1", "fc2"])
        #expect(rows.rows.map(\.outputShape) == [[5, 8], [5, 1]])
        #expect(rows.rows.map(\.parameters) == [24, 9])
        #expect(rows.total == 33)
        let text = try summary(Sequential(try Linear(2, 8), ReLU()), inputShape: [1, 2])
        #expect(text.contains("1 (ReLU)") && text.contains("Total params: 24"))
        #expect(ModuleTrace.active == nil)
    }

    @Test func safetensorsRoundTripKeepsNamesAndValues() throws {
        let path = NSTemporaryDirectory() + "myelin-nn-\(getpid()).safetensors"
        defer { unlink(path) }
        let a = Sequential(try Linear(3, 4), ReLU(), try Linear(4, 2))
        try a.save(path)
        let loaded = try Safetensors.load(from: path)
        #expect(Set(loaded.keys) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let b = Sequential(try Linear(3, 4), ReLU(), try Linear(4, 2))
        try b.load(path)
        for (p, q) in zip(a.parameters(), b.parameters()) { #expect(p.floatArray() == q.floatArray()) }
        // A wrong architecture fails with the names and leaves the model untouched.
        let c = Sequential(try Linear(3, 5))
        let before = c.parameters().map { $0.floatArray() }
        #expect(throws: EngineError.self) { try c.load(path) }
        #expect(c.parameters().map { $0.floatArray() } == before)
    }

    @Test func safetensorsHeaderIsWhatPyTorchReads() throws {
        let path = NSTemporaryDirectory() + "myelin-nn-h-\(getpid()).safetensors"
        defer { unlink(path) }
        try Safetensors.save([("w", try Tensor([1, 2] as [Float], shape: [1, 2])), ("n", Tensor(scalar: Int64(3)))], to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let n = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(n % 8 == 0)
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + n)])) as? [String: Any]
        let w = header?["w"] as? [String: Any]
        #expect(w?["dtype"] as? String == "F32")
        #expect(w?["shape"] as? [Int] == [1, 2])
        #expect(w?["data_offsets"] as? [Int] == [0, 8])
        #expect(Array(bytes[(8 + n)..<(16 + n)]) == [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40])
        #expect(try Safetensors.load(from: path)["n"]?.int64Array() == [3])
        // Garbage is a clear error, not a crash.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: EngineError.self) { try Safetensors.load(from: path) }
        try Data([200, 0, 0, 0, 0, 0, 0, 0, 1]).write(to: URL(fileURLWithPath: path))
        #expect(throws: EngineError.self) { try Safetensors.load(from: path) }
        for header in [#"{"w":{"dtype":"F32","shape":[1e300],"data_offsets":[0,4]}}"#,
                       #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,1e300]}}"#,
                       #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#,
                       #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, #"[1, 2"#] {
            var bytes = Array(header.utf8)
            while bytes.count % 8 != 0 { bytes.append(0x20) }
            let file = (0..<8).map { UInt8((bytes.count >> (8 * $0)) & 0xff) } + bytes + [0, 0, 0, 0]
            try Data(file).write(to: URL(fileURLWithPath: path))
            #expect(throws: EngineError.self, "\(header)") { try Safetensors.load(from: path) }
        }
    }

    @Test func fusedSequentialMatchesLayerByLayer() throws {
        let model = Sequential(try Linear(4, 6), ReLU(), try Linear(6, 3), Tanh(), try Linear(3, 2), Sigmoid())
        let x = try Tensor.randn([5, 4]).requiresGrad_()
        let fused = try model(x)
        try fused.sum().backward()
        let fusedGrads = model.parameters().map { $0.grad?.floatArray() ?? [] }
        let xGrad = x.grad?.floatArray()
        model.zeroGrad(); x.grad = nil
        var y = x
        for (_, m) in model.children { y = try m.forward(y) }
        try y.sum().backward()
        #expect(fused.floatArray() == y.floatArray())
        #expect(model.parameters().map { $0.grad?.floatArray() ?? [] } == fusedGrads)
        #expect(x.grad?.floatArray() == xGrad)
    }

    @Test func lossesRejectMismatchedShapesAndBadTargets() throws {
        #expect(throws: EngineError.self) { try Losses.mseLoss(try Tensor.zeros([4, 1]), try Tensor.zeros([4])) }
        #expect(throws: EngineError.self) { try Losses.crossEntropy(try Tensor.zeros([2, 3]), try Tensor([0, 3] as [Int64], shape: [2])) }
        #expect(throws: EngineError.self) { try Losses.crossEntropy(try Tensor.zeros([2, 3]), try Tensor.zeros([2])) }
        #expect(throws: EngineError.self) { try Losses.bceLoss(try Tensor.full([2], 2), try Tensor.zeros([2])) }
        #expect(throws: EngineError.self) { try Reduction(parsing: "avg") }
    }
}
