import Foundation
@testable import Engine

extension NNFixtureTests {
    /// Fixture layers beyond the basic ones (convolution, normalisation, recurrent, attention).
    static func buildMore(_ layer: String, _ cfg: [String: Any]) throws -> Module {
        func int(_ k: String, _ d: Int = 0) -> Int { (cfg[k] as? NSNumber)?.intValue ?? d }
        func flag(_ k: String) -> Bool { int(k) != 0 }
        switch layer {
        case "Conv2d": return try Conv2d(int("in"), int("out"), int("k"), stride: int("stride", 1), padding: int("padding"))
        case "ConvTranspose2d":
            return try ConvTranspose2d(int("in"), int("out"), int("k"), stride: int("stride", 1), padding: int("padding"),
                                       outputPadding: int("output_padding"))
        case "MaxPool2d": return try MaxPool2d(int("k"), stride: cfg["stride"] == nil ? nil : int("stride"))
        case "AvgPool2d": return try AvgPool2d(int("k"), stride: cfg["stride"] == nil ? nil : int("stride"))
        case "BatchNorm1d": return try BatchNorm1d(int("features"))
        case "BatchNorm2d": return try BatchNorm2d(int("features"))
        case "LayerNorm": return try LayerNorm((cfg["shape"] as? [NSNumber] ?? []).map(\.intValue))
        case "Embedding": return try Embedding(int("num"), int("dim"))
        case "RNN": return try RNN(int("in"), int("hidden"), numLayers: int("layers", 1), batchFirst: flag("batch_first"), bidirectional: flag("bidirectional"))
        case "LSTM": return try LSTM(int("in"), int("hidden"), numLayers: int("layers", 1), batchFirst: flag("batch_first"), bidirectional: flag("bidirectional"))
        case "GRU": return try GRU(int("in"), int("hidden"), numLayers: int("layers", 1), batchFirst: flag("batch_first"), bidirectional: flag("bidirectional"))
        case "MHA": return try MultiheadAttention(int("E"), int("heads"))
        case "TransformerEncoderLayer":
            return try TransformerEncoderLayer(dModel: int("E"), nhead: int("heads"), dimFeedforward: int("ff"), dropout: 0,
                                               normFirst: flag("norm_first"))
        default: throw EngineError(.value, "fixture layer \(layer) is not known to the test")
        }
    }

    /// Runs the fixture's forward: single-input layers take inputs[0]; recurrent layers give
    /// cat(output, h_n[, c_n]) flattened, the way the generator lays them out.
    static func run(_ model: Module, _ inputs: [Tensor], _ ints: [Tensor]) throws -> Tensor {
        if let e = model as? Embedding { return try e(ints[0]) }
        if let m = model as? LSTM {
            let state = inputs.count == 3 ? (inputs[1], inputs[2]) : nil
            let r = try m.forward(inputs[0], state)
            return try Tensor.cat([r.output.flatten(), r.hN.flatten(), r.cN.flatten()])
        }
        if let m = model as? GRU {
            let r = try m.forward(inputs[0], inputs.count == 2 ? inputs[1] : nil)
            return try Tensor.cat([r.output.flatten(), r.hN.flatten()])
        }
        if let m = model as? RNN {
            let r = try m.forward(inputs[0], nil)
            return try Tensor.cat([r.output.flatten(), r.hN.flatten()])
        }
        if let m = model as? MultiheadAttention {
            if inputs.count == 3 {
                let kpm = try Tensor([false, false, false, true, false, false, false, false], shape: [2, 4])
                let r = try m.forward(inputs[0], inputs[1], inputs[2], keyPaddingMask: kpm)
                return try Tensor.cat([r.output.flatten(), (r.weights ?? inputs[0]).flatten()])
            }
            var causal = [Bool](repeating: false, count: 9)
            for i in 0..<3 { for j in 0..<3 where j > i { causal[i * 3 + j] = true } }
            let r = try m.forward(inputs[0], inputs[0], inputs[0], attnMask: try Tensor(causal, shape: [3, 3]))
            return try Tensor.cat([r.output.flatten(), (r.weights ?? inputs[0]).flatten()])
        }
        return try model(inputs[0])
    }
}
