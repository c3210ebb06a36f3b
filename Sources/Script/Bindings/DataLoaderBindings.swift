import Engine

/// A `DataLoader` as scripts hold it: the engine's index batcher plus the tensors it batches.
final class ScriptDataLoader {
    let batches: DataLoader
    let tensors: [Tensor]
    init(batches: DataLoader, tensors: [Tensor]) { self.batches = batches; self.tensors = tensors }
}

/// `data.DataLoader`, `data.train_test_split` and `data.accuracy`.
extension DataBindings {
    static let loaderType = NativeType(name: "DataLoader", doc: "Mini-batches of (x, y) tensors, reshuffled every epoch when shuffle=True. Iterating gives (xb, yb) batches of rows of x and y (just xb when y is None), the last batch partial unless drop_last. With shuffle=True every epoch (every for loop) uses a new order, drawn from seed's own generator if given, else from the global one that seed() fixes. len() is the number of batches.")

    /// Rows `indices` of `t` (along the first dimension).
    static func rows(_ t: Tensor, _ indices: [Int]) throws -> Tensor {
        try t.index([.tensor(try Tensor(indices.map { Int64($0) }, shape: [indices.count]))])
    }

    /// Tensor arguments that must share their first dimension; returns that size.
    static func commonLength(_ tensors: [Tensor], _ what: String) throws -> Int {
        guard let first = tensors.first else { return 0 }
        for t in tensors where t.ndim == 0 {
            throw ScriptError(.valueError, "\(what): tensors must have a first (example) dimension; got a 0-d tensor")
        }
        let n = first.shape[0]
        for t in tensors.dropFirst() where t.shape[0] != n {
            throw ScriptError(.valueError, "\(what): x has \(n) examples but y has \(t.shape[0]); they must match along the first dimension")
        }
        return n
    }

    static func installLoading(_ m: BindingModule) {
        installLoader(m)
        function(m, "train_test_split", "train_test_split(x, y, test_size=0.25, seed=None)",
                 "Splits examples at random like scikit-learn: returns x_train, x_test, y_train, y_test. The test part has ceil(test_size × N) examples; seed fixes the split (else seed() does).") { a in
            try a.check(max: 4, keywords: ["x", "y", "test_size", "seed"])
            let x = try TensorBindings.tensorArgument(try a.required(0, "x"), "train_test_split() x")
            let y = try TensorBindings.tensorArgument(try a.required(1, "y"), "train_test_split() y")
            let n = try commonLength([x, y], "train_test_split()")
            let split = try Datasets.trainTestSplit(count: n, testSize: try a.double(2, "test_size", default: 0.25), seed: try seed(a, 3))
            return .tuple(try [rows(x, split.train), rows(x, split.test), rows(y, split.train), rows(y, split.test)]
                .map { TensorBindings.wrap($0) })
        }
        function(m, "accuracy", "accuracy(output, y)",
                 """
                 The fraction of examples classified correctly, as a float. output [N, C] (logits or probabilities): \
                 the predicted class is the argmax over the last dimension. output [N] or [N, 1] of floats: \
                 probabilities of class 1, predicted 1 when > 0.5 (for logits, pass sigmoid(logits) or logits > 0). \
                 Integer or bool output [N] is taken as the predicted labels. y holds labels [N] (or [N, 1]).
                 """) { a in
            try a.check(max: 2, keywords: ["output", "y"])
            let out = try TensorBindings.tensorArgument(try a.required(0, "output"), "accuracy() output")
            let y = try TensorBindings.tensorArgument(try a.required(1, "y"), "accuracy() y")
            return .float(try accuracy(out, y))
        }
    }

    /// Class labels as integers; NaN or values beyond ±2^53 are a ValueError, not a trap.
    private static func classLabels(_ values: [Double], _ what: String) throws -> [Int] {
        try values.map { v in
            guard v.isFinite, Swift.abs(v) < 9.0e15 else {
                throw ScriptError(.valueError, "\(what) must hold class labels (whole numbers), got \(v)")
            }
            return Int(v.rounded())
        }
    }

    static func accuracy(_ out: Tensor, _ y: Tensor) throws -> Double {
        guard y.ndim == 1 || (y.ndim == 2 && y.shape[1] == 1) else {
            throw ScriptError(.shapeError, "accuracy(): y must be labels of shape [N] or [N, 1], got \(y.shape)")
        }
        let labels = try classLabels(y.doubleArray(), "accuracy(): y")
        let predictions: [Int]
        if out.ndim == 2 && out.shape[1] > 1 {
            predictions = try Metrics.predictedClasses(scores: try out.to(.float32).floatArray(), shape: out.shape)
        } else if out.ndim == 1 || (out.ndim == 2 && out.shape[1] == 1) {
            predictions = out.dtype == .float32
                ? out.floatArray().map { $0 > 0.5 ? 1 : 0 }
                : try classLabels(out.doubleArray(), "accuracy(): output")
        } else {
            throw ScriptError(.shapeError, "accuracy(): output must be [N, classes] scores or [N] / [N, 1] probabilities or labels, got \(out.shape)")
        }
        guard predictions.count == labels.count else {
            throw ScriptError(.shapeError, "accuracy(): output has \(predictions.count) examples but y has \(labels.count)")
        }
        return try Metrics.accuracy(predictions: predictions, labels: labels)
    }

    private static func installLoader(_ m: BindingModule) {
        let t = loaderType
        t.constructor = NativeFunction("DataLoader", "DataLoader(x, y=None, batch_size=32, shuffle=False, drop_last=False, seed=None)",
                                       doc: "Iterating gives (xb, yb) batches of rows of x and y (just xb when y is None), the last batch partial unless drop_last. With shuffle=True every epoch (every for loop) uses a new order, drawn from seed's own generator if given, else from the global one that seed() fixes. len() is the number of batches.") { a in
            var a = a
            a.functionName = "DataLoader"
            try a.check(max: 6, keywords: ["x", "y", "batch_size", "shuffle", "drop_last", "seed"])
            var tensors = [try TensorBindings.tensorArgument(try a.required(0, "x"), "DataLoader() x")]
            if let y = a.optional(1, "y"), !y.isNone {
                tensors.append(try TensorBindings.tensorArgument(y, "DataLoader() y"))
            }
            let n = try commonLength(tensors, "DataLoader()")
            let loader = try DataLoader(count: n, batchSize: try a.int(2, "batch_size", default: 32),
                                        shuffle: a.bool(3, "shuffle", default: false),
                                        dropLast: a.bool(4, "drop_last", default: false), seed: try seed(a, 5))
            return t.wrap(ScriptDataLoader(batches: loader, tensors: tensors))
        }
        func me(_ o: NativeObject) throws -> ScriptDataLoader {
            guard let l = o.payload as? ScriptDataLoader else { throw ScriptError(.typeError, "expected a DataLoader") }
            return l
        }
        t.length = { try me($0).batches.batchCount }
        t.iterate = { o in
            let l = try me(o)
            let epoch = l.batches.nextEpoch()
            var next = 0
            return {
                guard next < epoch.count else { return nil }
                let indices = epoch[next]
                next += 1
                let parts = try l.tensors.map { TensorBindings.wrap(try rows($0, indices)) }
                return parts.count == 1 ? parts[0] : .tuple(parts)
            }
        }
        t.properties["batch_size"] = NativeProperty("batch_size", doc: "Examples per batch.") { .int(try me($0).batches.batchSize) }
        t.properties["dataset_size"] = NativeProperty("dataset_size", doc: "Number of examples.") { .int(try me($0).batches.count) }
        t.properties["epoch"] = NativeProperty("epoch", doc: "Epochs (iterations over the loader) started so far.") { .int(try me($0).batches.epoch) }
        t.repr = { o in
            guard let l = o.payload as? ScriptDataLoader else { return "DataLoader(?)" }
            return "DataLoader(\(l.batches.count) examples, batch_size=\(l.batches.batchSize), shuffle=\(l.batches.shuffle ? "True" : "False"), \(l.batches.batchCount) batches)"
        }
        m.add(t)
    }
}
