import Engine

/// Losses (`nn.mse_loss …`, also as `nn.functional.*` and as `nn.MSELoss()`-style objects),
/// functional forms (`nn.functional.conv2d …`), activations as functions, and `nn.init`.
enum NNFunctionalBindings {
    // MARK: losses

    static func reduction(_ a: Arguments, _ i: Int, allowBatchmean: Bool = false) throws -> Reduction {
        try Reduction(parsing: try a.string(i, "reduction", default: "mean"), allowBatchmean: allowBatchmean)
    }

    /// Applies an elementwise `weight` to unreduced losses, then reduces (PyTorch's `weight=` of BCE).
    static func weighted(_ loss: (Reduction) throws -> Tensor, _ weight: Tensor?, _ r: Reduction) throws -> Tensor {
        guard let weight else { return try loss(r) }
        let l = try loss(.none).mul(weight)
        switch r {
        case .none: return l
        case .sum: return try l.sum()
        default: return try l.mean()
        }
    }

    /// PyTorch's class-weighted `cross_entropy`/`nll_loss`: each sample's loss times weight[target],
    /// the mean divided by the summed weights of the counted samples (ignored targets weigh 0).
    static func classWeighted(_ op: String, _ input: Tensor, _ target: Tensor, _ weight: Tensor, _ ignore: Int, _ r: Reduction,
                              _ unreduced: () throws -> Tensor) throws -> Tensor {
        guard target.dtype == .int64 else { throw ScriptError(.valueError, "\(op): weight= needs int64 class-index targets") }
        let classes = input.ndim >= 2 ? input.shape[1] : (input.shape.first ?? 0)
        guard weight.shape == [classes] else {
            throw ScriptError(.shapeError, "\(op): weight must have one entry per class, shape [\(classes)], got shape \(weight.shape)")
        }
        let w = try weight.to(.float32).floatArray()
        let perSample: [Float] = try target.int64Array().map { t in
            if Int(t) == ignore { return 0 }
            guard t >= 0, Int(t) < classes else { throw ScriptError(.indexError, "\(op): target \(t) is out of bounds for \(classes) classes") }
            return w[Int(t)]
        }
        let losses = try unreduced().mul(try Tensor(perSample, shape: target.shape))
        switch r {
        case .none: return losses
        case .sum: return try losses.sum()
        default: return try losses.sum().div(Tensor(scalar: perSample.reduce(0, +)))
        }
    }

    /// (name, aliases, class name, signature, doc, body) of each loss.
    struct Loss {
        let name: String, aliases: [String], className: String, signature: String, doc: String
        let keywords: [String]
        let compute: (Tensor, Tensor, Arguments) throws -> Tensor
    }

    static let losses: [Loss] = [
        Loss(name: "mse_loss", aliases: [], className: "MSELoss", signature: "mse_loss(input, target, reduction='mean')",
             doc: "Mean squared error: mean((input − target)²).", keywords: ["reduction"]) { x, y, a in
            try Losses.mseLoss(x, y, reduction: try reduction(a, 2))
        },
        Loss(name: "bce_loss", aliases: ["binary_cross_entropy"], className: "BCELoss",
             signature: "bce_loss(input, target, weight=None, reduction='mean')",
             doc: "Binary cross-entropy of probabilities (after a sigmoid): −[t·log p + (1 − t)·log(1 − p)].", keywords: ["weight", "reduction"]) { x, y, a in
            let w = try NNModules.optionalTensor(a, 2, "weight")
            return try weighted({ try Losses.bceLoss(x, y, reduction: $0) }, w, try reduction(a, 3))
        },
        Loss(name: "bce_with_logits", aliases: ["binary_cross_entropy_with_logits"], className: "BCEWithLogitsLoss",
             signature: "bce_with_logits(input, target, weight=None, reduction='mean', pos_weight=None)",
             doc: "Binary cross-entropy on raw scores (sigmoid included, numerically stable).", keywords: ["weight", "reduction", "pos_weight"]) { x, y, a in
            let w = try NNModules.optionalTensor(a, 2, "weight")
            let pw = try NNModules.optionalTensor(a, 4, "pos_weight")
            return try weighted({ try Losses.bceWithLogits(x, y, posWeight: pw, reduction: $0) }, w, try reduction(a, 3))
        },
        Loss(name: "cross_entropy", aliases: [], className: "CrossEntropyLoss",
             signature: "cross_entropy(input, target, weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)",
             doc: "Softmax cross-entropy of logits [N, C] against int64 class indices [N] (or class probabilities [N, C]).",
             keywords: ["weight", "ignore_index", "reduction", "label_smoothing"]) { x, y, a in
            let r = try reduction(a, 4), ignore = try a.int(3, "ignore_index", default: -100)
            let smoothing = try a.double(5, "label_smoothing", default: 0)
            guard let w = try NNModules.optionalTensor(a, 2, "weight") else {
                return try Losses.crossEntropy(x, y, reduction: r, ignoreIndex: ignore, labelSmoothing: smoothing)
            }
            guard smoothing == 0 else { throw ScriptError(.valueError, "cross_entropy: weight= together with label_smoothing is not supported") }
            return try classWeighted("cross_entropy", x, y, w, ignore, r) { try Losses.crossEntropy(x, y, reduction: .none, ignoreIndex: ignore) }
        },
        Loss(name: "nll_loss", aliases: [], className: "NLLLoss",
             signature: "nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean')",
             doc: "Negative log-likelihood of log-probabilities [N, C] (from log_softmax) at int64 class indices [N].",
             keywords: ["weight", "ignore_index", "reduction"]) { x, y, a in
            let r = try reduction(a, 4), ignore = try a.int(3, "ignore_index", default: -100)
            guard let w = try NNModules.optionalTensor(a, 2, "weight") else {
                return try Losses.nllLoss(x, y, reduction: r, ignoreIndex: ignore)
            }
            return try classWeighted("nll_loss", x, y, w, ignore, r) { try Losses.nllLoss(x, y, reduction: .none, ignoreIndex: ignore) }
        },
        Loss(name: "kl_div", aliases: [], className: "KLDivLoss", signature: "kl_div(input, target, reduction='mean', log_target=False)",
             doc: "KL divergence with input as log-probabilities: Σ target·(log target − input); use reduction='batchmean' for the true KL.",
             keywords: ["reduction", "log_target"]) { x, y, a in
            try Losses.klDiv(x, y, reduction: try reduction(a, 2, allowBatchmean: true), logTarget: a.bool(3, "log_target", default: false))
        },
    ]

    static func lossFunction(_ l: Loss, name: String) -> NativeFunction {
        NativeFunction(name, name + l.signature.dropFirst(l.name.count), doc: l.doc) { a in
            var args = a; args.functionName = name
            try args.check(max: 2 + l.keywords.count, keywords: ["input", "target"] + l.keywords)
            let x = try NNModules.tensor(args, 0, "input"), y = try NNModules.tensor(args, 1, "target")
            return TensorBindings.wrap(try l.compute(x, y, args))
        }
    }

    /// The payload of `nn.MSELoss(reduction=…)`-style objects: the keyword arguments to pass on.
    final class LossObject {
        let loss: Loss
        let keywords: [(String, Value)]
        init(_ loss: Loss, _ keywords: [(String, Value)]) { self.loss = loss; self.keywords = keywords }
    }

    /// The loss classes (`nn.MSELoss` …), made once so every session shares them.
    static let lossTypes: [String: NativeType] = Dictionary(uniqueKeysWithValues: losses.map { ($0.className, lossType($0)) })

    static func lossType(_ l: Loss) -> NativeType {
        let t = NativeType(name: l.className, doc: l.doc + " Call it as criterion(input, target).")
        let fn = lossFunction(l, name: l.className)
        t.call = { n, a in
            guard let obj = n.payload as? LossObject else { return .none }
            return try fn.call(Arguments(a.positional, keywords: obj.keywords + a.keywords, functionName: l.className))
        }
        t.repr = { n in
            let kws = (n.payload as? LossObject)?.keywords ?? []
            return "\(l.className)(\(kws.map { "\($0.0)=\(repr($0.1))" }.joined(separator: ", ")))"
        }
        let ctor = NativeFunction(l.className, "\(l.className)(\(l.keywords.map { $0 + "=…" }.joined(separator: ", ")))", doc: l.doc) { a in
            guard a.positional.isEmpty else { throw ScriptError(.typeError, "\(l.className)() takes keyword arguments only (\(l.keywords.joined(separator: ", ")))") }
            try a.check(max: 0, keywords: l.keywords)
            return t.wrap(LossObject(l, a.keywords))
        }
        t.constructor = ctor
        t.classObject.attrs["__new__"] = .obj(BuiltinObj(ctor))
        return t
    }

    // MARK: activations and functional forms

    static func unary(_ name: String, _ doc: String, _ f: @escaping (Tensor) throws -> Tensor) -> NativeFunction {
        NativeFunction(name, "\(name)(input)", doc: doc) { a in
            var args = a; args.functionName = name
            try args.check(max: 2, keywords: ["input", "inplace"])
            return TensorBindings.wrap(try f(try NNModules.tensor(args, 0, "input")))
        }
    }

    static func activationFunctions() -> [NativeFunction] {
        [
            unary("relu", "max(x, 0) elementwise.") { try $0.relu() },
            unary("sigmoid", "1 / (1 + e^(−x)) elementwise.") { try $0.sigmoid() },
            unary("tanh", "tanh(x) elementwise.") { try $0.tanh() },
            unary("selu", "Scaled exponential linear unit.") { try NNFunctional.selu($0) },
            unary("step", "Heaviside step: 1 where x > 0, else 0.") { try NNFunctional.step($0) },
            NativeFunction("leaky_relu", "leaky_relu(input, negative_slope=0.01)", doc: "x for x ≥ 0, negative_slope·x otherwise.") { a in
                var args = a; args.functionName = "leaky_relu"
                try args.check(max: 3, keywords: ["input", "negative_slope", "inplace"])
                return TensorBindings.wrap(try NNFunctional.leakyRelu(try NNModules.tensor(args, 0, "input"), negativeSlope: try args.double(1, "negative_slope", default: 0.01)))
            },
            NativeFunction("softmax", "softmax(input, dim=-1)", doc: "e^x / Σ e^x along dim.") { a in
                var args = a; args.functionName = "softmax"
                try args.check(max: 2, keywords: ["input", "dim"])
                return TensorBindings.wrap(try NNModules.tensor(args, 0, "input").softmax(dim: try args.int(1, "dim", default: -1)))
            },
            NativeFunction("log_softmax", "log_softmax(input, dim=-1)", doc: "log(softmax(x)) along dim, computed stably.") { a in
                var args = a; args.functionName = "log_softmax"
                try args.check(max: 2, keywords: ["input", "dim"])
                return TensorBindings.wrap(try NNModules.tensor(args, 0, "input").logSoftmax(dim: try args.int(1, "dim", default: -1)))
            },
        ]
    }

    static func functionalForms() -> [NativeFunction] {
        func fn(_ name: String, _ sig: String, _ doc: String, max: Int, _ keys: [String], _ body: @escaping (Arguments) throws -> Tensor) -> NativeFunction {
            NativeFunction(name, sig, doc: doc) { a in
                var args = a; args.functionName = name
                try args.check(max: max, keywords: keys)
                return TensorBindings.wrap(try body(args))
            }
        }
        return [
            fn("linear", "linear(input, weight, bias=None)", "input @ weightᵀ + bias; weight is [out_features, in_features].", max: 3, ["input", "weight", "bias"]) { a in
                try NNFunctional.linear(try NNModules.tensor(a, 0, "input"), try NNModules.tensor(a, 1, "weight"), try NNModules.optionalTensor(a, 2, "bias"))
            },
            fn("conv2d", "conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)", "2-D convolution; weight is [out, in/groups, kh, kw].",
               max: 7, ["input", "weight", "bias", "stride", "padding", "dilation", "groups"]) { a in
                try Functional.conv2d(try NNModules.tensor(a, 0, "input"), try NNModules.tensor(a, 1, "weight"), try NNModules.optionalTensor(a, 2, "bias"),
                                      stride: try NNModules.pair(a, 3, "stride", default: (1, 1)), padding: try NNModules.pair(a, 4, "padding", default: (0, 0)),
                                      dilation: try NNModules.pair(a, 5, "dilation", default: (1, 1)), groups: try a.int(6, "groups", default: 1))
            },
            fn("conv_transpose2d", "conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)",
               "Transposed 2-D convolution; weight is [in, out, kh, kw].", max: 8, ["input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"]) { a in
                guard try a.int(6, "groups", default: 1) == 1 else { throw ScriptError(.valueError, "conv_transpose2d: only groups=1 is supported") }
                return try NNFunctional.convTranspose2d(try NNModules.tensor(a, 0, "input"), try NNModules.tensor(a, 1, "weight"), try NNModules.optionalTensor(a, 2, "bias"),
                                                        stride: try NNModules.pair(a, 3, "stride", default: (1, 1)), padding: try NNModules.pair(a, 4, "padding", default: (0, 0)),
                                                        outputPadding: try NNModules.pair(a, 5, "output_padding", default: (0, 0)),
                                                        dilation: try NNModules.pair(a, 7, "dilation", default: (1, 1)))
            },
            fn("max_pool2d", "max_pool2d(input, kernel_size, stride=None, padding=0)", "2-D max pooling; stride defaults to kernel_size.",
               max: 4, ["input", "kernel_size", "stride", "padding"]) { a in
                let s: (Int, Int)? = (a.optional(2, "stride")?.isNone ?? true) ? nil : try NNModules.pair(a, 2, "stride")
                return try Functional.maxPool2d(try NNModules.tensor(a, 0, "input"), kernel: try NNModules.pair(a, 1, "kernel_size"), stride: s,
                                                padding: try NNModules.pair(a, 3, "padding", default: (0, 0)))
            },
            fn("avg_pool2d", "avg_pool2d(input, kernel_size, stride=None, padding=0)", "2-D average pooling; stride defaults to kernel_size.",
               max: 4, ["input", "kernel_size", "stride", "padding"]) { a in
                let s: (Int, Int)? = (a.optional(2, "stride")?.isNone ?? true) ? nil : try NNModules.pair(a, 2, "stride")
                return try Functional.avgPool2d(try NNModules.tensor(a, 0, "input"), kernel: try NNModules.pair(a, 1, "kernel_size"), stride: s,
                                                padding: try NNModules.pair(a, 3, "padding", default: (0, 0)))
            },
            fn("dropout", "dropout(input, p=0.5, training=True)", "Zeroes elements with probability p (scaling the rest by 1/(1-p)) when training is True.",
               max: 3, ["input", "p", "training", "inplace"]) { a in
                try Functional.dropout(try NNModules.tensor(a, 0, "input"), p: try a.double(1, "p", default: 0.5), training: a.bool(2, "training", default: true))
            },
            fn("embedding", "embedding(input, weight)", "Rows of weight [num_embeddings, dim] picked by int64 indices.", max: 2, ["input", "weight"]) { a in
                try Functional.embedding(try NNModules.tensor(a, 0, "input"), try NNModules.tensor(a, 1, "weight"))
            },
            fn("pad", "pad(input, pad, mode='constant', value=0)", "Constant padding; pad lists (left, right) pairs from the last dimension backwards.",
               max: 4, ["input", "pad", "mode", "value"]) { a in
                let mode = try a.string(2, "mode", default: "constant")
                guard mode == "constant" else { throw ScriptError(.valueError, "pad: mode '\(mode)' is not supported (only 'constant')") }
                let widths = try TensorBindings.shape([try a.required(1, "pad")], "pad() widths")
                return try Functional.pad(try NNModules.tensor(a, 0, "input"), widths, value: try a.double(3, "value", default: 0))
            },
            fn("normalize_adjacency", "normalize_adjacency(adjacency)", "D^-1/2 (A + I) D^-1/2: the GCN propagation matrix for GraphConv.", max: 1, ["adjacency"]) { a in
                try NNFunctional.normalizeAdjacency(try NNModules.tensor(a, 0, "adjacency"))
            },
        ]
    }

    // MARK: init

    static func initFunctions() -> [NativeFunction] {
        func fn(_ name: String, _ sig: String, _ doc: String, _ keys: [String], _ body: @escaping (Tensor, Arguments) throws -> Void) -> NativeFunction {
            NativeFunction(name, sig, doc: doc) { a in
                var args = a; args.functionName = name
                try args.check(max: keys.count + 1, keywords: ["tensor"] + keys)
                let v = try args.required(0, "tensor")
                guard let t = TensorBindings.tensor(in: v) else { throw ScriptError(.typeError, "\(name)() expects a tensor (e.g. layer.weight), not \(typeName(v))") }
                try body(t, args)
                return v
            }
        }
        return [
            fn("xavier_uniform_", "xavier_uniform_(tensor, gain=1.0)", "Fills with U(−a, a), a = gain·√(6 / (fan_in + fan_out)).", ["gain"]) { t, a in
                try Init.xavierUniform_(t, gain: try a.double(1, "gain", default: 1))
            },
            fn("xavier_normal_", "xavier_normal_(tensor, gain=1.0)", "Fills with N(0, std²), std = gain·√(2 / (fan_in + fan_out)).", ["gain"]) { t, a in
                try Init.xavierNormal_(t, gain: try a.double(1, "gain", default: 1))
            },
            fn("kaiming_uniform_", "kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')", "He initialisation, uniform.", ["a", "mode", "nonlinearity"]) { t, a in
                try Init.kaimingUniform_(t, a: try a.double(1, "a", default: 0), mode: try a.string(2, "mode", default: "fan_in"),
                                         nonlinearity: try a.string(3, "nonlinearity", default: "leaky_relu"))
            },
            fn("kaiming_normal_", "kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')", "He initialisation, normal.", ["a", "mode", "nonlinearity"]) { t, a in
                try Init.kaimingNormal_(t, a: try a.double(1, "a", default: 0), mode: try a.string(2, "mode", default: "fan_in"),
                                        nonlinearity: try a.string(3, "nonlinearity", default: "leaky_relu"))
            },
            fn("zeros_", "zeros_(tensor)", "Fills with zeros.", []) { t, _ in try Init.zeros_(t) },
            fn("ones_", "ones_(tensor)", "Fills with ones.", []) { t, _ in try Init.ones_(t) },
            fn("normal_", "normal_(tensor, mean=0.0, std=1.0)", "Fills with N(mean, std²).", ["mean", "std"]) { t, a in
                try Init.normal_(t, mean: try a.double(1, "mean", default: 0), std: try a.double(2, "std", default: 1))
            },
            fn("uniform_", "uniform_(tensor, a=0.0, b=1.0)", "Fills with U(a, b).", ["a", "b"]) { t, a in
                try Init.uniform_(t, try a.double(1, "a", default: 0), try a.double(2, "b", default: 1))
            },
            fn("constant_", "constant_(tensor, val)", "Fills with val.", ["val"]) { t, a in
                let v = try a.double(1, "val")
                try Init.uniform_(t, v, v)
            },
            NativeFunction("calculate_gain", "calculate_gain(nonlinearity, param=None)", doc: "The recommended gain for a nonlinearity ('relu' → √2, 'tanh' → 5/3, …).") { a in
                var args = a; args.functionName = "calculate_gain"
                let p = args.optional(1, "param").flatMap { $0.isNone ? nil : $0.doubleValue }
                return .float(try Init.gain(try args.string(0, "nonlinearity"), param: p))
            },
        ]
    }
}
