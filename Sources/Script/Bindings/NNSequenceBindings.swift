import Engine

/// Sequence layers: `RNN LSTM GRU` (returning `(output, h)` / `(output, (h, c))` as PyTorch),
/// `MultiheadAttention` (returning `(output, weights)`) and `TransformerEncoderLayer`.
enum NNSequenceBindings {
    static func all() -> [NativeType] {
        [recurrent(RNN.self, "RNN"), recurrent(LSTM.self, "LSTM"), recurrent(GRU.self, "GRU"), attention(), encoderLayer()]
    }

    /// `weight_ih_l0`, `bias_hh_l1_reverse`, … for the stacks scripts build (up to 8 layers).
    static func recurrentProperties() -> [NativeProperty] {
        var out: [NativeProperty] = []
        for layer in 0..<8 {
            for suffix in ["", "_reverse"] {
                for base in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] { out.append(NNLayerBindings.param("\(base)_l\(layer)\(suffix)")) }
            }
        }
        return out
    }

    static func recurrent<M: RecurrentBase>(_ m: M.Type, _ name: String) -> NativeType {
        let isLSTM = name == "LSTM"
        let settings: [NativeProperty] = [
            NNLayerBindings.value("input_size", M.self) { .int($0.inputSize) },
            NNLayerBindings.value("hidden_size", M.self) { .int($0.hiddenSize) },
            NNLayerBindings.value("num_layers", M.self) { .int($0.numLayers) },
            NNLayerBindings.value("batch_first", M.self) { .bool($0.batchFirst) },
            NNLayerBindings.value("bidirectional", M.self) { .bool($0.bidirectional) },
        ]
        let signature = "\(name)(input_size, hidden_size, num_layers=1, \(name == "RNN" ? "nonlinearity='tanh', " : "")bias=True, batch_first=False, dropout=0.0, bidirectional=False)"
        let doc = isLSTM
            ? "Long short-term memory: lstm(x, (h0, c0)=None) → (output, (h_n, c_n)); x is [T, N, in] ([N, T, in] with batch_first) or [T, in]."
            : "\(name == "GRU" ? "Gated recurrent unit" : "Elman RNN"): \(name.lowercased())(x, h0=None) → (output, h_n); x is [T, N, in] ([N, T, in] with batch_first) or [T, in]."
        return NNLayerBindings.layer(M.self, name, signature, doc: doc, properties: recurrentProperties() + settings, call: { layer, a in
            try a.check(max: 2, keywords: ["input", "hx"])
            let x = try NNModules.tensor(a, 0, "input")
            let state = a.optional(1, "hx").flatMap { $0.isNone ? nil : $0 }
            switch layer {
            case let lstm as LSTM:
                var hc: (h: Tensor, c: Tensor)?
                if let s = state {
                    guard let pair = s.asTuple?.items ?? s.asList?.items, pair.count == 2 else {
                        throw ScriptError(.typeError, "\(lstm.shortDescription) expects its state as a tuple (h0, c0), got \(typeName(s))")
                    }
                    hc = (try TensorBindings.tensorArgument(pair[0], "LSTM h0"), try TensorBindings.tensorArgument(pair[1], "LSTM c0"))
                }
                let r = try lstm.forward(x, hc)
                lstm.recordOutputShape(r.output.shape)
                return .tuple([TensorBindings.wrap(r.output), .tuple([TensorBindings.wrap(r.hN), TensorBindings.wrap(r.cN)])])
            default:
                let h0 = try state.map { try TensorBindings.tensorArgument($0, "\(name) h0") }
                let r: (output: Tensor, hN: Tensor)
                if let rnn = layer as? RNN { r = try rnn.forward(x, h0) }
                else if let gru = layer as? GRU { r = try gru.forward(x, h0) }
                else { throw ScriptError(.typeError, "not a recurrent layer") }
                layer.recordOutputShape(r.output.shape)
                return .tuple([TensorBindings.wrap(r.output), TensorBindings.wrap(r.hN)])
            }
        }) { a in
            let hasNonlinearity = name == "RNN"
            let keys = ["input_size", "hidden_size", "num_layers"] + (hasNonlinearity ? ["nonlinearity"] : []) + ["bias", "batch_first", "dropout", "bidirectional"]
            try a.check(max: keys.count, keywords: keys)
            let o = hasNonlinearity ? 1 : 0
            let inSize = try a.int(0, "input_size"), hidden = try a.int(1, "hidden_size"), layers = try a.int(2, "num_layers", default: 1)
            let bias = a.bool(3 + o, "bias", default: true), batchFirst = a.bool(4 + o, "batch_first", default: false)
            let dropout = try a.double(5 + o, "dropout", default: 0), bidirectional = a.bool(6 + o, "bidirectional", default: false)
            let made: RecurrentBase
            switch name {
            case "RNN":
                made = try RNN(inSize, hidden, numLayers: layers, nonlinearity: try a.string(3, "nonlinearity", default: "tanh"), bias: bias,
                               batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional)
            case "LSTM":
                made = try LSTM(inSize, hidden, numLayers: layers, bias: bias, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional)
            default:
                made = try GRU(inSize, hidden, numLayers: layers, bias: bias, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional)
            }
            guard let typed = made as? M else { throw ScriptError(.runtimeError, "\(name): internal type mismatch") }
            return typed
        }
    }

    static func attention() -> NativeType {
        NNLayerBindings.layer(MultiheadAttention.self, "MultiheadAttention",
                              "MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False)",
                              doc: "Multi-head attention: mha(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None) → (output, weights averaged over heads).",
                              properties: [NNLayerBindings.param("in_proj_weight"), NNLayerBindings.param("in_proj_bias"), NNLayerBindings.child("out_proj"),
                                           NNLayerBindings.value("embed_dim", MultiheadAttention.self) { .int($0.embedDim) },
                                           NNLayerBindings.value("num_heads", MultiheadAttention.self) { .int($0.numHeads) },
                                           NNLayerBindings.value("batch_first", MultiheadAttention.self) { .bool($0.batchFirst) }],
                              call: { layer, a in
            try a.check(max: 7, keywords: ["query", "key", "value", "key_padding_mask", "need_weights", "attn_mask", "average_attn_weights"])
            let q = try NNModules.tensor(a, 0, "query")
            let k = try NNModules.optionalTensor(a, 1, "key") ?? q
            let v = try NNModules.optionalTensor(a, 2, "value") ?? k
            let r = try layer.forward(q, k, v, keyPaddingMask: try NNModules.optionalTensor(a, 3, "key_padding_mask"),
                                      needWeights: a.bool(4, "need_weights", default: true), attnMask: try NNModules.optionalTensor(a, 5, "attn_mask"),
                                      averageAttnWeights: a.bool(6, "average_attn_weights", default: true))
            layer.recordOutputShape(r.output.shape)
            return .tuple([TensorBindings.wrap(r.output), r.weights.map(TensorBindings.wrap) ?? .none])
        }) { a in
            try a.check(max: 5, keywords: ["embed_dim", "num_heads", "dropout", "bias", "batch_first"])
            return try MultiheadAttention(try a.int(0, "embed_dim"), try a.int(1, "num_heads"), dropout: try a.double(2, "dropout", default: 0),
                                          bias: a.bool(3, "bias", default: true), batchFirst: a.bool(4, "batch_first", default: false))
        }
    }

    static func encoderLayer() -> NativeType {
        NNLayerBindings.layer(TransformerEncoderLayer.self, "TransformerEncoderLayer",
                              "TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu', layer_norm_eps=1e-05, batch_first=False, norm_first=False)",
                              doc: "Self-attention then a feed-forward block, each with a residual and LayerNorm: layer(src, src_mask=None, src_key_padding_mask=None).",
                              properties: ["self_attn", "linear1", "linear2", "norm1", "norm2", "dropout", "dropout1", "dropout2"].map(NNLayerBindings.child),
                              call: { layer, a in
            try a.check(max: 3, keywords: ["src", "src_mask", "src_key_padding_mask", "is_causal"])
            let out = try layer.forward(try NNModules.tensor(a, 0, "src"), srcMask: try NNModules.optionalTensor(a, 1, "src_mask"),
                                        srcKeyPaddingMask: try NNModules.optionalTensor(a, 2, "src_key_padding_mask"))
            layer.recordOutputShape(out.shape)
            return TensorBindings.wrap(out)
        }) { a in
            try a.check(max: 8, keywords: ["d_model", "nhead", "dim_feedforward", "dropout", "activation", "layer_norm_eps", "batch_first", "norm_first"])
            return try TransformerEncoderLayer(dModel: try a.int(0, "d_model"), nhead: try a.int(1, "nhead"),
                                               dimFeedforward: try a.int(2, "dim_feedforward", default: 2048), dropout: try a.double(3, "dropout", default: 0.1),
                                               activation: try a.string(4, "activation", default: "relu"), layerNormEps: try a.double(5, "layer_norm_eps", default: 1e-5),
                                               batchFirst: a.bool(6, "batch_first", default: false), normFirst: a.bool(7, "norm_first", default: false))
        }
    }
}
