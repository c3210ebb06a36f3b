import Foundation
import Testing
@testable import Engine

/// One case of fixtures/ops.json (written by fixtures/make_fixtures.py with NumPy in float64).
struct FixtureCase: CustomTestStringConvertible, Sendable {
    let name: String, op: String
    let kwargs: [String: JSONValue]
    let inputs: [(shape: [Int], data: [Double])]
    let intInputs: [(shape: [Int], data: [Int64])]
    let output: (shape: [Int], data: [Double])
    let upstream: (shape: [Int], data: [Double])
    let grads: [(shape: [Int], data: [Double])]
    var testDescription: String { name }
}

/// Sendable stand-in for the few JSON kwarg shapes the fixtures use.
enum JSONValue: Sendable {
    case number(Double), list([Double]), null
    var int: Int { if case .number(let x) = self { return Int(x) }; return 0 }
    var double: Double { if case .number(let x) = self { return x }; return 0 }
    var ints: [Int] { if case .list(let xs) = self { return xs.map { Int($0) } }; return [int] }
    var pair: (Int, Int) { let v = ints; return v.count == 2 ? (v[0], v[1]) : (v[0], v[0]) }
    /// The generator writes flags as 0/1 (JSON booleans and numbers are indistinguishable after bridging).
    var boolValue: Bool { double != 0 }
}

enum Fixtures {
    static let cases: [FixtureCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixtures/ops.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]] else { return [] }
        func tensor(_ any: Any?) -> (shape: [Int], data: [Double]) {
            let d = any as? [String: Any] ?? [:]
            return ((d["shape"] as? [Int]) ?? [], (d["data"] as? [Double]) ?? (d["data"] as? [NSNumber])?.map(\.doubleValue) ?? [])
        }
        func value(_ any: Any) -> JSONValue {
            if let n = any as? NSNumber { return .number(n.doubleValue) }
            if let xs = any as? [NSNumber] { return .list(xs.map(\.doubleValue)) }
            return .null
        }
        return cases.map { c in
            FixtureCase(
                name: c["name"] as? String ?? "?", op: c["op"] as? String ?? "?",
                kwargs: (c["kwargs"] as? [String: Any] ?? [:]).mapValues(value),
                inputs: (c["inputs"] as? [Any] ?? []).map(tensor),
                intInputs: (c["int_inputs"] as? [Any] ?? []).map { let t = tensor($0); return (t.shape, t.data.map { Int64($0) }) },
                output: tensor(c["output"]), upstream: tensor(c["upstream"]),
                grads: (c["grads"] as? [Any] ?? []).map(tensor))
        }
    }()

    typealias Op = (_ x: [Tensor], _ ints: [Tensor], _ kw: [String: JSONValue]) throws -> Tensor

    /// The engine call for each fixture op name.
    static let ops: [String: Op] = [
        "add": { x, _, _ in try x[0].add(x[1]) },
        "sub": { x, _, _ in try x[0].sub(x[1]) },
        "mul": { x, _, _ in try x[0].mul(x[1]) },
        "div": { x, _, _ in try x[0].div(x[1]) },
        "pow_scalar": { x, _, kw in try x[0].pow(kw["exponent"]?.double ?? 1) },
        "pow": { x, _, _ in try x[0].pow(x[1]) },
        "maximum": { x, _, _ in try x[0].maximum(x[1]) },
        "minimum": { x, _, _ in try x[0].minimum(x[1]) },
        "neg": { x, _, _ in try x[0].neg() },
        "exp": { x, _, _ in try x[0].exp() },
        "log": { x, _, _ in try x[0].log() },
        "sqrt": { x, _, _ in try x[0].sqrt() },
        "sin": { x, _, _ in try x[0].sin() },
        "cos": { x, _, _ in try x[0].cos() },
        "tanh": { x, _, _ in try x[0].tanh() },
        "sigmoid": { x, _, _ in try x[0].sigmoid() },
        "relu": { x, _, _ in try x[0].relu() },
        "abs": { x, _, _ in try x[0].abs() },
        "clamp": { x, _, kw in try x[0].clamp(min: kw["min"]?.double, max: kw["max"]?.double) },
        "sum": { x, _, _ in try x[0].sum() },
        "sum_dims": { x, _, kw in try x[0].sum(dims: kw["dims"]?.ints ?? [], keepdim: kw["keepdim"]?.boolValue ?? false) },
        "mean": { x, _, _ in try x[0].mean() },
        "mean_dims": { x, _, kw in try x[0].mean(dims: kw["dims"]?.ints ?? [], keepdim: kw["keepdim"]?.boolValue ?? false) },
        "var": { x, _, kw in try x[0].variance(dims: kw["dims"].flatMap { if case .null = $0 { return nil }; return $0.ints }, keepdim: kw["keepdim"]?.boolValue ?? false) },
        "std": { x, _, kw in try x[0].std(dims: kw["dims"].flatMap { if case .null = $0 { return nil }; return $0.ints }, keepdim: kw["keepdim"]?.boolValue ?? false) },
        "max": { x, _, _ in try x[0].max() },
        "max_dim": { x, _, kw in try x[0].max(dim: kw["dim"]?.int ?? 0, keepdim: kw["keepdim"]?.boolValue ?? false).values },
        "min_dim": { x, _, kw in try x[0].min(dim: kw["dim"]?.int ?? 0, keepdim: kw["keepdim"]?.boolValue ?? false).values },
        "matmul": { x, _, _ in try x[0].matmul(x[1]) },
        "softmax": { x, _, kw in try x[0].softmax(dim: kw["dim"]?.int ?? 0) },
        "log_softmax": { x, _, kw in try x[0].logSoftmax(dim: kw["dim"]?.int ?? 0) },
        "cat": { x, _, kw in try Tensor.cat(x, dim: kw["dim"]?.int ?? 0) },
        "stack": { x, _, kw in try Tensor.stack(x, dim: kw["dim"]?.int ?? 0) },
        "where": { x, i, _ in try Tensor.where(i[0].to(.bool), x[0], x[1]) },
        "linear": { x, _, _ in try Functional.linear(x[0], x[1], x[2]) },
        "conv2d": { x, _, kw in
            try Functional.conv2d(x[0], x[1], x[2], stride: kw["stride"]?.pair ?? (1, 1), padding: kw["padding"]?.pair ?? (0, 0),
                                  dilation: kw["dilation"]?.pair ?? (1, 1), groups: kw["groups"]?.int ?? 1)
        },
        "max_pool2d": { x, _, kw in try Functional.maxPool2d(x[0], kernel: kw["kernel"]?.pair ?? (2, 2), stride: kw["stride"]?.pair, padding: kw["padding"]?.pair ?? (0, 0)) },
        "avg_pool2d": { x, _, kw in try Functional.avgPool2d(x[0], kernel: kw["kernel"]?.pair ?? (2, 2), stride: kw["stride"]?.pair, padding: kw["padding"]?.pair ?? (0, 0)) },
        "embedding": { x, i, _ in try Functional.embedding(i[0], x[0]) },
        "pad": { x, _, kw in try Functional.pad(x[0], kw["pad"]?.ints ?? [], value: kw["value"]?.double ?? 0) },
        "transpose_mul": { x, _, _ in try x[0].T().mul(x[1]) },
        "permute_sum": { x, _, kw in try x[0].permute(kw["dims"]?.ints ?? []).sum(dim: 0) },
    ]
}

@Suite struct FixtureTests {
    @Test func fixturesLoadAndEveryOpHasAnEngineCall() {
        #expect(Fixtures.cases.count >= 50)
        for c in Fixtures.cases { #expect(Fixtures.ops[c.op] != nil, "no engine call for fixture op \(c.op)") }
    }

    @Test(arguments: Fixtures.cases)
    func valuesAndGradientsMatchNumPy(_ c: FixtureCase) throws {
        guard let op = Fixtures.ops[c.op] else { Issue.record("unknown op \(c.op)"); return }
        let xs = try c.inputs.map { try Tensor($0.data.map(Float.init), shape: $0.shape).requiresGrad_() }
        let ints = try c.intInputs.map { try Tensor($0.data, shape: $0.shape) }
        let out = try op(xs, ints, c.kwargs)
        #expect(out.shape == c.output.shape)
        let got = out.doubleArray()
        for (g, want) in zip(got, c.output.data) { #expect(abs(g - want) <= 1e-4 + 1e-4 * abs(want), "output \(g) vs \(want)") }
        let upstream = try Tensor(c.upstream.data.map(Float.init), shape: c.upstream.shape)
        try out.mul(upstream).sum().backward()
        for (x, want) in zip(xs, c.grads) {
            let grad = x.grad?.doubleArray() ?? []
            #expect(grad.count == want.data.count)
            for (g, w) in zip(grad, want.data) { #expect(abs(g - w) <= 1e-3 + 1e-3 * abs(w), "grad \(g) vs \(w)") }
        }
    }
}
