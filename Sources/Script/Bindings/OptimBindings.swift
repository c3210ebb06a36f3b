import Engine

/// The `optim` module (LANGUAGE.md): optimisers with PyTorch's update rules, learning-rate
/// schedulers (also as `optim.lr_scheduler`) and `clip_grad_norm_`.
enum OptimBindings {
    static func install(_ table: BindingTable) {
        let optim = BindingModule(name: "optim", doc: "Optimisers and learning-rate schedulers (torch.optim).")
        for t in optimizerTypes { optim.add(t) }
        let schedulers = BindingModule(name: "lr_scheduler", doc: "Learning-rate schedulers (torch.optim.lr_scheduler).")
        for t in [stepLR, exponentialLR] { optim.add(t); schedulers.add(t) }
        optim.add(schedulers)
        optim.add(clipGradNorm)
        table.add(optim)
    }

    // MARK: optimisers

    /// Parses `params`, `lr` and the optimiser's own keywords; `make` builds it.
    static func optimizer(_ name: String, _ signature: String, doc: String, keywords: [String],
                          make: @escaping ([Tensor], Arguments) throws -> Optimizer) -> NativeType {
        let t = NativeType(name: name, doc: doc)
        t.methods["step"] = NativeFunction("step", "step()", doc: "Updates every parameter that has a gradient.") { a in
            try receiver(a).step(); return .none
        }
        t.methods["zero_grad"] = NativeFunction("zero_grad", "zero_grad(set_to_none=True)", doc: "Clears the gradients of the optimised parameters.") { a in
            try receiver(a).zeroGrad(); return .none
        }
        t.properties["lr"] = NativeProperty("lr", doc: "The learning rate now in use (assignable).", get: { n in
            .float((n.payload as? Optimizer)?.lr ?? 0)
        }, set: { n, v in
            guard let o = n.payload as? Optimizer else { return }
            o.lr = try learningRate(v, name)
        })
        t.properties["param_groups"] = NativeProperty("param_groups", doc: "One group: [{'params': …, 'lr': …}]; setting group['lr'] changes the learning rate.") { n in
            .list([paramGroupType.wrap(n.payload)])
        }
        t.repr = { n in
            guard let o = n.payload as? Optimizer else { return name }
            return "\(name) (lr=\(repr(.float(o.lr))), \(o.params.count) parameter tensor\(o.params.count == 1 ? "" : "s"))"
        }
        let ctor = NativeFunction(name, signature, doc: doc) { a in
            var args = a; args.functionName = name
            try args.check(max: 2 + keywords.count, keywords: ["params", "lr"] + keywords)
            let params = try NNModules.tensorList(try args.required(0, "params"), "\(name)() params")
            return t.wrap(try make(params, args))
        }
        t.constructor = ctor
        t.classObject.attrs["__new__"] = .obj(BuiltinObj(ctor))
        return t
    }

    static func receiver(_ a: Arguments) throws -> Optimizer { try a.receiver(Optimizer.self, "an optimizer") }

    static func learningRate(_ v: Value, _ name: String) throws -> Double {
        let lr = try TensorBindings.scalar(v, "\(name) lr")
        guard lr >= 0, lr.isFinite else { throw ScriptError(.valueError, "\(name): invalid learning rate: \(lr)") }
        return lr
    }

    static func betas(_ a: Arguments, _ i: Int) throws -> (Double, Double) {
        guard let v = a.optional(i, "betas"), !v.isNone else { return (0.9, 0.999) }
        guard let xs = v.asTuple?.items ?? v.asList?.items, xs.count == 2, let b1 = xs[0].doubleValue, let b2 = xs[1].doubleValue else {
            throw ScriptError(.typeError, "\(a.functionName)() betas must be a pair of numbers, e.g. (0.9, 0.999)")
        }
        return (b1, b2)
    }

    static func lr(_ a: Arguments, default d: Double?) throws -> Double {
        guard let v = a.optional(1, "lr"), !v.isNone else {
            if let d { return d }
            throw ScriptError(.typeError, "\(a.functionName)() missing required argument: 'lr'")
        }
        return try learningRate(v, a.functionName)
    }

    /// The optimiser types, made once so every session shares the same class objects.
    static let optimizerTypes: [NativeType] = [
            optimizer("SGD", "SGD(params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False)",
                      doc: "Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay.",
                      keywords: ["momentum", "dampening", "weight_decay", "nesterov"]) { p, a in
                try SGD(p, lr: try lr(a, default: 1e-3), momentum: try a.double(2, "momentum", default: 0), dampening: try a.double(3, "dampening", default: 0),
                        weightDecay: try a.double(4, "weight_decay", default: 0), nesterov: a.bool(5, "nesterov", default: false))
            },
            optimizer("Adam", "Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False)",
                      doc: "Adam: adaptive moments with bias correction.", keywords: ["betas", "eps", "weight_decay", "amsgrad"]) { p, a in
                try Adam(p, lr: try lr(a, default: 1e-3), betas: try betas(a, 2), eps: try a.double(3, "eps", default: 1e-8),
                         weightDecay: try a.double(4, "weight_decay", default: 0), amsgrad: a.bool(5, "amsgrad", default: false))
            },
            optimizer("AdamW", "AdamW(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False)",
                      doc: "Adam with decoupled weight decay.", keywords: ["betas", "eps", "weight_decay", "amsgrad"]) { p, a in
                try AdamW(p, lr: try lr(a, default: 1e-3), betas: try betas(a, 2), eps: try a.double(3, "eps", default: 1e-8),
                          weightDecay: try a.double(4, "weight_decay", default: 0.01), amsgrad: a.bool(5, "amsgrad", default: false))
            },
            optimizer("Adagrad", "Adagrad(params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)",
                      doc: "Adagrad: per-coordinate steps shrinking with the summed squared gradients.",
                      keywords: ["lr_decay", "weight_decay", "initial_accumulator_value", "eps"]) { p, a in
                try Adagrad(p, lr: try lr(a, default: 1e-2), lrDecay: try a.double(2, "lr_decay", default: 0),
                            weightDecay: try a.double(3, "weight_decay", default: 0),
                            initialAccumulatorValue: try a.double(4, "initial_accumulator_value", default: 0), eps: try a.double(5, "eps", default: 1e-10))
            },
            optimizer("Adadelta", "Adadelta(params, lr=1.0, rho=0.9, eps=1e-06, weight_decay=0)",
                      doc: "Adadelta: steps scaled by running averages of squared gradients and updates.", keywords: ["rho", "eps", "weight_decay"]) { p, a in
                try Adadelta(p, lr: try lr(a, default: 1.0), rho: try a.double(2, "rho", default: 0.9), eps: try a.double(3, "eps", default: 1e-6),
                             weightDecay: try a.double(4, "weight_decay", default: 0))
            },
            optimizer("RMSprop", "RMSprop(params, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False)",
                      doc: "RMSprop: steps divided by a running RMS of the gradients.", keywords: ["alpha", "eps", "weight_decay", "momentum", "centered"]) { p, a in
                try RMSprop(p, lr: try lr(a, default: 1e-2), alpha: try a.double(2, "alpha", default: 0.99), eps: try a.double(3, "eps", default: 1e-8),
                            weightDecay: try a.double(4, "weight_decay", default: 0), momentum: try a.double(5, "momentum", default: 0),
                            centered: a.bool(6, "centered", default: false))
            },
    ]

    /// `opt.param_groups[0]`: a dict-like view of the optimiser's one group; `['lr']` is live.
    static let paramGroupType: NativeType = {
        let t = NativeType(name: "ParamGroup", doc: "The optimiser's parameter group; g['lr'] reads or sets the learning rate.")
        t.getItem = { n, key in
            guard let o = n.payload as? Optimizer else { return .none }
            switch key.stringValue {
            case "lr": return .float(o.lr)
            case "initial_lr": return .float(o.initialLr)
            case "params": return .list(o.params.map(TensorBindings.wrap))
            default: throw ScriptError(.keyError, "param group has keys 'params', 'lr' and 'initial_lr', not \(repr(key))")
            }
        }
        t.setItem = { n, key, v in
            guard let o = n.payload as? Optimizer else { return }
            guard key.stringValue == "lr" else { throw ScriptError(.keyError, "only a param group's 'lr' can be changed, not \(repr(key))") }
            o.lr = try learningRate(v, "param_groups")
        }
        t.repr = { n in "{'lr': \(repr(.float((n.payload as? Optimizer)?.lr ?? 0)))}" }
        return t
    }()

    // MARK: schedulers

    static func optimizerArgument(_ a: Arguments) throws -> Optimizer {
        let v = try a.required(0, "optimizer")
        guard let o = v.asNative?.payload as? Optimizer else { throw ScriptError(.typeError, "\(a.functionName)() expects an optimizer (e.g. optim.SGD(...)), not \(typeName(v))") }
        return o
    }

    static func scheduler<S: AnyObject>(_ name: String, _ signature: String, doc: String, keywords: [String],
                                        step: @escaping (S) -> Void, lastLr: @escaping (S) -> Double, epoch: @escaping (S) -> Int,
                                        make: @escaping (Arguments) throws -> S) -> NativeType {
        let t = NativeType(name: name, doc: doc)
        func me(_ a: Arguments) throws -> S { try a.receiver(S.self, "a \(name)") }
        t.methods["step"] = NativeFunction("step", "step()", doc: "Advances one epoch and sets the optimiser's learning rate.") { a in
            step(try me(a)); return .none
        }
        t.methods["get_last_lr"] = NativeFunction("get_last_lr", "get_last_lr()", doc: "[the learning rate now in use]") { a in
            .list([.float(lastLr(try me(a)))])
        }
        t.properties["last_epoch"] = NativeProperty("last_epoch", doc: "Epochs stepped so far.") { n in .int((n.payload as? S).map(epoch) ?? 0) }
        t.repr = { n in (n.payload as? S).map { "\(name)(last_epoch=\(epoch($0)), lr=\(repr(.float(lastLr($0)))))" } ?? name }
        let ctor = NativeFunction(name, signature, doc: doc) { a in
            var args = a; args.functionName = name
            try args.check(max: 1 + keywords.count, keywords: ["optimizer"] + keywords)
            return t.wrap(try make(args))
        }
        t.constructor = ctor
        t.classObject.attrs["__new__"] = .obj(BuiltinObj(ctor))
        return t
    }

    static let stepLR = scheduler("StepLR", "StepLR(optimizer, step_size, gamma=0.1)", doc: "Multiplies the learning rate by gamma every step_size epochs.",
                                  keywords: ["step_size", "gamma"], step: { (s: StepLR) in s.step() }, lastLr: { $0.lastLr }, epoch: { $0.lastEpoch }) { a in
        try StepLR(try optimizerArgument(a), stepSize: try a.int(1, "step_size"), gamma: try a.double(2, "gamma", default: 0.1))
    }

    static let exponentialLR = scheduler("ExponentialLR", "ExponentialLR(optimizer, gamma)", doc: "Multiplies the learning rate by gamma every epoch.",
                                         keywords: ["gamma"], step: { (s: ExponentialLR) in s.step() }, lastLr: { $0.lastLr }, epoch: { $0.lastEpoch }) { a in
        ExponentialLR(try optimizerArgument(a), gamma: try a.double(1, "gamma"))
    }

    // MARK: clipping

    static let clipGradNorm = NativeFunction("clip_grad_norm_", "clip_grad_norm_(parameters, max_norm, norm_type=2.0)",
                                             doc: "Scales all gradients down so their joint norm is at most max_norm; returns the norm before clipping.") { a in
        var args = a; args.functionName = "clip_grad_norm_"
        try args.check(max: 3, keywords: ["parameters", "max_norm", "norm_type"])
        let params = try NNModules.tensorList(try args.required(0, "parameters"), "clip_grad_norm_() parameters")
        let normType: Double
        if let v = args.optional(2, "norm_type"), let s = v.stringValue {
            guard s == "inf" else { throw ScriptError(.valueError, "clip_grad_norm_: norm_type must be a number or 'inf', got '\(s)'") }
            normType = .infinity
        } else { normType = try args.double(2, "norm_type", default: 2) }
        let total = try clipGradNorm_(params, maxNorm: try args.double(1, "max_norm"), normType: normType)
        return TensorBindings.wrap(try Tensor.full([], total))
    }
}
