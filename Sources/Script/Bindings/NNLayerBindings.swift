import Engine

/// The native layer types of `nn` (LANGUAGE.md "Built-in modules"): constructors with PyTorch's
/// arguments, attributes (`weight`, `in_features`, …) and calls.
enum NNLayerBindings {
    /// Builds a native layer type: `make` parses the constructor arguments; `call` (default: one
    /// tensor in, one out through `module(x)`) runs the layer.
    static func layer<M: Module>(_ m: M.Type, _ name: String, _ signature: String, doc: String,
                                 properties: [NativeProperty] = [],
                                 call: ((M, Arguments) throws -> Value)? = nil,
                                 make: @escaping (Arguments) throws -> M) -> NativeType {
        let t = NativeType(name: name, doc: doc)
        for p in properties { t.properties[p.name] = p }
        if let call {
            t.call = { n, a in
                guard let layer = n.payload as? M else { throw ScriptError(.typeError, "not a \(name)") }
                return try call(layer, a)
            }
        } else {
            t.call = { n, a in
                guard let layer = n.payload as? Module else { throw ScriptError(.typeError, "not a \(name)") }
                guard a.positional.count == 1, a.keywords.isEmpty else {
                    throw ScriptError(.typeError, "\(layer.shortDescription) takes one input tensor (\(a.positional.count + a.keywords.count) arguments given)")
                }
                let x = try TensorBindings.tensorArgument(a.positional[0], "\(name) input")
                return TensorBindings.wrap(try layer(x))
            }
        }
        let ctor = NativeFunction(name, signature, doc: doc) { a in
            var args = a; args.functionName = name
            return t.wrap(try make(args))
        }
        NNModules.finish(t, for: M.self, constructor: ctor)
        return t
    }

    // MARK: attribute helpers

    static func param(_ name: String) -> NativeProperty {
        NativeProperty(name, doc: "The '\(name)' parameter (a tensor the optimiser updates; assignable).", get: { n in
            ((n.payload as? Module)?.parameter(name)).map(TensorBindings.wrap) ?? .none
        }, set: { n, v in
            guard let m = n.payload as? Module else { return }
            if v.isNone { try m.register(name: name, parameter: nil); return }
            let t = try TensorBindings.tensorArgument(v, "\(m.shortDescription).\(name)", dtype: .float32)
            if let old = m.parameter(name), old.shape != t.shape {
                throw ScriptError(.shapeError, "\(m.shortDescription).\(name) must keep its shape \(old.shape), got \(t.shape)")
            }
            try m.register(name: name, parameter: t.isLeaf ? t : t.detach())
        })
    }

    static func buffer(_ name: String) -> NativeProperty {
        NativeProperty(name, doc: "The '\(name)' buffer (saved with the model, not trained).", get: { n in
            ((n.payload as? Module)?.buffer(name)).map(TensorBindings.wrap) ?? .none
        }, set: { n, v in
            guard let m = n.payload as? Module else { return }
            m.register(name: name, buffer: try TensorBindings.tensorArgument(v, "\(m.shortDescription).\(name)"))
        })
    }

    static func child(_ name: String) -> NativeProperty {
        NativeProperty(name, doc: "The '\(name)' sub-layer.", get: { n in
            ((n.payload as? Module)?.child(name)).map(NNModules.wrap) ?? .none
        })
    }

    static func value<M: Module>(_ name: String, _ m: M.Type, _ get: @escaping (M) -> Value) -> NativeProperty {
        NativeProperty(name, doc: "The layer's '\(name)' setting.", get: { n in (n.payload as? M).map(get) ?? .none })
    }

    /// Every layer type in `nn`, made once so every session shares the same class objects.
    static let types: [NativeType] = all()

    private static func all() -> [NativeType] {
        [linear(), conv2d(), convTranspose2d(), pool(MaxPool2d.self, "MaxPool2d", max: true), pool(AvgPool2d.self, "AvgPool2d", max: false),
         flatten(), dropout(), batchNorm(BatchNorm1d.self, "BatchNorm1d"), batchNorm(BatchNorm2d.self, "BatchNorm2d"),
         layerNorm(), embedding(), graphConv()]
            + activations() + NNContainerBindings.all() + NNSequenceBindings.all()
    }

    // MARK: layers

    static func linear() -> NativeType {
        layer(Linear.self, "Linear", "Linear(in_features, out_features, bias=True)",
              doc: "y = x Wᵀ + b on the last dimension; W is [out_features, in_features] (PyTorch's default initialisation).",
              properties: [param("weight"), param("bias"),
                           value("in_features", Linear.self) { .int($0.inFeatures) },
                           value("out_features", Linear.self) { .int($0.outFeatures) }]) { a in
            try a.check(max: 3, keywords: ["in_features", "out_features", "bias"])
            return try Linear(try a.int(0, "in_features"), try a.int(1, "out_features"), bias: a.bool(2, "bias", default: true))
        }
    }

    static func conv2d() -> NativeType {
        layer(Conv2d.self, "Conv2d", "Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True)",
              doc: "2-D convolution over [N, C, H, W] (or [C, H, W]); sizes are ints or (h, w) pairs.",
              properties: [param("weight"), param("bias"),
                           value("in_channels", Conv2d.self) { .int($0.inChannels) },
                           value("out_channels", Conv2d.self) { .int($0.outChannels) },
                           value("kernel_size", Conv2d.self) { NNModules.tuple($0.kernelSize) },
                           value("stride", Conv2d.self) { NNModules.tuple($0.stride) },
                           value("padding", Conv2d.self) { NNModules.tuple($0.padding) }]) { a in
            try a.check(max: 8, keywords: ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"])
            if let p = a.optional(4, "padding")?.stringValue {
                throw ScriptError(.valueError, "Conv2d: padding='\(p)' is not supported; give the padding as an int or (h, w) pair")
            }
            return try Conv2d(try a.int(0, "in_channels"), try a.int(1, "out_channels"), kernelSize: try NNModules.pair(a, 2, "kernel_size"),
                              stride: try NNModules.pair(a, 3, "stride", default: (1, 1)), padding: try NNModules.pair(a, 4, "padding", default: (0, 0)),
                              dilation: try NNModules.pair(a, 5, "dilation", default: (1, 1)), groups: try a.int(6, "groups", default: 1),
                              bias: a.bool(7, "bias", default: true))
        }
    }

    static func convTranspose2d() -> NativeType {
        layer(ConvTranspose2d.self, "ConvTranspose2d", "ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1)",
              doc: "Transposed 2-D convolution (upsampling); weight is [in_channels, out_channels, kh, kw].",
              properties: [param("weight"), param("bias"),
                           value("in_channels", ConvTranspose2d.self) { .int($0.inChannels) },
                           value("out_channels", ConvTranspose2d.self) { .int($0.outChannels) },
                           value("kernel_size", ConvTranspose2d.self) { NNModules.tuple($0.kernelSize) }]) { a in
            try a.check(max: 9, keywords: ["in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation"])
            guard try a.int(6, "groups", default: 1) == 1 else { throw ScriptError(.valueError, "ConvTranspose2d: only groups=1 is supported") }
            return try ConvTranspose2d(try a.int(0, "in_channels"), try a.int(1, "out_channels"), kernelSize: try NNModules.pair(a, 2, "kernel_size"),
                                       stride: try NNModules.pair(a, 3, "stride", default: (1, 1)), padding: try NNModules.pair(a, 4, "padding", default: (0, 0)),
                                       outputPadding: try NNModules.pair(a, 5, "output_padding", default: (0, 0)), bias: a.bool(7, "bias", default: true),
                                       dilation: try NNModules.pair(a, 8, "dilation", default: (1, 1)))
        }
    }

    static func pool<M: Module>(_ m: M.Type, _ name: String, max: Bool) -> NativeType {
        layer(M.self, name, "\(name)(kernel_size, stride=None, padding=0)",
              doc: max ? "2-D max pooling; stride defaults to kernel_size." : "2-D average pooling (padding counts as zeros); stride defaults to kernel_size.") { a in
            try a.check(max: 3, keywords: ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"])
            if a.bool(99, "ceil_mode", default: false) { throw ScriptError(.valueError, "\(name): ceil_mode=True is not supported") }
            let k = try NNModules.pair(a, 0, "kernel_size")
            let s: (Int, Int)? = a.optional(1, "stride").map { $0.isNone } == false ? try NNModules.pair(a, 1, "stride") : nil
            let p = try NNModules.pair(a, 2, "padding", default: (0, 0))
            let made: Module = max ? try MaxPool2d(kernelSize: k, stride: s, padding: p) : try AvgPool2d(kernelSize: k, stride: s, padding: p)
            guard let typed = made as? M else { throw ScriptError(.runtimeError, "\(name): internal type mismatch") }
            return typed
        }
    }

    static func flatten() -> NativeType {
        layer(Flatten.self, "Flatten", "Flatten(start_dim=1, end_dim=-1)", doc: "Flattens dimensions start_dim..end_dim into one ([N, C, H, W] → [N, C·H·W]).") { a in
            try a.check(max: 2, keywords: ["start_dim", "end_dim"])
            return Flatten(startDim: try a.int(0, "start_dim", default: 1), endDim: try a.int(1, "end_dim", default: -1))
        }
    }

    static func dropout() -> NativeType {
        layer(Dropout.self, "Dropout", "Dropout(p=0.5)", doc: "Zeroes each element with probability p in training mode (scaling the rest by 1/(1-p)); does nothing in eval mode.",
              properties: [value("p", Dropout.self) { .float($0.p) }]) { a in
            try a.check(max: 2, keywords: ["p", "inplace"])
            return try Dropout(p: try a.double(0, "p", default: 0.5))
        }
    }

    static func batchNorm<M: BatchNorm>(_ m: M.Type, _ name: String) -> NativeType {
        layer(M.self, name, "\(name)(num_features, eps=1e-05, momentum=0.1, affine=True)",
              doc: "Batch normalisation over channel dim 1 with running statistics for eval mode.",
              properties: [param("weight"), param("bias"), buffer("running_mean"), buffer("running_var"),
                           value("num_features", M.self) { .int($0.numFeatures) },
                           value("eps", M.self) { .float($0.eps) }, value("momentum", M.self) { .float($0.momentum) }]) { a in
            try a.check(max: 4, keywords: ["num_features", "eps", "momentum", "affine", "track_running_stats"])
            let n = try a.int(0, "num_features"), eps = try a.double(1, "eps", default: 1e-5)
            let mom = try a.double(2, "momentum", default: 0.1), affine = a.bool(3, "affine", default: true)
            let made: BatchNorm = M.self == BatchNorm2d.self ? try BatchNorm2d(n, eps: eps, momentum: mom, affine: affine)
                                                              : try BatchNorm1d(n, eps: eps, momentum: mom, affine: affine)
            guard let typed = made as? M else { throw ScriptError(.runtimeError, "\(name): internal type mismatch") }
            return typed
        }
    }

    static func layerNorm() -> NativeType {
        layer(LayerNorm.self, "LayerNorm", "LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True)",
              doc: "Normalises over the last dimensions (normalized_shape) of each sample.",
              properties: [param("weight"), param("bias"), value("normalized_shape", LayerNorm.self) { .tuple($0.normalizedShape.map { .int($0) }) },
                           value("eps", LayerNorm.self) { .float($0.eps) }]) { a in
            try a.check(max: 3, keywords: ["normalized_shape", "eps", "elementwise_affine", "bias"])
            let shape = try TensorBindings.shape([try a.required(0, "normalized_shape")], "LayerNorm normalized_shape")
            return try LayerNorm(shape, eps: try a.double(1, "eps", default: 1e-5), elementwiseAffine: a.bool(2, "elementwise_affine", default: true))
        }
    }

    static func embedding() -> NativeType {
        layer(Embedding.self, "Embedding", "Embedding(num_embeddings, embedding_dim)",
              doc: "A lookup table: int64 indices of any shape → their rows of weight [num_embeddings, embedding_dim].",
              properties: [param("weight"), value("num_embeddings", Embedding.self) { .int($0.numEmbeddings) },
                           value("embedding_dim", Embedding.self) { .int($0.embeddingDim) }]) { a in
            try a.check(max: 3, keywords: ["num_embeddings", "embedding_dim", "padding_idx"])
            if let p = a.optional(2, "padding_idx"), !p.isNone { throw ScriptError(.valueError, "Embedding: padding_idx is not supported") }
            return try Embedding(try a.int(0, "num_embeddings"), try a.int(1, "embedding_dim"))
        }
    }

    static func graphConv() -> NativeType {
        layer(GraphConv.self, "GraphConv", "GraphConv(in_features, out_features, bias=True)",
              doc: "Graph convolution (GCN): layer(x, adjacency) = Â x Wᵀ + b with Â from nn.functional.normalize_adjacency.",
              properties: [param("weight"), param("bias"), value("in_features", GraphConv.self) { .int($0.inFeatures) },
                           value("out_features", GraphConv.self) { .int($0.outFeatures) }],
              call: { layer, a in
                  try a.check(max: 2, keywords: ["x", "adjacency", "adj"])
                  let x = try NNModules.tensor(a, 0, "x")
                  let adj = try TensorBindings.tensorArgument(a.optional(1, "adjacency") ?? a.required(1, "adj"), "GraphConv adjacency")
                  let out = try layer.forward(x, adjacency: adj)
                  layer.recordOutputShape(out.shape)
                  return TensorBindings.wrap(out)
              }) { a in
            try a.check(max: 3, keywords: ["in_features", "out_features", "bias"])
            return try GraphConv(try a.int(0, "in_features"), try a.int(1, "out_features"), bias: a.bool(2, "bias", default: true))
        }
    }

    // MARK: activations

    static func activations() -> [NativeType] {
        func noArgs<M: Module>(_ m: M.Type, _ name: String, _ doc: String, _ make: @escaping () -> M) -> NativeType {
            layer(M.self, name, "\(name)()", doc: doc) { a in
                try a.check(max: 1, keywords: ["inplace"])
                return make()
            }
        }
        return [
            noArgs(ReLU.self, "ReLU", "max(x, 0) elementwise.") { ReLU() },
            noArgs(Sigmoid.self, "Sigmoid", "1 / (1 + e^(−x)) elementwise.") { Sigmoid() },
            noArgs(Tanh.self, "Tanh", "tanh(x) elementwise.") { Tanh() },
            noArgs(SELU.self, "SELU", "Scaled exponential linear unit (self-normalising).") { SELU() },
            noArgs(Step.self, "Step", "The Heaviside step: 1 where x > 0, else 0 (the perceptron's activation; no useful gradient).") { Step() },
            layer(LeakyReLU.self, "LeakyReLU", "LeakyReLU(negative_slope=0.01)", doc: "x for x ≥ 0, negative_slope·x otherwise.",
                  properties: [value("negative_slope", LeakyReLU.self) { .float($0.negativeSlope) }]) { a in
                try a.check(max: 2, keywords: ["negative_slope", "inplace"])
                return LeakyReLU(negativeSlope: try a.double(0, "negative_slope", default: 0.01))
            },
            layer(Softmax.self, "Softmax", "Softmax(dim=-1)", doc: "Softmax along dim (the last by default).",
                  properties: [value("dim", Softmax.self) { .int($0.dim) }]) { a in
                try a.check(max: 1, keywords: ["dim"])
                return Softmax(dim: try a.int(0, "dim", default: -1))
            },
        ]
    }
}
