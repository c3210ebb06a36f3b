import Foundation
import Testing
@testable import Engine

/// A tensor of a fixture file: shape and row-major values.
struct NNFixtureTensor: Sendable {
    let shape: [Int], data: [Double]
    init(_ any: Any?) {
        let d = any as? [String: Any] ?? [:]
        shape = (d["shape"] as? [NSNumber])?.map(\.intValue) ?? []
        data = (d["data"] as? [NSNumber])?.map(\.doubleValue) ?? []
    }
    func float() throws -> Tensor { try Tensor(data.map { Float($0) }, shape: shape) }
    func int() throws -> Tensor { try Tensor(data.map { Int64($0) }, shape: shape) }
}

/// fixtures/nn/nn.json, written by fixtures/nn/make_nn_fixtures.py (NumPy, float64).
enum NNFixtures {
    static let root: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixtures/nn/nn.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return root
    }()

    static func cases(_ key: String) -> [[String: Any]] { root[key] as? [[String: Any]] ?? [] }
    static func names(_ key: String) -> [String] { cases(key).map { $0["name"] as? String ?? "?" } }
    static func named(_ key: String, _ name: String) -> [String: Any] {
        cases(key).first { $0["name"] as? String == name } ?? [:]
    }

    /// Largest |a − b| / (atol + rtol·|b|); ≤ 1 means close.
    static func closeness(_ a: [Float], _ b: [Double], atol: Double = 1e-5, rtol: Double = 1e-4) -> Double {
        guard a.count == b.count else { return .infinity }
        var worst = 0.0
        for (x, y) in zip(a, b) { worst = Swift.max(worst, Swift.abs(Double(x) - y) / (atol + rtol * Swift.abs(y))) }
        return worst
    }
}

func expectClose(_ t: Tensor?, _ ref: NNFixtureTensor, _ what: String, atol: Double = 1e-5, rtol: Double = 1e-4,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard let t else { Issue.record("\(what): missing", sourceLocation: sourceLocation); return }
    #expect(t.shape == ref.shape, "\(what): shape", sourceLocation: sourceLocation)
    let c = NNFixtures.closeness(t.floatArray(), ref.data, atol: atol, rtol: rtol)
    #expect(c <= 1, "\(what): off by \(c)× tolerance", sourceLocation: sourceLocation)
}

@Suite struct NNFixtureTests {
    /// The module each fixture `layer` names, built from its config.
    static func build(_ layer: String, _ cfg: [String: Any]) throws -> Module {
        func int(_ k: String, _ d: Int = 0) -> Int { (cfg[k] as? NSNumber)?.intValue ?? d }
        func dbl(_ k: String, _ d: Double = 0) -> Double { (cfg[k] as? NSNumber)?.doubleValue ?? d }
        func flag(_ k: String, _ d: Bool) -> Bool { (cfg[k] as? NSNumber).map { $0.intValue != 0 } ?? d }
        switch layer {
        case "Linear": return try Linear(int("in"), int("out"), bias: flag("bias", true))
        case "LeakyReLU": return LeakyReLU(negativeSlope: dbl("negative_slope", 0.01))
        case "SELU": return SELU()
        case "Softmax": return Softmax(dim: int("dim", -1))
        case "MLP": return Sequential(try Linear(3, 5), ReLU(), try Linear(5, 2), Sigmoid())
        case "MLPTanh": return Sequential(try Linear(2, 3), Tanh())
        default: return try buildMore(layer, cfg)
        }
    }

    @Test(arguments: NNFixtures.names("layers"))
    func layerMatchesReference(_ name: String) throws {
        let c = NNFixtures.named("layers", name)
        let model = try Self.build(c["layer"] as? String ?? "", c["config"] as? [String: Any] ?? [:])
        let params = (c["params"] as? [String: Any] ?? [:]).mapValues(NNFixtureTensor.init)
        try model.loadStateDict(try params.mapValues { try $0.float() }, strict: false)
        let inputs = try (c["inputs"] as? [Any] ?? []).map { try NNFixtureTensor($0).float().requiresGrad_() }
        let ints = try (c["int_inputs"] as? [Any] ?? []).map { try NNFixtureTensor($0).int() }
        let out = try Self.run(model, inputs, ints)
        expectClose(out, NNFixtureTensor(c["output"]), "\(name) output")
        try out.mul(NNFixtureTensor(c["upstream"]).float()).sum().backward()
        for (i, g) in (c["input_grads"] as? [Any] ?? []).enumerated() {
            expectClose(inputs[i].grad, NNFixtureTensor(g), "\(name) input \(i) grad", atol: 1e-4, rtol: 1e-3)
        }
        let named = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor) })
        for (k, g) in c["param_grads"] as? [String: Any] ?? [:] {
            expectClose(named[k]?.grad, NNFixtureTensor(g), "\(name) \(k) grad", atol: 1e-4, rtol: 1e-3)
        }
    }

    @Test(arguments: NNFixtures.names("losses"))
    func lossMatchesReference(_ name: String) throws {
        let c = NNFixtures.named("losses", name)
        let x = try NNFixtureTensor(c["input"]).float().requiresGrad_()
        let targetRef = NNFixtureTensor(c["target"])
        let target = (c["target_int"] as? NSNumber)?.intValue == 1 ? try targetRef.int() : try targetRef.float()
        let reduction = try Reduction(parsing: c["reduction"] as? String ?? "", allowBatchmean: true)
        let kw = c["kwargs"] as? [String: Any] ?? [:]
        let out: Tensor
        switch c["loss"] as? String ?? "" {
        case "mse_loss": out = try Losses.mseLoss(x, target, reduction: reduction)
        case "bce_loss": out = try Losses.bceLoss(x, target, reduction: reduction)
        case "bce_with_logits": out = try Losses.bceWithLogits(x, target, reduction: reduction)
        case "cross_entropy":
            out = try Losses.crossEntropy(x, target, reduction: reduction,
                                          labelSmoothing: (kw["label_smoothing"] as? NSNumber)?.doubleValue ?? 0)
        case "nll_loss": out = try Losses.nllLoss(x, target, reduction: reduction)
        case "kl_div": out = try Losses.klDiv(x, target, reduction: reduction)
        default: Issue.record("unknown loss \(name)"); return
        }
        expectClose(out, NNFixtureTensor(c["output"]), "\(name) value")
        try out.mul(NNFixtureTensor(c["upstream"]).float()).sum().backward()
        expectClose(x.grad, NNFixtureTensor(c["grad"]), "\(name) grad", atol: 1e-4, rtol: 1e-3)
    }

    @Test(arguments: NNFixtures.names("optimizers"))
    func optimizerFollowsReferenceTrajectory(_ name: String) throws {
        let c = NNFixtures.named("optimizers", name)
        let problem = NNFixtures.root["optimizer_problem"] as? [String: Any] ?? [:]
        let p = try NNFixtureTensor(problem["p0"]).float().requiresGrad_()
        let coef = try NNFixtureTensor(problem["c"]).float(), target = try NNFixtureTensor(problem["target"]).float()
        let kw = c["kwargs"] as? [String: Any] ?? [:]
        func d(_ k: String, _ v: Double) -> Double { (kw[k] as? NSNumber)?.doubleValue ?? v }
        func b(_ k: String) -> Bool { (kw[k] as? NSNumber)?.intValue == 1 }
        let betas = (kw["betas"] as? [NSNumber])?.map(\.doubleValue) ?? [0.9, 0.999]
        let opt: Optimizer
        switch c["optimizer"] as? String ?? "" {
        case "SGD": opt = try SGD([p], lr: d("lr", 0), momentum: d("momentum", 0), dampening: d("dampening", 0),
                                  weightDecay: d("weight_decay", 0), nesterov: b("nesterov"))
        case "Adam": opt = try Adam([p], lr: d("lr", 1e-3), betas: (betas[0], betas[1]), weightDecay: d("weight_decay", 0), amsgrad: b("amsgrad"))
        case "AdamW": opt = try AdamW([p], lr: d("lr", 1e-3), weightDecay: d("weight_decay", 0.01))
        case "Adagrad": opt = try Adagrad([p], lr: d("lr", 0.01), lrDecay: d("lr_decay", 0), weightDecay: d("weight_decay", 0),
                                          initialAccumulatorValue: d("initial_accumulator_value", 0))
        case "Adadelta": opt = try Adadelta([p], lr: d("lr", 1), rho: d("rho", 0.9), weightDecay: d("weight_decay", 0))
        case "RMSprop": opt = try RMSprop([p], lr: d("lr", 0.01), alpha: d("alpha", 0.99), weightDecay: d("weight_decay", 0),
                                          momentum: d("momentum", 0), centered: b("centered"))
        default: Issue.record("unknown optimizer \(name)"); return
        }
        for (k, ref) in (c["trajectory"] as? [Any] ?? []).enumerated() {
            opt.zeroGrad()
            let diff = try p.sub(target)
            try diff.mul(diff).mul(coef).sum().mul(Tensor(scalar: Float(0.5))).backward()
            try opt.step()
            expectClose(p, NNFixtureTensor(ref), "\(name) step \(k + 1)", atol: 1e-5, rtol: 1e-4)
        }
    }
}
