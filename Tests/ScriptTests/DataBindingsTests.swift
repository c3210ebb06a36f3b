import Foundation
import Testing
import Engine
@testable import Script

/// A session with every binding installed, for tests of the Engine-backed modules.
func boundSession() -> ScriptSession {
    Bindings.installOnce()
    return ScriptSession(output: CapturedOutput())
}

extension ScriptSession {
    /// Runs `code`; records an issue (with the traceback) when it raises.
    @discardableResult
    func mustRun(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let r = execute(code: code, cellNumber: 1)
        if let e = r.error { Issue.record("script failed: \(e.traceback)", sourceLocation: sourceLocation); return false }
        return true
    }

    /// The exception name and message `code` raises, or nil.
    func failure(_ code: String) -> (name: String, message: String)? {
        execute(code: code, cellNumber: 1).error.map { ($0.name, $0.message) }
    }

    func global(_ name: String) -> Value? { vm.getGlobal(name) }

    func tensor(_ name: String) -> Tensor? { global(name).flatMap { TensorBindings.tensor(in: $0) } }

    func int(_ name: String) -> Int? { global(name)?.intValue }
    func double(_ name: String) -> Double? { global(name)?.doubleValue }

    /// The items of a global list or tuple.
    func items(_ name: String) -> [Value] { global(name).flatMap { $0.asList?.items ?? $0.asTuple?.items } ?? [] }
}

extension ScriptSuite {
    @Test func everyDataSetHasItsShapeAndDtype() throws {
        let s = boundSession()
        s.mustRun("""
            import data
            x0, y0 = data.xor()
            x1, y1 = data.spirals(194, 0.1, 3)
            x2, y2 = data.moons(n=50, noise=0.05, seed=1)
            x3, y3 = data.blobs(n=31, centers=4, dim=3, seed=2)
            x4, y4 = data.blobs(n=10, centers=[[0, 0], [5, 5]], std=0.5)
            x5, y5 = data.digits()
            x6, y6 = data.iris()
            x7, y7 = data.sine_waves(n=7, length=12, seed=0)
            x8, y8 = data.anbn(n=20, seed=0)
            x9, y9 = data.reber(n=20, seed=0)
            a, club = data.karate_club()
            """)
        let expected: [(String, [Int], DType, [Int], DType)] = [
            ("0", [4, 2], .float32, [4], .int64), ("1", [194, 2], .float32, [194], .int64),
            ("2", [50, 2], .float32, [50], .int64), ("3", [31, 3], .float32, [31], .int64),
            ("4", [10, 2], .float32, [10], .int64), ("5", [1797, 8, 8], .float32, [1797], .int64),
            ("6", [150, 4], .float32, [150], .int64), ("7", [7, 12, 1], .float32, [7, 12, 1], .float32),
        ]
        for (k, xs, xd, ys, yd) in expected {
            let x = try #require(s.tensor("x" + k)), y = try #require(s.tensor("y" + k))
            #expect(x.shape == xs && x.dtype == xd, "x\(k)")
            #expect(y.shape == ys && y.dtype == yd, "y\(k)")
        }
        let digits = try #require(s.tensor("x5")).floatArray()
        #expect(digits.min() == 0 && digits.max() == 1)
        #expect(Set(try #require(s.tensor("y5")).int64Array()) == Set(0...9))
        #expect(try #require(s.tensor("y0")).int64Array() == [0, 1, 1, 0])
        // Next-symbol tasks: one-hot rows and the following symbol as label.
        for (k, size) in [("8", 2), ("9", 7)] {
            let x = try #require(s.tensor("x" + k)), y = try #require(s.tensor("y" + k))
            #expect(x.ndim == 2 && x.shape[1] == size && y.shape == [x.shape[0]] && y.dtype == .int64)
            #expect(x.floatArray().reduce(0, +) == Float(x.shape[0]))
        }
        let adjacency = try #require(s.tensor("a")), club = try #require(s.tensor("club"))
        #expect(adjacency.shape == [34, 34] && adjacency.dtype == .float32)
        #expect(club.shape == [34] && club.dtype == .int64)
        let adj = adjacency.floatArray()
        #expect(adj.reduce(0, +) == 156) // 78 undirected edges
        var symmetric = true
        for i in 0..<34 { for j in 0..<34 where adj[i * 34 + j] != adj[j * 34 + i] { symmetric = false } }
        #expect(symmetric)
    }

    @Test func seededDataSetsRepeatAndSeedFixesUnseededOnes() throws {
        let s = boundSession()
        s.mustRun("""
            a, _ = data.spirals(50, 0.3, seed=7)
            b, _ = data.spirals(50, 0.3, seed=7)
            seed(3)
            c, _ = data.moons(40, 0.2)
            seed(3)
            d, _ = data.moons(40, 0.2)
            e, _ = data.moons(40, 0.2)
            """)
        let a = try #require(s.tensor("a")), b = try #require(s.tensor("b"))
        #expect(a.floatArray() == b.floatArray())
        let c = try #require(s.tensor("c")).floatArray(), d = try #require(s.tensor("d")).floatArray()
        #expect(c == d)
        #expect(try #require(s.tensor("e")).floatArray() != d)
    }

    @Test func textCorporaEncodersAndVocabulary() throws {
        let s = boundSession()
        s.mustRun("""
            rhyme = data.text("crooked_man")
            words = data.words(rhyme)
            v = data.Vocabulary(rhyme, level="word")
            n_words = len(v)
            ids = v.encode("a crooked man")
            back = v.decode(ids)
            chars = data.Vocabulary(data.text("sonnets"))
            enc = data.encoder("reber")
            oh = enc.one_hot("BTXSE")
            codes = enc.encode("BTXSE")
            word = enc.decode(codes)
            strings = data.reber(n=5, seed=1, strings=True)
            allowed = data.reber_next("BT")
            pairs = data.analogy_pairs["capital"]
            """)
        #expect(s.int("n_words") == 25)
        #expect(s.global("back")?.stringValue == "a crooked man")
        #expect(try #require(s.tensor("ids")).shape == [3])
        #expect(try #require(s.tensor("oh")).shape == [5, 7])
        #expect(try #require(s.tensor("codes")).int64Array() == [0, 1, 3, 2, 6])
        #expect(s.global("word")?.stringValue == "BTXSE")
        #expect(s.items("strings").count == 5)
        #expect(s.items("strings").allSatisfy { ($0.stringValue ?? "").hasPrefix("B") && ($0.stringValue ?? "").hasSuffix("E") })
        #expect(s.items("allowed").compactMap(\.stringValue) == ["TP", "SX"])
        #expect(s.items("pairs").count == 12)
        #expect(s.failure("data.text('nope')")?.name == "ValueError")
        #expect(s.failure("data.encoder('reber').encode('BQ')")?.name == "ValueError")
        #expect(s.failure("data.reber_next('XT')")?.name == "ValueError")
    }

    @Test func dataLoaderCoversEverySampleOncePerEpochAndReshuffles() throws {
        let s = boundSession()
        s.mustRun("""
            x = tensor([[i, 10 * i] for i in range(10)])
            y = tensor(list(range(10)))
            seed(5)
            dl = data.DataLoader(x, y, batch_size=4, shuffle=True)
            n = len(dl)
            epochs = []
            for e in range(3):
                epochs.append([b for b in dl])
            seed(5)
            again = [b for b in data.DataLoader(x, y, batch_size=4, shuffle=True)]
            plain = [b for b in data.DataLoader(x, y, batch_size=3)]
            dropped = data.DataLoader(x, y, batch_size=3, drop_last=True)
            n_dropped = len(dropped)
            only_x = [b for b in data.DataLoader(x, batch_size=5)]
            """)
        #expect(s.int("n") == 3)
        func order(_ batches: [Value]) throws -> [[Int64]] {
            try batches.map { b in
                let parts = try #require(b.asTuple?.items)
                let xb = try #require(TensorBindings.tensor(in: parts[0])), yb = try #require(TensorBindings.tensor(in: parts[1]))
                // Rows of x and y stay paired.
                #expect(xb.int64Array().enumerated().filter { $0.offset % 2 == 0 }.map(\.element) == yb.int64Array())
                return yb.int64Array()
            }
        }
        let epochs = try s.items("epochs").map { try order($0.asList?.items ?? []) }
        #expect(epochs.count == 3)
        for e in epochs {
            #expect(e.map(\.count) == [4, 4, 2])
            #expect(e.flatMap { $0 }.sorted() == Array(0..<10))
        }
        #expect(Set(epochs.map { $0.flatMap { $0 } }).count > 1, "shuffle=True must reorder between epochs")
        #expect(try order(s.items("again")) == epochs[0], "seed() must fix the shuffles")
        #expect(try order(s.items("plain")) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]])
        #expect(s.int("n_dropped") == 3)
        let onlyX = s.items("only_x").compactMap { TensorBindings.tensor(in: $0) }
        #expect(onlyX.map(\.shape) == [[5, 2], [5, 2]])
        #expect(s.failure("data.DataLoader(x, tensor([1, 2]))")?.name == "ValueError")
        #expect(s.failure("data.DataLoader(x, y, batch_size=0)")?.name == "ValueError")
    }

    @Test func trainTestSplitSizesAndDisjointness() throws {
        let s = boundSession()
        s.mustRun("""
            x = tensor([[i, -i] for i in range(20)])
            y = tensor(list(range(20)))
            x_train, x_test, y_train, y_test = data.train_test_split(x, y, test_size=0.3, seed=1)
            a = data.train_test_split(x, y, seed=4)
            b = data.train_test_split(x, y, seed=4)
            """)
        let xTrain = try #require(s.tensor("x_train")), xTest = try #require(s.tensor("x_test"))
        let yTrain = try #require(s.tensor("y_train")).int64Array(), yTest = try #require(s.tensor("y_test")).int64Array()
        #expect(xTrain.shape == [14, 2] && xTest.shape == [6, 2])
        #expect(Set(yTrain).isDisjoint(with: Set(yTest)) && Set(yTrain + yTest) == Set(0..<20))
        #expect(xTest.int64Array().enumerated().filter { $0.offset % 2 == 0 }.map(\.element) == yTest)
        let a = s.items("a").compactMap { TensorBindings.tensor(in: $0)?.int64Array() }
        let b = s.items("b").compactMap { TensorBindings.tensor(in: $0)?.int64Array() }
        #expect(a.count == 4 && a == b && a[3].count == 5)
        #expect(s.failure("data.train_test_split(x, y, test_size=1.5)")?.name == "ValueError")
    }

    @Test func accuracyReadsScoresProbabilitiesAndLabels() throws {
        let s = boundSession()
        s.mustRun("""
            a = data.accuracy(tensor([[0.1, 0.9], [2.0, -1.0], [0.3, 0.2], [0.0, 5.0]]), tensor([1, 0, 1, 1]))
            b = data.accuracy(tensor([0.9, 0.2, 0.6, 0.4]), tensor([1, 0, 0, 0]))
            c = data.accuracy(tensor([[0.9], [0.2]]), tensor([[1.0], [1.0]]))
            d = data.accuracy(tensor([2, 1, 0]), tensor([2, 1, 1]))
            """)
        #expect(s.double("a") == 0.75)
        #expect(s.double("b") == 0.75)
        #expect(s.double("c") == 0.5)
        #expect(abs((s.double("d") ?? 0) - 2.0 / 3.0) < 1e-12)
        #expect(s.failure("data.accuracy(tensor([[0.1, 0.9]]), tensor([1, 0]))")?.name == "ShapeError")
        // Regression: NaN or huge labels trapped in Int(_:) and killed the process.
        #expect(s.failure("data.accuracy(tensor([[0.1, 0.9]]), zeros([1]) / zeros([1]))")?.name == "ValueError")
        #expect(s.failure("data.accuracy(tensor([9223372036854775807]), tensor([1]))")?.name == "ValueError")
    }

    @Test func filesRoundTripAndMissingFilesSayWhich() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("myelin-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "a,b\n1,2.5\n3,4\n".write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "1,2\n3,x\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        try IDX.encodeUInt8([3, 1, 4], shape: [3]).write(to: dir.appendingPathComponent("labels.idx"))
        let s = boundSession()
        let d = dir.path
        s.mustRun("""
            t = data.load_csv("\(d)/t.csv")
            labels = data.load_idx("\(d)/labels.idx")
            data.save_npy("\(d)/a.npy", tensor([[1.5, 2.0], [3.0, -4.0]]))
            data.save_npy("\(d)/b.npy", tensor([7, 8, 9]))
            a = data.load_npy("\(d)/a.npy")
            b = data.load_npy("\(d)/b.npy")
            """)
        #expect(try #require(s.tensor("t")).floatArray() == [1, 2.5, 3, 4])
        let labels = try #require(s.tensor("labels"))
        #expect(labels.dtype == .int64 && labels.int64Array() == [3, 1, 4])
        let a = try #require(s.tensor("a")), b = try #require(s.tensor("b"))
        #expect(a.shape == [2, 2] && a.floatArray() == [1.5, 2, 3, -4])
        #expect(b.dtype == .int64 && b.int64Array() == [7, 8, 9])
        let missing = try #require(s.failure("data.load_csv('\(d)/nope.csv')"))
        #expect(missing.name == "FileNotFoundError" && missing.message.contains("nope.csv"))
        #expect(s.failure("data.load_npy('\(d)/missing.npy')")?.name == "FileNotFoundError")
        #expect(s.failure("data.load_idx('\(d)/t.csv')")?.name == "ValueError")
        let bad = try #require(s.failure("data.load_csv('\(d)/bad.csv')"))
        #expect(bad.name == "ValueError" && bad.message.contains("line 2"))
        #expect(s.failure("data.save_npy('\(d)/no/such/dir/x.npy', tensor([1]))")?.name == "FileNotFoundError")
    }

    @Test func badDataArgumentsRaiseValueOrTypeErrors() {
        let s = boundSession()
        #expect(s.failure("data.spirals(1)")?.name == "ValueError")
        #expect(s.failure("data.moons(10, noise=-1)")?.name == "ValueError")
        #expect(s.failure("data.blobs(centers='x')")?.name == "TypeError")
        #expect(s.failure("data.xor(1)")?.name == "TypeError")
        #expect(s.failure("data.spirals(seed='a')")?.name == "TypeError")
    }
}
