import Engine

/// `rl.Categorical` and `rl.Normal`, backed by the engine's tensor distributions so `log_prob` and
/// `entropy` are differentiable.
extension RLBindings {
    static let categoricalType = NativeType(name: "Categorical", doc: "A categorical distribution over the last dimension (torch.distributions.Categorical). Give exactly one of probs (non-negative, normalised per row) or logits (unnormalised log-probabilities), shape [classes] or [batch, classes]. sample() → int64 class indices (a 0-d tensor for one distribution); log_prob(a) and entropy() are differentiable, so -(dist.log_prob(a) * G).sum().backward() reaches the policy's parameters.")
    static let normalType = NativeType(name: "Normal", doc: "Independent Gaussians with elementwise mean and std (torch.distributions.Normal). Gaussians N(mean, std²), elementwise (mean and std broadcast; numbers or tensors; std > 0). sample() draws without gradient, rsample() = mean + std·ε keeps it; log_prob(x) and entropy() are differentiable.")

    static func floatTensor(_ v: Value, _ what: String) throws -> Tensor {
        let t = try TensorBindings.tensorArgument(v, what, dtype: .float32)
        return t.dtype == .float32 ? t : try t.to(.float32)
    }

    static func installDistributions(_ m: BindingModule) {
        installCategorical(m)
        installNormal(m)
    }

    private static func installCategorical(_ m: BindingModule) {
        let t = categoricalType
        t.constructor = NativeFunction("Categorical", "Categorical(probs=None, logits=None)",
                                       doc: "Give exactly one of probs (non-negative, normalised per row) or logits (unnormalised log-probabilities), shape [classes] or [batch, classes]. sample() → int64 class indices (a 0-d tensor for one distribution); log_prob(a) and entropy() are differentiable, so -(dist.log_prob(a) * G).sum().backward() reaches the policy's parameters.") { a in
            var a = a
            a.functionName = "Categorical"
            try a.check(max: 2, keywords: ["probs", "logits"])
            let probs = a.optional(0, "probs").flatMap { $0.isNone ? nil : $0 }
            let logits = a.optional(1, "logits").flatMap { $0.isNone ? nil : $0 }
            switch (probs, logits) {
            case (let p?, nil): return t.wrap(try Categorical(probs: try floatTensor(p, "Categorical() probs")))
            case (nil, let l?): return t.wrap(try Categorical(logits: try floatTensor(l, "Categorical() logits")))
            default: throw ScriptError(.valueError, "Categorical(): give exactly one of probs= or logits=")
            }
        }
        func me(_ a: Arguments) throws -> Categorical { try a.receiver(Categorical.self, "a Categorical") }
        t.methods["sample"] = NativeFunction("sample", "sample()", doc: "One class index per distribution, int64 (drawn from the generator seed() fixes; no gradient).") { a in
            TensorBindings.wrap(try me(a).sample())
        }
        t.methods["log_prob"] = NativeFunction("log_prob", "log_prob(value)", doc: "log P(value) for class indices value (broadcast against the batch); differentiable.") { a in
            let v = try TensorBindings.tensorArgument(try a.required(1, "value"), "log_prob() value")
            return TensorBindings.wrap(try me(a).logProb(v))
        }
        t.methods["entropy"] = NativeFunction("entropy", "entropy()", doc: "−Σ p log p per distribution; differentiable.") { a in
            TensorBindings.wrap(try me(a).entropy())
        }
        t.properties["probs"] = NativeProperty("probs", doc: "Normalised probabilities.") { o in
            guard let d = o.payload as? Categorical else { return .none }
            return TensorBindings.wrap(d.probs)
        }
        t.properties["logits"] = NativeProperty("logits", doc: "Normalised log-probabilities.") { o in
            guard let d = o.payload as? Categorical else { return .none }
            return TensorBindings.wrap(d.logits)
        }
        t.repr = { o in
            guard let d = o.payload as? Categorical else { return "Categorical(?)" }
            return "Categorical(classes=\(d.classCount)\(d.batchShape.isEmpty ? "" : ", batch_shape=\(d.batchShape)"))"
        }
        m.add(t)
    }

    private static func installNormal(_ m: BindingModule) {
        let t = normalType
        t.constructor = NativeFunction("Normal", "Normal(mean, std)",
                                       doc: "Gaussians N(mean, std²), elementwise (mean and std broadcast; numbers or tensors; std > 0). sample() draws without gradient, rsample() = mean + std·ε keeps it; log_prob(x) and entropy() are differentiable.") { a in
            var a = a
            a.functionName = "Normal"
            try a.check(max: 2, keywords: ["mean", "std", "loc", "scale"])
            let mean = try a.optional(0, "mean") ?? a.required(0, "loc")
            let std = try a.optional(1, "std") ?? a.required(1, "scale")
            return t.wrap(try Normal(mean: try floatTensor(mean, "Normal() mean"), std: try floatTensor(std, "Normal() std")))
        }
        func me(_ a: Arguments) throws -> Normal { try a.receiver(Normal.self, "a Normal") }
        t.methods["sample"] = NativeFunction("sample", "sample()", doc: "A draw of the batch shape, without gradient.") { a in
            TensorBindings.wrap(try me(a).sample())
        }
        t.methods["rsample"] = NativeFunction("rsample", "rsample()", doc: "A reparameterised draw mean + std·ε: gradients reach mean and std.") { a in
            TensorBindings.wrap(try me(a).rsample())
        }
        t.methods["log_prob"] = NativeFunction("log_prob", "log_prob(value)", doc: "Elementwise log density; differentiable.") { a in
            TensorBindings.wrap(try me(a).logProb(try floatTensor(try a.required(1, "value"), "log_prob() value")))
        }
        t.methods["entropy"] = NativeFunction("entropy", "entropy()", doc: "Elementwise ½ + ½ log 2π + log std; differentiable.") { a in
            TensorBindings.wrap(try me(a).entropy())
        }
        for (name, doc) in [("mean", "The mean (broadcast)."), ("loc", "The mean, as PyTorch names it.")] {
            t.properties[name] = NativeProperty(name, doc: doc) { o in
                guard let d = o.payload as? Normal else { return .none }
                return TensorBindings.wrap(d.mean)
            }
        }
        for (name, doc) in [("std", "The standard deviation (broadcast)."), ("scale", "The standard deviation, as PyTorch names it.")] {
            t.properties[name] = NativeProperty(name, doc: doc) { o in
                guard let d = o.payload as? Normal else { return .none }
                return TensorBindings.wrap(d.std)
            }
        }
        t.repr = { o in "Normal(batch_shape=\((o.payload as? Normal)?.batchShape ?? []))" }
        m.add(t)
    }
}
