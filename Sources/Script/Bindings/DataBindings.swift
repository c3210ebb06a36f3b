import Engine

/// The `data` module (LANGUAGE.md): data sets made in-process or shipped with Myelin, each returning
/// `(x, y)` tensors (features float32, class labels int64), plus batching, splitting, metrics and
/// file readers (`DataLoaderBindings.swift`, `DataFileBindings.swift`, `DataTextBindings.swift`).
enum DataBindings {
    /// Built once: its types (and their class objects) are shared by every session.
    static let module: BindingModule = {
        ErrorMapping.register { ($0 as? DataError).map { ScriptError(.valueError, $0.message) } }
        let m = BindingModule(name: "data", doc: "Data sets (xor, spirals, moons, blobs, digits, iris, sine_waves, anbn, reber, text, karate_club), DataLoader, train_test_split, accuracy and file readers.")
        installSynthetic(m)
        installShipped(m)
        installLoading(m)
        installFiles(m)
        installText(m)
        return m
    }()

    static func install(_ table: BindingTable) {
        table.add(module)
    }

    // MARK: Shared conversions

    /// A seed argument (int or None) as the engine's seed type.
    static func seed(_ a: Arguments, _ i: Int) throws -> UInt64? {
        guard let v = a.optional(i, "seed"), !v.isNone else { return nil }
        guard let n = v.intValue else {
            throw ScriptError(.typeError, "\(a.functionName)() argument 'seed' must be an int or None, not \(typeName(v))")
        }
        return UInt64(bitPattern: Int64(n))
    }

    /// `(x, y)` with x float32 of the data set's shape and y int64 labels.
    static func pair(_ d: Dataset) throws -> Value {
        let x = try Tensor(d.features, shape: d.shape)
        let y = try Tensor(d.labels.map { Int64($0) }, shape: [d.labels.count])
        return .tuple([TensorBindings.wrap(x), TensorBindings.wrap(y)])
    }

    static func function(_ m: BindingModule, _ name: String, _ signature: String, _ doc: String,
                         _ body: @escaping (Arguments) throws -> Value) {
        m.add(NativeFunction(name, signature, doc: doc) { a in
            var a = a
            a.functionName = name
            return try body(a)
        })
    }

    // MARK: Data sets

    private static func installSynthetic(_ m: BindingModule) {
        function(m, "xor", "xor()", "The four XOR points: x float32 [4, 2] = [[0,0],[0,1],[1,0],[1,1]], y int64 [4] = [0,1,1,0].") { a in
            try a.check(max: 0)
            return try pair(Datasets.xor())
        }
        function(m, "spirals", "spirals(n=194, noise=0.0, seed=None)",
                 "Two interleaved spirals (Lang & Witbrock 1988): x float32 [n, 2], y int64 [n] (half class 0, then class 1). n=194, noise=0 is the classic 97 points per spiral; noise adds Gaussian jitter (std).") { a in
            try a.check(max: 3, keywords: ["n", "noise", "seed"])
            return try pair(Datasets.spirals(count: try a.int(0, "n", default: 194),
                                             noise: try a.double(1, "noise", default: 0), seed: try seed(a, 2)))
        }
        function(m, "moons", "moons(n=200, noise=0.0, seed=None)",
                 "Two interleaving half circles like scikit-learn's make_moons: x float32 [n, 2], y int64 [n].") { a in
            try a.check(max: 3, keywords: ["n", "noise", "seed"])
            return try pair(Datasets.moons(count: try a.int(0, "n", default: 200),
                                           noise: try a.double(1, "noise", default: 0), seed: try seed(a, 2)))
        }
        function(m, "blobs", "blobs(n=300, centers=3, std=1.0, dim=2, seed=None)",
                 "Gaussian blobs like make_blobs: centers is a count (drawn in [-10, 10]^dim) or a list of points. x float32 [n, dim], y int64 [n] = centre index.") { a in
            try a.check(max: 5, keywords: ["n", "centers", "std", "dim", "seed"])
            let n = try a.int(0, "n", default: 300), std = try a.double(2, "std", default: 1)
            let s = try seed(a, 4)
            if let c = a.optional(1, "centers"), !c.isNone, c.intValue == nil {
                let points = try TensorBindings.tensorArgument(c, "blobs() centers", dtype: .float32)
                guard points.ndim == 2 else {
                    throw ScriptError(.valueError, "blobs() centers must be a count or a list of points [[x, y], …], got shape \(points.shape)")
                }
                let flat = points.floatArray(), dim = points.shape[1]
                let rows = (0..<points.shape[0]).map { Array(flat[$0 * dim..<($0 + 1) * dim]) }
                return try pair(Datasets.blobs(count: n, centers: rows, std: std, seed: s))
            }
            return try pair(Datasets.blobs(count: n, centerCount: try a.int(1, "centers", default: 3),
                                           dimensions: try a.int(3, "dim", default: 2), std: std, seed: s))
        }
        function(m, "sine_waves", "sine_waves(n=100, length=50, step=0.1, noise=0.0, seed=None)",
                 "Sine waves sin(ωt + φ) (ω in [0.5, 1.5], φ in [0, 2π)) for next-value prediction: x float32 [n, length, 1] and targets y float32 [n, length, 1], y shifted one step ahead of x.") { a in
            try a.check(max: 5, keywords: ["n", "length", "step", "noise", "seed"])
            let d = try Datasets.sineWaves(count: try a.int(0, "n", default: 100), length: try a.int(1, "length", default: 50),
                                           step: try a.double(2, "step", default: 0.1), noise: try a.double(3, "noise", default: 0),
                                           seed: try seed(a, 4))
            return .tuple([TensorBindings.wrap(try Tensor(d.inputs, shape: d.inputShape)),
                           TensorBindings.wrap(try Tensor(d.targets, shape: d.targetShape))])
        }
        function(m, "karate_club", "karate_club()",
                 "Zachary's karate club (1977): adjacency float32 [34, 34] (78 undirected edges, zero diagonal) and club int64 [34] (1 = \"Officer\", 0 = \"Mr. Hi\").") { a in
            try a.check(max: 0)
            let k = Datasets.karateClub()
            return .tuple([TensorBindings.wrap(try Tensor(k.adjacency, shape: k.shape)),
                           TensorBindings.wrap(try Tensor(k.labels.map { Int64($0) }, shape: [k.labels.count]))])
        }
    }

    private static func installShipped(_ m: BindingModule) {
        function(m, "digits", "digits()",
                 "The UCI 8×8 handwritten digits (as in scikit-learn): x float32 [1797, 8, 8] in [0, 1], y int64 [1797] in 0…9.") { a in
            try a.check(max: 0)
            return try pair(Datasets.digits())
        }
        function(m, "iris", "iris()",
                 "Fisher's iris: x float32 [150, 4] (sepal length, sepal width, petal length, petal width in cm), y int64 [150] (0 setosa, 1 versicolor, 2 virginica).") { a in
            try a.check(max: 0)
            return try pair(Datasets.iris())
        }
        m.addValue("iris_classes", doc: "Names of iris()'s classes.") {
            .list(Datasets.irisClassNames.map { Value.str($0) })
        }
    }
}
