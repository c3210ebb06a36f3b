import Engine
import Foundation

/// The language's own built-in functions and modules (print, len, range, …, sys, math).
enum Builtins {
    static func fn(_ t: BindingTable, _ name: String, _ sig: String, _ doc: String, unary: ((Value) throws -> Value)? = nil,
                   _ body: @escaping (Arguments) throws -> Value) {
        t.add(NativeFunction(name, sig, doc: doc, unary: unary, body))
    }

    /// `abs(x)`.
    static func absOf(_ x: Value) throws -> Value {
        switch x {
        case .int(let i): if i == Int.min { throw ScriptError(.overflowError, "integer result too large for a 64-bit int") }; return .int(Swift.abs(i))
        case .float(let d): return .float(Swift.abs(d))
        case .bool(let b): return .int(b ? 1 : 0)
        default:
            if let n = x.nativeObject, let u = n.type.unaryOperator { return try u(.abs, n) }
            if let r = try vmNow().callDunder(x, "__abs__", []) { return r }
            throw ScriptError(.typeError, "bad operand type for abs(): '\(typeName(x))'")
        }
    }

    static func install(into t: BindingTable) {
        Methods.installOnce
        fn(t, "print", "print(*values, sep=' ', end='\\n', file=sys.stdout, flush=False)", "Prints the values as str(), separated by sep and followed by end.") { a in
            let vm = try vmNow()
            var sep = " ", end = "\n", stream = OutputStream.stdout
            for (k, v) in a.keywords {
                switch k {
                case "sep": if !v.isNone { sep = try needStr(v, "sep") }
                case "end": if !v.isNone { end = try needStr(v, "end") }
                case "file": if let m = v.nativeObject?.payload as? StreamBox { stream = m.stream }
                case "flush": break
                default: throw ScriptError(.typeError, "'\(k)' is an invalid keyword argument for print()")
                }
            }
            vm.output.write(a.positional.map { str($0) }.joined(separator: sep) + end, to: stream)
            return .none
        }
        fn(t, "len", "len(obj)", "The number of items of a container.", unary: { .int(try vmNow().length($0)) }) { a in
            guard a.count == 1 else { throw ScriptError(.typeError, "len() takes exactly one argument (\(a.count) given)") }
            return .int(try vmNow().length(a.positional[0]))
        }
        fn(t, "repr", "repr(obj)", "The printable representation of obj.") { a in .str(repr(try a.required(0, "obj"))) }
        fn(t, "abs", "abs(x)", "The absolute value of x.", unary: absOf) { a in try absOf(try a.required(0, "x")) }
        fn(t, "round", "round(x, ndigits=None)", "x rounded to ndigits decimals (half to even); an int without ndigits.") { a in
            let x = try a.required(0, "x")
            let nd = a.optional(1, "ndigits")
            if case .int(let i) = x { return .int(i) }
            guard let d = x.doubleValue else { throw ScriptError(.typeError, "type \(typeName(x)) doesn't define __round__ method") }
            if let nd, !nd.isNone {
                let n = nd.intValue ?? 0
                // Past these digit counts the answer is exact: x itself, or a zero of x's sign
                // (10**n is then 0 or infinite as a double, which would give nan).
                if n > 400 || !d.isFinite { return .float(d) }
                if n < -308 { return .float(d.sign == .minus ? -0.0 : 0.0) }
                let m = Foundation.pow(10.0, Double(n))
                let r = (d * m).rounded(.toNearestOrEven) / m
                // correct for representation: use string formatting like CPython for exactness
                if n >= 0, let s = Double(String(format: "%.\(n)f", d)) { return .float(s) }
                return .float(r)
            }
            return .int(try truncatedInt(d.rounded(.toNearestOrEven)))  // NaN, inf and 1e300 raise
        }
        fn(t, "min", "min(iterable, key=None) or min(a, b, ...)", "The smallest item.") { a in try minMax(a, wantMax: false) }
        fn(t, "max", "max(iterable, key=None) or max(a, b, ...)", "The largest item.") { a in try minMax(a, wantMax: true) }
        fn(t, "sum", "sum(iterable, start=0)", "The sum of the items, plus start.") { a in
            let vm = try vmNow()
            var acc = a.optional(1, "start") ?? .int(0)
            @inline(__always) func add(_ x: Value) throws {
                if case .int(let p) = acc, case .int(let q) = x { let (r, o) = p.addingReportingOverflow(q); if !o { acc = .int(r); return } }
                if case .float(let p) = acc, case .float(let q) = x { acc = .float(p + q); return }
                acc = try vm.binary(.add, acc, x)
            }
            let source = try a.required(0, "iterable")
            // a list (`sum(d.values())`, `sum(xs)`) by index, its length re-read each time as the list
            // iterator does, without an iterator object
            if let l = source.asList {
                var i = 0
                while i < l.items.count { let x = l.items[i]; i += 1; try add(x) }
                return acc
            }
            let it = try vm.iterate(source)
            while let x = try it.next() { try add(x) }
            return acc
        }
        fn(t, "range", "range(stop) or range(start, stop, step=1)", "An immutable sequence of ints.") { a in
            var ints: [Int] = []
            for v in a.positional {
                guard let i = v.intValue, !v.isBool || true else { throw ScriptError(.typeError, "'\(typeName(v))' object cannot be interpreted as an integer") }
                if case .float = v { throw ScriptError(.typeError, "'float' object cannot be interpreted as an integer") }
                ints.append(i)
            }
            switch ints.count {
            case 1: return .obj(RangeObj(0, ints[0], 1))
            case 2: return .obj(RangeObj(ints[0], ints[1], 1))
            case 3:
                if ints[2] == 0 { throw ScriptError(.valueError, "range() arg 3 must not be zero") }
                return .obj(RangeObj(ints[0], ints[1], ints[2]))
            default: throw ScriptError(.typeError, "range expected 1 to 3 arguments, got \(ints.count)")
            }
        }
        fn(t, "enumerate", "enumerate(iterable, start=0)", "Pairs (index, item).") { a in
            let xs = try vmNow().toArray(try a.required(0, "iterable"))
            let s = try a.int(1, "start", default: 0)
            return .list(try xs.enumerated().map {
                let (index, o) = $0.offset.addingReportingOverflow(s)
                if o { throw ScriptError(.overflowError, "enumerate() index overflows a 64-bit int") }
                return .tuple([.int(index), $0.element])
            })
        }
        fn(t, "zip", "zip(*iterables)", "Tuples of the i-th items of each iterable, up to the shortest.") { a in
            let vm = try vmNow()
            let lists = try a.positional.map { try vm.toArray($0) }
            let n = lists.map { $0.count }.min() ?? 0
            return .list((0..<n).map { i in .tuple(lists.map { $0[i] }) })
        }
        fn(t, "reversed", "reversed(seq)", "The items in reverse order.") { a in .list(try vmNow().toArray(try a.required(0, "seq")).reversed()) }
        fn(t, "sorted", "sorted(iterable, key=None, reverse=False)", "A new sorted list (stable).") { a in
            .list(try sortValues(try vmNow().toArray(try a.required(0, "iterable")), key: a.optional(99, "key"), reverse: a.bool(99, "reverse", default: false)))
        }
        fn(t, "map", "map(function, iterable, ...)", "function applied to each item (to items of several iterables in parallel).") { a in
            let vm = try vmNow()
            let f = try a.required(0, "function")
            let lists = try a.positional.dropFirst().map { try vm.toArray($0) }
            let n = lists.map { $0.count }.min() ?? 0
            return .list(try (0..<n).map { i in try vm.call(f, lists.map { $0[i] }) })
        }
        fn(t, "filter", "filter(function, iterable)", "The items for which function(item) is true (or which are true when function is None).") { a in
            let vm = try vmNow()
            let f = try a.required(0, "function")
            return .list(try vm.toArray(try a.required(1, "iterable")).filter { f.isNone ? truthy($0) : truthy(try vm.call(f, [$0])) })
        }
        fn(t, "any", "any(iterable)", "True when some item is true.") { a in
            let it = try vmNow().iterate(try a.required(0, "iterable"))
            while let x = try it.next() { if truthy(x) { return .bool(true) } }
            return .bool(false)
        }
        fn(t, "all", "all(iterable)", "True when every item is true.") { a in
            let it = try vmNow().iterate(try a.required(0, "iterable"))
            while let x = try it.next() { if !truthy(x) { return .bool(false) } }
            return .bool(true)
        }
        fn(t, "isinstance", "isinstance(obj, class_or_tuple)", "Whether obj is an instance of the class (or of a subclass).") { a in
            let vm = try vmNow()
            let x = try a.required(0, "obj"), c = try a.required(1, "class_or_tuple")
            func check(_ c: Value) throws -> Bool {
                if let t = c.asTuple { return try t.items.contains { try check($0) } }
                guard let cls = c.asClass else { throw ScriptError(.typeError, "isinstance() arg 2 must be a type or tuple of types") }
                if cls === BuiltinTypes.object { return true }
                if cls === BuiltinTypes.float, case .float = x { return true }
                return vm.classOf(x).isSubclass(of: cls)
            }
            return .bool(try check(c))
        }
        fn(t, "issubclass", "issubclass(cls, class_or_tuple)", "Whether cls derives from the class.") { a in
            guard let c = a.optional(0, "cls")?.asClass, let b = a.optional(1, "class")?.asClass else { throw ScriptError(.typeError, "issubclass() arguments must be classes") }
            return .bool(c.isSubclass(of: b))
        }
        fn(t, "type", "type(obj)", "The class of obj.") { a in
            guard a.count == 1 else { throw ScriptError(.typeError, "type() takes 1 argument") }
            return .obj(try vmNow().classOf(a.positional[0]))
        }
        fn(t, "hasattr", "hasattr(obj, name)", "Whether obj has the attribute.") { a in
            do { _ = try vmNow().getAttr(try a.required(0, "obj"), try a.string(1, "name")); return .bool(true) }
            catch let e as ScriptError where e.kind == .attributeError { return .bool(false) }
            catch let e as ScriptException where e.typeName == "AttributeError" { return .bool(false) }
        }
        fn(t, "getattr", "getattr(obj, name, default)", "The attribute of obj called name (or default).") { a in
            do { return try vmNow().getAttr(try a.required(0, "obj"), try a.string(1, "name")) }
            catch let e as ScriptError where e.kind == .attributeError { if let d = a.optional(2, "default") { return d }; throw e }
        }
        fn(t, "setattr", "setattr(obj, name, value)", "Sets the attribute of obj called name.") { a in
            try vmNow().setAttr(try a.required(0, "obj"), try a.string(1, "name"), try a.required(2, "value")); return .none
        }
        fn(t, "dir", "dir(obj=None)", "The attribute names of obj (or the global names).") { a in
            let vm = try vmNow()
            guard let x = a.optional(0, "obj") else { return .list(vm.globalNames().sorted().map { .str($0) }) }
            return .list(vm.attributeNames(of: x).sorted().map { .str($0) })
        }
        fn(t, "help", "help(obj)", "Prints the signature and docstring of obj.") { a in
            let vm = try vmNow()
            vm.output.write(vm.helpText(for: try a.required(0, "obj")) + "\n", to: .stdout)
            return .none
        }
        fn(t, "id", "id(obj)", "A number unique to obj while it lives.") { a in
            if case .obj(let o) = try a.required(0, "obj") { return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue))) }
            return .int(0)
        }
        fn(t, "hash", "hash(obj)", "The hash of a hashable value.") { a in
            var h = Hasher(); HashKey.hashValue(try HashKey(try a.required(0, "obj")).value, &h); return .int(h.finalize())
        }
        fn(t, "callable", "callable(obj)", "Whether obj can be called.") { a in
            guard case .obj(let o) = try a.required(0, "obj") else { return .bool(false) }
            return .bool([.function, .builtin, .boundMethod, .classObj].contains(o.kind) || (a.positional[0].asInstance?.cls.lookup("__call__") != nil))
        }
        fn(t, "iter", "iter(iterable)", "An iterator over iterable.") { a in .obj(try vmNow().iterate(try a.required(0, "iterable"))) }
        fn(t, "next", "next(iterator, default)", "The next item of iterator (StopIteration at the end, or default).") { a in
            guard case .obj(let o) = try a.required(0, "iterator"), o.kind == .iterator else { throw ScriptError(.typeError, "'\(typeName(a.positional[0]))' object is not an iterator") }
            if let v = try unsafeDowncast(o, to: IteratorObj.self).next() { return v }
            if let d = a.optional(1, "default") { return d }
            throw ScriptError(.stopIteration, "")
        }
        fn(t, "chr", "chr(i)", "The one-character string of code point i.") { a in
            guard let s = Unicode.Scalar(UInt32(clamping: try a.int(0, "i"))) else { throw ScriptError(.valueError, "chr() arg not in range") }
            return .str(String(s))
        }
        fn(t, "ord", "ord(c)", "The code point of a one-character string.") { a in
            let s = try a.string(0, "c")
            guard s.unicodeScalars.count == 1, let u = s.unicodeScalars.first else { throw ScriptError(.typeError, "ord() expected a character, but string of length \(s.unicodeScalars.count) found") }
            return .int(Int(u.value))
        }
        fn(t, "divmod", "divmod(a, b)", "(a // b, a % b).") { a in
            let vm = try vmNow(); let x = try a.required(0, "a"), y = try a.required(1, "b")
            return .tuple([try vm.binary(.floordiv, x, y), try vm.binary(.mod, x, y)])
        }
        fn(t, "pow", "pow(base, exp)", "base ** exp.") { a in try vmNow().binary(.pow, try a.required(0, "base"), try a.required(1, "exp")) }
        fn(t, "format", "format(value, spec='')", "value formatted by the format-spec mini-language.") { a in .str(try vmNow().format(try a.required(0, "value"), try a.string(1, "spec", default: ""))) }
        fn(t, "time", "time()", "Seconds since the epoch, as a float.") { _ in .float(Date().timeIntervalSince1970) }
        fn(t, "seed", "seed(n)", "Makes every random source deterministic (tensors, layers, data shuffles, environments).") { a in
            let n = try a.int(0, "n")
            RandomGenerator.shared.reseed(UInt64(bitPattern: Int64(n)))
            return .none
        }
        fn(t, "input", "input(prompt='')", "Reads one line from the user (the notebook asks through the front-end).") { a in
            let vm = try vmNow()
            return .str(try vm.output.requestInput(prompt: try a.string(0, "prompt", default: ""), password: false))
        }
        fn(t, "display", "display(*objs, display_id=None)", "Shows each object with its richest representation.") { a in
            let vm = try vmNow()
            var id: String?
            for (k, v) in a.keywords where k == "display_id" { id = v.isNone ? nil : str(v) }
            for x in a.positional { vm.output.display(vm.mimeBundle(for: x), displayID: id, update: false) }
            return .none
        }
        fn(t, "update_display", "update_display(obj, display_id)", "Replaces what an earlier display(…, display_id=…) showed.") { a in
            let vm = try vmNow()
            let x = try a.required(0, "obj")
            let id = str(try a.required(1, "display_id"))
            vm.output.display(vm.mimeBundle(for: x), displayID: id, update: true)
            return .none
        }
        fn(t, "clear_output", "clear_output(wait=False)", "Clears the cell's output (with wait=True: when new output arrives).") { a in
            try vmNow().output.clearOutput(wait: a.bool(0, "wait", default: false)); return .none
        }
        fn(t, "progress", "progress(iterable, total=None, desc=None)", "Iterates over iterable while showing a live progress bar (updated in place).") { a in
            let vm = try vmNow()
            let items = try vm.toArray(try a.required(0, "iterable"))
            let total = try a.int(1, "total", default: items.count)
            let desc = try a.string(2, "desc", default: "")
            ProgressCounter.next += 1
            let id = "progress-\(ProgressCounter.next)"
            var i = 0, shown = -1
            func bar(_ done: Int) -> MimeBundle {
                let frac = total > 0 ? min(1, Double(done) / Double(total)) : 1
                let filled = Int(frac * 30)
                let text = (desc.isEmpty ? "" : desc + ": ") + "\(Int(frac * 100))%|" + String(repeating: "█", count: filled) + String(repeating: " ", count: 30 - filled) + "| \(done)/\(total)"
                return MimeBundle(data: ["text/plain": text])
            }
            vm.output.display(bar(0), displayID: id, update: false)
            return .obj(IteratorObj(.native({
                let step = max(1, total / 100)
                if i >= items.count {
                    if shown != i { shown = i; vm.output.display(bar(i), displayID: id, update: true) }
                    return nil
                }
                if i % step == 0 && i != shown && i > 0 { shown = i; vm.output.display(bar(i), displayID: id, update: true) }
                i += 1
                return items[i - 1]
            })))
        }
        installTypes(t)
        installModules(t)
    }

    static func minMax(_ a: Arguments, wantMax: Bool) throws -> Value {
        let vm = try vmNow()
        let name = wantMax ? "max" : "min"
        let items = a.count == 1 ? try vm.toArray(a.positional[0]) : a.positional
        let key = a.keywords.first { $0.0 == "key" }?.1
        if items.isEmpty {
            if let d = a.keywords.first(where: { $0.0 == "default" })?.1 { return d }
            throw ScriptError(.valueError, "\(name)() arg is an empty sequence")
        }
        var best = items[0]
        var bestKey = try key.map { try vm.call($0, [best]) } ?? best
        for x in items.dropFirst() {
            let k = try key.map { try vm.call($0, [x]) } ?? x
            if wantMax ? try vm.lessThan(bestKey, k) : try vm.lessThan(k, bestKey) { best = x; bestKey = k }
        }
        return best
    }
}

/// `sys.stdout` / `sys.stderr` as values `print(file=…)` understands.
final class StreamBox {
    let stream: OutputStream
    init(_ s: OutputStream) { stream = s }
}

extension Methods {
    static let installOnce: Void = { install() }()
}

enum ProgressCounter { nonisolated(unsafe) static var next = 0 }
