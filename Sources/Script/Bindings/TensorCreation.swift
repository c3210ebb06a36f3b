import Engine

/// Creation functions: `tensor zeros ones full eye arange linspace rand randn randint *_like`.
extension TensorBindings {
    static func installCreation(_ table: BindingTable) {
        func add(_ name: String, _ sig: String, _ doc: String, _ body: @escaping (Arguments) throws -> Tensor) {
            table.add(NativeFunction(name, sig, doc: doc) { a in wrap(try body(a)) })
        }
        /// Applies `dtype=` and `requires_grad=` keywords to a freshly made tensor.
        func finish(_ t: Tensor, _ a: Arguments, dtype: DType? = nil) throws -> Tensor {
            var out = t
            if let d = try dtype ?? dtypeArgument(a.keyword("dtype"), "\(a.functionName)()"), d != out.dtype { out = try out.to(d) }
            if let r = a.keyword("requires_grad"), truthy(r) { try out.requiresGrad_(true) }
            return out
        }
        /// `f(*size, dtype=None, requires_grad=False)`.
        func sized(_ name: String, _ doc: String, _ make: @escaping ([Int], DType) throws -> Tensor) {
            add(name, "\(name)(*size, dtype=None, requires_grad=False)", doc) { a in
                try a.check(max: Int.max, keywords: ["dtype", "requires_grad", "size"])
                let size = try shape(a.positional.isEmpty ? (a.keyword("size").map { [$0] } ?? []) : a.positional, "\(name)()")
                let d = try dtypeArgument(a.keyword("dtype"), "\(name)()") ?? .float32
                return try finish(try make(size, d), a, dtype: d)
            }
        }
        /// `f_like(input, dtype=None, requires_grad=False)`.
        func like(_ name: String, _ doc: String, _ make: @escaping (Tensor, DType) throws -> Tensor) {
            add(name, "\(name)(input, dtype=None, requires_grad=False)", doc) { a in
                try a.check(max: 1, keywords: ["input", "dtype", "requires_grad"])
                let t = try tensorArg(a, 0, "input")
                let d = try dtypeArgument(a.keyword("dtype"), "\(name)()") ?? t.dtype
                return try finish(try make(t, d), a, dtype: d)
            }
        }

        add("tensor", "tensor(data, dtype=None, requires_grad=False)",
            "A new tensor copied from a number, nested lists or a tensor: float32 if any float, else int64 for ints, else bool (like torch.tensor).") { a in
            try a.check(max: 1, keywords: ["data", "dtype", "requires_grad"])
            let data = try a.required(0, "data")
            let d = try dtypeArgument(a.keyword("dtype"), "tensor()")
            let t: Tensor
            if let src = tensor(in: data) { t = try src.detach().to(d ?? src.dtype).detach().clone() } else { t = try tensorArgument(data, "tensor()", dtype: d) }
            return try finish(t, a)
        }
        sized("zeros", "A tensor filled with 0 (float32 unless dtype is given): zeros(2, 3) or zeros((2, 3)).") { try Tensor.zeros($0, dtype: $1) }
        sized("ones", "A tensor filled with 1: ones(2, 3) or ones((2, 3)).") { try Tensor.ones($0, dtype: $1) }
        sized("empty", "An uninitialised tensor in PyTorch; here filled with 0.") { try Tensor.zeros($0, dtype: $1) }
        sized("rand", "Uniform random numbers in [0, 1) from the seeded generator (see seed()).") { s, _ in try Tensor.rand(s) }
        sized("randn", "Standard normal random numbers from the seeded generator (see seed()).") { s, _ in try Tensor.randn(s) }
        add("full", "full(size, fill_value, dtype=None, requires_grad=False)",
            "A tensor of the given size filled with fill_value; the dtype follows the value (int → int64, float → float32, bool → bool).") { a in
            try a.check(max: 2, keywords: ["size", "fill_value", "dtype", "requires_grad"])
            let size = try shape([try a.required(0, "size")], "full()")
            let v = try a.required(1, "fill_value")
            let inferred: DType = v.isBool ? .bool : (v.intValue != nil ? .int64 : .float32)
            let d = try dtypeArgument(a.keyword("dtype"), "full()") ?? inferred
            return try finish(try Tensor.full(size, try scalar(v, "full() fill_value"), dtype: d), a, dtype: d)
        }
        add("eye", "eye(n, m=None, dtype=None, requires_grad=False)", "The n×m identity matrix (m defaults to n).") { a in
            try a.check(max: 2, keywords: ["n", "m", "dtype", "requires_grad"])
            let n = try a.int(0, "n"), m = try a.optional(1, "m").flatMap { $0.isNone ? nil : $0.intValue }
            guard n >= 0, (m ?? 0) >= 0 else { throw ScriptError(.valueError, "eye(): n and m must be non-negative, got \(n) and \(m ?? n)") }
            let d = try dtypeArgument(a.keyword("dtype"), "eye()") ?? .float32
            return try finish(try Tensor.eye(n, m, dtype: d), a, dtype: d)
        }
        add("arange", "arange(start=0, end, step=1, dtype=None, requires_grad=False)",
            "Values from start (inclusive) to end (exclusive) by step: arange(5), arange(1, 4), arange(0, 1, 0.25). int64 when all are ints, else float32.") { a in
            try a.check(max: 3, keywords: ["start", "end", "step", "dtype", "requires_grad"])
            var nums = try a.positional.map { try scalar($0, "arange() bounds") }
            if let e = a.keyword("end") { nums.append(try scalar(e, "arange() end")) }
            if let s = a.keyword("start") { nums.insert(try scalar(s, "arange() start"), at: 0) }
            let step = try a.keyword("step").map { try scalar($0, "arange() step") }
            let allInts = (a.positional + [a.keyword("end"), a.keyword("start"), a.keyword("step")].compactMap { $0 }).allSatisfy { $0.intValue != nil }
            let (start, end): (Double, Double)
            switch nums.count {
            case 1: (start, end) = (0, nums[0])
            case 2: (start, end) = (nums[0], nums[1])
            case 3 where step == nil: (start, end) = (nums[0], nums[1])
            default: throw ScriptError(.typeError, "arange() takes (end), (start, end) or (start, end, step)")
            }
            let st = step ?? (nums.count == 3 ? nums[2] : 1)
            let d = try dtypeArgument(a.keyword("dtype"), "arange()") ?? (allInts ? .int64 : .float32)
            return try finish(try Tensor.arange(start, end, step: st, dtype: d), a, dtype: d)
        }
        add("linspace", "linspace(start, end, steps, dtype=None, requires_grad=False)", "steps evenly spaced values from start to end, both included (float32).") { a in
            try a.check(max: 3, keywords: ["start", "end", "steps", "dtype", "requires_grad"])
            let t = try Tensor.linspace(try a.double(0, "start"), try a.double(1, "end"), steps: try a.int(2, "steps"))
            return try finish(t, a)
        }
        add("randint", "randint(low=0, high, size, dtype=None, requires_grad=False)",
            "Uniform random int64 in [low, high): randint(10, (3,)) or randint(1, 7, (2, 2)).") { a in
            try a.check(max: 3, keywords: ["low", "high", "size", "dtype", "requires_grad"])
            let ints = try a.positional.prefix(while: { $0.intValue != nil }).map { $0.intValue ?? 0 }
            var low = 0, high: Int
            switch ints.count {
            case 1: high = ints[0]
            case 2: (low, high) = (ints[0], ints[1])
            default:
                guard let h = a.keyword("high")?.intValue else { throw ScriptError(.typeError, "randint() needs high (and optionally low) ints, then a size tuple: randint(0, 10, (3,))") }
                high = h; low = a.keyword("low")?.intValue ?? 0
            }
            guard let sizeValue = a.positional.count > ints.count ? a.positional[ints.count] : a.keyword("size") else {
                throw ScriptError(.typeError, "randint() missing required argument 'size' (a tuple such as (3,) or (2, 2))")
            }
            return try finish(try Tensor.randint(low, high, try shape([sizeValue], "randint()")), a)
        }
        like("zeros_like", "A tensor of zeros with the shape (and dtype) of input.") { t, d in try Tensor.zeros(t.shape, dtype: d) }
        like("ones_like", "A tensor of ones with the shape (and dtype) of input.") { t, d in try Tensor.ones(t.shape, dtype: d) }
        like("rand_like", "Uniform [0, 1) random numbers with the shape of input.") { t, _ in try Tensor.rand(t.shape) }
        like("randn_like", "Standard normal random numbers with the shape of input.") { t, _ in try Tensor.randn(t.shape) }
        add("full_like", "full_like(input, fill_value, dtype=None, requires_grad=False)", "A tensor with the shape (and dtype) of input filled with fill_value.") { a in
            try a.check(max: 2, keywords: ["input", "fill_value", "dtype", "requires_grad"])
            let t = try tensorArg(a, 0, "input")
            let d = try dtypeArgument(a.keyword("dtype"), "full_like()") ?? t.dtype
            return try finish(try Tensor.full(t.shape, try scalar(try a.required(1, "fill_value"), "full_like() fill_value"), dtype: d), a, dtype: d)
        }
    }
}

extension Arguments {
    /// The value passed by keyword `name`, or nil.
    func keyword(_ name: String) -> Value? {
        for (k, v) in keywords where k == name { return v }
        return nil
    }
}
