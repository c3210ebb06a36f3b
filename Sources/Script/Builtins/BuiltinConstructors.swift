import Foundation

extension Builtins {
    static func parseInt(_ s: String, base: Int) throws -> Int {
        var t = s.trimmingSpaces.replacingOccurrences(of: "_", with: "")
        var neg = false
        if t.hasPrefix("-") { neg = true; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        var b = base
        let lower = t.lowercased()
        if (b == 16 || b == 0) && lower.hasPrefix("0x") { t.removeFirst(2); b = 16 }
        else if (b == 8 || b == 0) && lower.hasPrefix("0o") { t.removeFirst(2); b = 8 }
        else if (b == 2 || b == 0) && lower.hasPrefix("0b") { t.removeFirst(2); b = 2 }
        if b == 0 { b = 10 }
        guard let v = Int(t, radix: b) else {
            if Int(t.filter { $0.isNumber }) == nil || t.isEmpty { throw ScriptError(.valueError, "invalid literal for int() with base \(base == 0 ? 10 : base): \(reprString(s))") }
            throw ScriptError(.overflowError, "int too large for 64 bits: \(reprString(s))")
        }
        return neg ? -v : v
    }

    /// `int(d)` of a float: toward zero, with Python's errors for NaN, infinities and 64-bit overflow.
    static func truncatedInt(_ d: Double) throws -> Int {
        if d.isNaN { throw ScriptError(.valueError, "cannot convert float NaN to integer") }
        if d.isInfinite { throw ScriptError(.overflowError, "cannot convert float infinity to integer") }
        guard Swift.abs(d) < 9.223372036854775807e18 else { throw ScriptError(.overflowError, "int too large for 64 bits") }
        return Int(d)
    }

    /// `int(x, base)`; `base` is read only for strings, as before.
    static func intOf(_ x: Value, base: @autoclosure () throws -> Int) throws -> Value {
        switch x {
        case .int: return x
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            return .int(try truncatedInt(d))
        default:
            if let s = x.stringValue { return .int(try parseInt(s, base: try base())) }
            if let r = try vmNow().callDunder(x, "__int__", []) { return r }
            if let n = x.nativeObject, let m = n.type.methods["item"] {
                let v = try m.call(Arguments([x], functionName: "item"))
                if let d = v.doubleValue { return .int(try truncatedInt(d)) }  // a tensor's NaN too
            }
            throw ScriptError(.typeError, "int() argument must be a string or a number, not '\(typeName(x))'")
        }
    }

    /// `float(x)`.
    static func floatOf(_ x: Value) throws -> Value {
        if let d = x.doubleValue { return .float(d) }
        if let s = x.stringValue {
            let t = s.trimmingSpaces.lowercased().replacingOccurrences(of: "_", with: "")
            switch t {
            case "inf", "+inf", "infinity": return .float(.infinity)
            case "-inf", "-infinity": return .float(-.infinity)
            case "nan", "+nan", "-nan": return .float(.nan)
            default: if let d = Double(t) { return .float(d) }
            }
            throw ScriptError(.valueError, "could not convert string to float: \(reprString(s))")
        }
        if let n = x.nativeObject, let m = n.type.methods["item"] {
            let v = try m.call(Arguments([x], functionName: "item"))
            if let d = v.doubleValue { return .float(d) }
        }
        if let r = try vmNow().callDunder(x, "__float__", []) { return r }
        throw ScriptError(.typeError, "float() argument must be a string or a number, not '\(typeName(x))'")
    }

    static func installTypes(_ t: BindingTable) {
        BuiltinTypes.constructor(BuiltinTypes.int, "int(x=0, base=10)", "An integer from a number or string (64-bit).",
                                 unary: { try intOf($0, base: 10) }) { a in
            guard let x = a.optional(0, "x") else { return .int(0) }
            return try intOf(x, base: try a.int(1, "base", default: 10))
        }
        BuiltinTypes.constructor(BuiltinTypes.float, "float(x=0.0)", "A floating-point number from a number or string ('inf', 'nan' accepted).",
                                 unary: floatOf) { a in
            guard let x = a.optional(0, "x") else { return .float(0) }
            return try floatOf(x)
        }
        BuiltinTypes.constructor(BuiltinTypes.str, "str(obj='')", "The string form of obj.", unary: { .str(str($0)) }) { a in
            .str(a.optional(0, "obj").map { str($0) } ?? "")
        }
        BuiltinTypes.constructor(BuiltinTypes.bool, "bool(x=False)", "The truth value of x.") { a in .bool(try a.optional(0, "x").map { try vmNow().nativeTruth($0) } ?? false) }
        BuiltinTypes.constructor(BuiltinTypes.list, "list(iterable=())", "A new list of the items of iterable.") { a in .list(try a.optional(0, "iterable").map { try vmNow().toArray($0) } ?? []) }
        BuiltinTypes.constructor(BuiltinTypes.tuple, "tuple(iterable=())", "A tuple of the items of iterable.") { a in .tuple(try a.optional(0, "iterable").map { try vmNow().toArray($0) } ?? []) }
        BuiltinTypes.constructor(BuiltinTypes.set, "set(iterable=())", "A set of the items of iterable.") { a in try a.optional(0, "iterable").map { try setOf($0) } ?? .obj(SetObj()) }
        BuiltinTypes.constructor(BuiltinTypes.dict, "dict(mapping_or_pairs=(), **kw)", "A dict from a mapping, (key, value) pairs and keywords.") { a in
            let vm = try vmNow()
            let d = DictObj()
            if let src = a.positional.first {
                if let od = src.asDict { for (k, v) in od.orderedItems { try d.set(k, v) } }
                else {
                    for p in try vm.toArray(src) {
                        let kv = try vm.toArray(p)
                        guard kv.count == 2 else { throw ScriptError(.valueError, "dictionary update sequence element has length \(kv.count); 2 is required") }
                        try d.set(kv[0], kv[1])
                    }
                }
            }
            for (k, v) in a.keywords { try d.set(.str(k), v) }
            return .obj(d)
        }
        BuiltinTypes.constructor(BuiltinTypes.range, "range(stop) or range(start, stop, step=1)", "An immutable sequence of ints.") { a in
            try t.functions["range"]?.call(a) ?? .none
        }
        BuiltinTypes.constructor(BuiltinTypes.type, "type(obj)", "The class of obj.") { a in try t.functions["type"]?.call(a) ?? .none }
        BuiltinTypes.constructor(BuiltinTypes.object, "object()", "The base of every class.") { _ in .obj(InstanceObj(BuiltinTypes.object)) }
    }

    static func installModules(_ t: BindingTable) {
        let sys = BindingModule(name: "sys", doc: "The interpreter: output streams, arguments, version and recursion limit.")
        sys.addValue("stdout", doc: "Standard output (for print(file=…)).") { NativeType.stream.wrap(StreamBox(.stdout)) }
        sys.addValue("stderr", doc: "Standard error (for print(file=…)).") { NativeType.stream.wrap(StreamBox(.stderr)) }
        sys.addValue("argv", doc: "The script's command-line arguments; argv[0] is the script.") { .list((VM.current?.argv ?? []).map { .str($0) }) }
        sys.addValue("version", doc: "The Myelin language version.") { .str("3.11 (Myelin)") }
        sys.addValue("maxsize", doc: "The largest int.") { .int(Int.max) }
        sys.add(NativeFunction("setrecursionlimit", "setrecursionlimit(n)", doc: "Sets the maximum depth of nested calls (RecursionError beyond it).") { a in
            let n = try a.int(0, "n")
            guard n >= 10 else { throw ScriptError(.valueError, "recursion limit must be at least 10") }
            guard n <= VM.maxRecursionLimit else { throw ScriptError(.valueError, "recursion limit must be at most \(VM.maxRecursionLimit) in Myelin") }
            try vmNow().recursionLimit = n
            return .none
        })
        sys.add(NativeFunction("getrecursionlimit", "getrecursionlimit()", doc: "The maximum depth of nested calls.") { _ in .int(try vmNow().recursionLimit) })
        sys.add(NativeFunction("exit", "exit(code=0)", doc: "Stops the script.") { a in
            throw ScriptException(makeException(ExceptionClasses.named("SystemExit"), a.positional))
        })
        t.add(sys)

        let math = BindingModule(name: "math", doc: "Mathematical functions on floats.")
        math.addValue("pi", doc: "π") { .float(Double.pi) }
        math.addValue("e", doc: "e") { .float(M_E) }
        math.addValue("inf", doc: "Infinity") { .float(.infinity) }
        math.addValue("nan", doc: "Not a number") { .float(.nan) }
        let unary: [(String, String, (Double) -> Double)] = [
            ("sqrt", "Square root.", { $0.squareRoot() }), ("exp", "e ** x.", { Foundation.exp($0) }), ("log2", "Base-2 logarithm.", { Foundation.log2($0) }),
            ("log10", "Base-10 logarithm.", { Foundation.log10($0) }), ("sin", "Sine.", { Foundation.sin($0) }), ("cos", "Cosine.", { Foundation.cos($0) }),
            ("tan", "Tangent.", { Foundation.tan($0) }), ("tanh", "Hyperbolic tangent.", { Foundation.tanh($0) }), ("atan", "Arc tangent.", { Foundation.atan($0) }),
            ("fabs", "Absolute value.", { Swift.abs($0) }), ("asin", "Arc sine.", { Foundation.asin($0) }), ("acos", "Arc cosine.", { Foundation.acos($0) }),
        ]
        for (n, doc, f) in unary {
            math.add(NativeFunction(n, "\(n)(x)", doc: doc) { a in
                let x = try a.double(0, "x")
                if n == "sqrt" && x < 0 { throw ScriptError(.valueError, "math domain error") }
                if (n == "log2" || n == "log10") && x <= 0 { throw ScriptError(.valueError, "math domain error") }
                return .float(f(x))
            })
        }
        math.add(NativeFunction("log", "log(x, base=e)", doc: "Natural logarithm (or in the given base).") { a in
            let x = try a.double(0, "x")
            if x <= 0 { throw ScriptError(.valueError, "math domain error") }
            if let b = a.optional(1, "base")?.doubleValue { return .float(Foundation.log(x) / Foundation.log(b)) }
            return .float(Foundation.log(x))
        })
        math.add(NativeFunction("floor", "floor(x)", doc: "The largest int <= x.") { a in .int(Int(Foundation.floor(try a.double(0, "x")))) })
        math.add(NativeFunction("ceil", "ceil(x)", doc: "The smallest int >= x.") { a in .int(Int(Foundation.ceil(try a.double(0, "x")))) })
        math.add(NativeFunction("isnan", "isnan(x)", doc: "Whether x is NaN.") { a in .bool(try a.double(0, "x").isNaN) })
        math.add(NativeFunction("isinf", "isinf(x)", doc: "Whether x is infinite.") { a in .bool(try a.double(0, "x").isInfinite) })
        math.add(NativeFunction("pow", "pow(x, y)", doc: "x ** y as floats.") { a in .float(Foundation.pow(try a.double(0, "x"), try a.double(1, "y"))) })
        math.add(NativeFunction("atan2", "atan2(y, x)", doc: "The angle of (x, y).") { a in .float(Foundation.atan2(try a.double(0, "y"), try a.double(1, "x"))) })
        math.add(NativeFunction("isclose", "isclose(a, b, rel_tol=1e-09, abs_tol=0.0)", doc: "Whether a and b are close.") { a in
            let x = try a.double(0, "a"), y = try a.double(1, "b")
            let rt = try a.double(2, "rel_tol", default: 1e-9), at = try a.double(3, "abs_tol", default: 0)
            return .bool(Swift.abs(x - y) <= Swift.max(rt * Swift.max(Swift.abs(x), Swift.abs(y)), at))
        })
        t.add(math)

        let random = BindingModule(name: "random", doc: "Random numbers from the one seeded generator (see seed()).")
        random.add(NativeFunction("random", "random()", doc: "A float in [0, 1).") { _ in .float(RandomGeneratorBridge.double()) })
        random.add(NativeFunction("randint", "randint(a, b)", doc: "An int in [a, b], both included.") { a in
            let lo = try a.int(0, "a"), hi = try a.int(1, "b")
            guard lo <= hi else { throw ScriptError(.valueError, "empty range for randint(\(lo), \(hi))") }
            return .int(RandomGeneratorBridge.int(lo..<(hi + 1)))
        })
        random.add(NativeFunction("choice", "choice(seq)", doc: "A random item of a non-empty sequence.") { a in
            let xs = try vmNow().toArray(try a.required(0, "seq"))
            if xs.isEmpty { throw ScriptError(.indexError, "Cannot choose from an empty sequence") }
            return xs[RandomGeneratorBridge.int(0..<xs.count)]
        })
        random.add(NativeFunction("shuffle", "shuffle(list)", doc: "Shuffles a list in place.") { a in
            guard let l = a.optional(0, "list")?.asList else { throw ScriptError(.typeError, "shuffle() needs a list") }
            if l.items.count > 1 { for i in stride(from: l.items.count - 1, to: 0, by: -1) { l.items.swapAt(i, RandomGeneratorBridge.int(0..<(i + 1))) } }
            return .none
        })
        random.add(NativeFunction("uniform", "uniform(a, b)", doc: "A float in [a, b).") { a in
            let lo = try a.double(0, "a"), hi = try a.double(1, "b")
            return .float(lo + (hi - lo) * RandomGeneratorBridge.double())
        })
        random.add(NativeFunction("gauss", "gauss(mu=0.0, sigma=1.0)", doc: "A normally distributed float.") { a in
            let mu = try a.double(0, "mu", default: 0), sigma = try a.double(1, "sigma", default: 1)
            return .float(mu + sigma * RandomGeneratorBridge.normal())
        })
        random.add(NativeFunction("seed", "seed(n)", doc: "Same as the global seed(n).") { a in try t.functions["seed"]?.call(a) ?? .none })
        t.add(random)
    }
}

import Engine
enum RandomGeneratorBridge {
    static func double() -> Double { RandomGenerator.shared.nextDouble() }
    static func normal() -> Double { RandomGenerator.shared.nextNormal() }
    static func int(_ r: Range<Int>) -> Int { RandomGenerator.shared.nextInt(in: r) }
}

extension NativeType {
    static let stream: NativeType = {
        let t = NativeType(name: "TextIO", doc: "An output stream (sys.stdout, sys.stderr).")
        t.repr = { n in (n.payload as? StreamBox)?.stream == .stderr ? "<sys.stderr>" : "<sys.stdout>" }
        t.methods["write"] = NativeFunction("write", "write(text)", doc: "Writes text to the stream.") { a in
            guard let n = a.positional.first?.nativeObject, let s = n.payload as? StreamBox else { return .none }
            let text = try a.string(1, "text")
            try vmNow().output.write(text, to: s.stream)
            return .int(text.count)
        }
        t.methods["flush"] = NativeFunction("flush", "flush()", doc: "Does nothing (output is not buffered).") { _ in .none }
        return t
    }()
}
