import Foundation

/// Class objects of the built-in value types, with their methods from the binding table.
enum BuiltinTypes {
    static func make(_ name: String, base: ClassObj? = nil) -> ClassObj {
        let c = ClassObj(name: name, base: base)
        c.isBuiltinValueType = true
        return c
    }
    static let object: ClassObj = { let c = ClassObj(name: "object", base: nil); c.isBuiltinValueType = true; return c }()
    static let int = make("int"), float = make("float"), str = make("str"), bool = make("bool", base: int)
    static let list = make("list"), tuple = make("tuple"), dict = make("dict"), set = make("set"), range = make("range")
    static let noneType = make("NoneType"), type = make("type"), function = make("function"), module = make("module")

    static var all: [ClassObj] { [object, int, float, str, bool, list, tuple, dict, set, range, noneType, type, function, module] }

    /// Adds a method (receiver in positional[0]) to a built-in type.
    static func method(_ c: ClassObj, _ name: String, _ sig: String, _ doc: String, _ body: @escaping (Arguments) throws -> Value) {
        c.attrs[name] = .obj(BuiltinObj(NativeFunction(name, sig, doc: doc, body)))
    }
    static func constructor(_ c: ClassObj, _ sig: String, _ doc: String, unary: ((Value) throws -> Value)? = nil,
                            _ body: @escaping (Arguments) throws -> Value) {
        c.attrs["__new__"] = .obj(BuiltinObj(NativeFunction(c.name, sig, doc: doc, unary: unary, body)))
        c.doc = doc
    }
}

extension Arguments {
    var receiver: Value { positional.first ?? .none }
    func arg(_ i: Int) -> Value? { i + 1 < positional.count ? positional[i + 1] : nil }
    func argCount(_ n: ClosedRange<Int>) throws {
        let k = positional.count - 1
        if !n.contains(k) {
            throw ScriptError(.typeError, "\(functionName)() takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)") argument\(n.upperBound == 1 ? "" : "s") (\(k) given)")
        }
    }
}

func vmNow() throws -> VM {
    guard let vm = VM.current else { throw ScriptError(.runtimeError, "no script is running") }
    return vm
}

func needStr(_ v: Value?, _ what: String) throws -> String {
    guard let s = v?.stringValue else { throw ScriptError(.typeError, "\(what) must be str, not \(v.map(typeName) ?? "nothing")") }
    return s
}

enum Methods {
    static func install() {
        installStr(); installList(); installDict(); installSet()
    }

    static func installStr() {
        let c = BuiltinTypes.str
        func s(_ a: Arguments) -> String { a.receiver.stringValue ?? "" }
        BuiltinTypes.method(c, "split", "str.split(sep=None, maxsplit=-1)", "Splits the string at sep (default: runs of whitespace).") { a in
            let str = s(a)
            let sep = a.arg(0).flatMap { $0.isNone ? nil : $0.stringValue } ?? a.keywords.first { $0.0 == "sep" }?.1.stringValue
            let maxsplit = a.arg(1)?.intValue ?? a.keywords.first { $0.0 == "maxsplit" }?.1.intValue ?? -1
            if let sep {
                if sep.isEmpty { throw ScriptError(.valueError, "empty separator") }
                var parts: [String] = []
                var rest = Substring(str)
                while maxsplit < 0 || parts.count < maxsplit, let r = rest.range(of: sep) {
                    parts.append(String(rest[..<r.lowerBound])); rest = rest[r.upperBound...]
                }
                parts.append(String(rest))
                return .list(parts.map { .str($0) })
            }
            var parts: [String] = []
            var cur = "", rest = Substring(str)
            while let ch = rest.first {
                if ch.isWhitespace {
                    if !cur.isEmpty { parts.append(cur); cur = "" }
                    rest.removeFirst()
                    if maxsplit >= 0 && parts.count == maxsplit { let r = rest.drop { $0.isWhitespace }; if !r.isEmpty { parts.append(String(r)) }; return .list(parts.map { .str($0) }) }
                } else { cur.append(ch); rest.removeFirst() }
            }
            if !cur.isEmpty { parts.append(cur) }
            return .list(parts.map { .str($0) })
        }
        BuiltinTypes.method(c, "join", "str.join(iterable)", "Concatenates the strings of iterable with this string between them.") { a in
            let vm = try vmNow()
            let items = try vm.toArray(a.arg(0) ?? .none)
            var parts: [String] = []
            let separator = s(a)
            var total = 0
            for (i, x) in items.enumerated() {
                guard let t = x.stringValue else { throw ScriptError(.typeError, "sequence item \(i): expected str instance, \(typeName(x)) found") }
                total += t.utf8.count + (i > 0 ? separator.utf8.count : 0)
                if total > maxContainerSize { throw tooLarge("str.join", total) }
                parts.append(t)
            }
            return .str(parts.joined(separator: separator))
        }
        func stripSet(_ a: Arguments) -> Set<Character>? { a.arg(0)?.stringValue.map { Set($0) } }
        BuiltinTypes.method(c, "strip", "str.strip(chars=None)", "Removes leading and trailing whitespace (or chars).") { a in
            let cs = stripSet(a); let t = s(a)
            return .str(String(t.drop { cs?.contains($0) ?? $0.isWhitespace }.reversed().drop { cs?.contains($0) ?? $0.isWhitespace }.reversed()))
        }
        BuiltinTypes.method(c, "lstrip", "str.lstrip(chars=None)", "Removes leading whitespace (or chars).") { a in
            let cs = stripSet(a); return .str(String(s(a).drop { cs?.contains($0) ?? $0.isWhitespace }))
        }
        BuiltinTypes.method(c, "rstrip", "str.rstrip(chars=None)", "Removes trailing whitespace (or chars).") { a in
            let cs = stripSet(a); return .str(String(s(a).reversed().drop { cs?.contains($0) ?? $0.isWhitespace }.reversed()))
        }
        BuiltinTypes.method(c, "lower", "str.lower()", "A lower-case copy.") { a in .str(s(a).lowercased()) }
        BuiltinTypes.method(c, "upper", "str.upper()", "An upper-case copy.") { a in .str(s(a).uppercased()) }
        BuiltinTypes.method(c, "capitalize", "str.capitalize()", "First character upper-case, the rest lower-case.") { a in let t = s(a); return .str(t.prefix(1).uppercased() + t.dropFirst().lowercased()) }
        BuiltinTypes.method(c, "title", "str.title()", "Each word capitalized.") { a in .str(s(a).capitalized) }
        BuiltinTypes.method(c, "replace", "str.replace(old, new, count=-1)", "Replaces occurrences of old by new.") { a in
            let old = try needStr(a.arg(0), "replace() argument 1"), new = try needStr(a.arg(1), "replace() argument 2")
            let count = a.arg(2)?.intValue ?? -1
            // The result is at most (occurrences + 1) copies of `new` around the original.
            let source = s(a)
            if new.utf8.count > old.utf8.count {
                let found = old.isEmpty ? source.unicodeScalars.count + 1 : source.components(separatedBy: old).count - 1
                let slots = count < 0 ? found : min(found, count)
                let (grow, o) = slots.multipliedReportingOverflow(by: new.utf8.count)
                if o || grow + source.utf8.count > maxContainerSize { throw tooLarge("str.replace", o ? Int.max : grow + source.utf8.count) }
            }
            if count < 0 { return .str(source.replacingOccurrences(of: old, with: new)) }
            var out = "", rest = Substring(s(a)), n = 0
            while n < count, let r = rest.range(of: old) { out += rest[..<r.lowerBound] + new; rest = rest[r.upperBound...]; n += 1 }
            return .str(out + rest)
        }
        BuiltinTypes.method(c, "startswith", "str.startswith(prefix)", "Whether the string starts with prefix (or one of a tuple of prefixes).") { a in
            if let t = a.arg(0)?.asTuple { return .bool(t.items.contains { s(a).hasPrefix($0.stringValue ?? "\u{0}") }) }
            return .bool(s(a).hasPrefix(try needStr(a.arg(0), "startswith() argument")))
        }
        BuiltinTypes.method(c, "endswith", "str.endswith(suffix)", "Whether the string ends with suffix (or one of a tuple of suffixes).") { a in
            if let t = a.arg(0)?.asTuple { return .bool(t.items.contains { s(a).hasSuffix($0.stringValue ?? "\u{0}") }) }
            return .bool(s(a).hasSuffix(try needStr(a.arg(0), "endswith() argument")))
        }
        BuiltinTypes.method(c, "find", "str.find(sub)", "The index of the first occurrence of sub, or -1.") { a in
            let sub = try needStr(a.arg(0), "find() argument")
            let cs = Array(s(a).unicodeScalars), ss = Array(sub.unicodeScalars)
            if ss.isEmpty { return .int(0) }
            if cs.count >= ss.count { for i in 0...(cs.count - ss.count) where Array(cs[i..<i + ss.count]) == ss { return .int(i) } }
            return .int(-1)
        }
        BuiltinTypes.method(c, "index", "str.index(sub)", "Like find, but raises ValueError when absent.") { a in
            let r = try vmNow().callMethod(a.receiver, "find", Array(a.positional.dropFirst()), [])
            if r.intValue == -1 { throw ScriptError(.valueError, "substring not found") }
            return r
        }
        BuiltinTypes.method(c, "count", "str.count(sub)", "Non-overlapping occurrences of sub.") { a in
            let sub = try needStr(a.arg(0), "count() argument")
            if sub.isEmpty { return .int(s(a).unicodeScalars.count + 1) }
            return .int(s(a).components(separatedBy: sub).count - 1)
        }
        BuiltinTypes.method(c, "format", "str.format(*args, **kwargs)", "Fills {} fields with the arguments.") { a in
            .str(try strFormat(s(a), Array(a.positional.dropFirst()), a.keywords))
        }
        BuiltinTypes.method(c, "isdigit", "str.isdigit()", "Whether all characters are digits.") { a in .bool(!s(a).isEmpty && s(a).allSatisfy { $0.isNumber }) }
        BuiltinTypes.method(c, "isalpha", "str.isalpha()", "Whether all characters are letters.") { a in .bool(!s(a).isEmpty && s(a).allSatisfy { $0.isLetter }) }
        BuiltinTypes.method(c, "isspace", "str.isspace()", "Whether all characters are whitespace.") { a in .bool(!s(a).isEmpty && s(a).allSatisfy { $0.isWhitespace }) }
        BuiltinTypes.method(c, "isalnum", "str.isalnum()", "Whether all characters are letters or digits.") { a in .bool(!s(a).isEmpty && s(a).allSatisfy { $0.isLetter || $0.isNumber }) }
        BuiltinTypes.method(c, "isupper", "str.isupper()", "Whether all cased characters are upper-case.") { a in .bool(s(a).contains { $0.isLetter } && s(a) == s(a).uppercased()) }
        BuiltinTypes.method(c, "islower", "str.islower()", "Whether all cased characters are lower-case.") { a in .bool(s(a).contains { $0.isLetter } && s(a) == s(a).lowercased()) }
        BuiltinTypes.method(c, "center", "str.center(width, fill=' ')", "Centered in a field of width.") { a in .str(try formatWithSpec(a.receiver, "\(a.arg(1)?.stringValue ?? " ")^\(a.arg(0)?.intValue ?? 0)")) }
        BuiltinTypes.method(c, "ljust", "str.ljust(width, fill=' ')", "Left-justified in a field of width.") { a in .str(try formatWithSpec(a.receiver, "\(a.arg(1)?.stringValue ?? " ")<\(a.arg(0)?.intValue ?? 0)")) }
        BuiltinTypes.method(c, "rjust", "str.rjust(width, fill=' ')", "Right-justified in a field of width.") { a in .str(try formatWithSpec(a.receiver, "\(a.arg(1)?.stringValue ?? " ")>\(a.arg(0)?.intValue ?? 0)")) }
        BuiltinTypes.method(c, "zfill", "str.zfill(width)", "Padded with zeros on the left.") { a in
            let t = s(a), w = a.arg(0)?.intValue ?? 0
            if t.count >= w { return .str(t) }
            if w > maxContainerSize { throw tooLarge("str.zfill(\(w))", w) }
            if t.hasPrefix("-") || t.hasPrefix("+") { return .str(String(t.first!) + String(repeating: "0", count: w - t.count) + t.dropFirst()) }
            return .str(String(repeating: "0", count: w - t.count) + t)
        }
        BuiltinTypes.method(c, "splitlines", "str.splitlines()", "The lines of the string.") { a in
            .list(s(a).split(omittingEmptySubsequences: false) { $0 == "\n" }.map { .str(String($0)) }.dropLast(s(a).hasSuffix("\n") ? 1 : 0).map { $0 })
        }
        BuiltinTypes.method(c, "encode", "str.encode()", "Not supported: Myelin has no bytes type.") { _ in throw ScriptError(.notImplementedError, "bytes are not supported in Myelin") }
    }

    static func installList() {
        let c = BuiltinTypes.list
        func l(_ a: Arguments) -> ListObj { a.receiver.asList ?? ListObj([]) }
        BuiltinTypes.method(c, "append", "list.append(x)", "Adds x at the end.") { a in try a.argCount(1...1); l(a).items.append(a.positional[1]); return .none }
        BuiltinTypes.method(c, "extend", "list.extend(iterable)", "Adds every item of iterable at the end.") { a in try a.argCount(1...1); l(a).items.append(contentsOf: try vmNow().toArray(a.positional[1])); return .none }
        BuiltinTypes.method(c, "insert", "list.insert(i, x)", "Inserts x before index i.") { a in
            try a.argCount(2...2)
            let lst = l(a); var i = a.positional[1].intValue ?? 0
            if i < 0 { i = max(0, i + lst.items.count) }
            lst.items.insert(a.positional[2], at: min(i, lst.items.count)); return .none
        }
        BuiltinTypes.method(c, "pop", "list.pop(i=-1)", "Removes and returns the item at i (default: the last).") { a in
            let lst = l(a)
            if lst.items.isEmpty { throw ScriptError(.indexError, "pop from empty list") }
            let i = try (try vmNow()).normIndex(a.arg(0)?.intValue ?? -1, lst.items.count, "pop")
            return lst.items.remove(at: i)
        }
        BuiltinTypes.method(c, "remove", "list.remove(x)", "Removes the first item equal to x.") { a in
            try a.argCount(1...1)
            let lst = l(a), vm = try vmNow()
            for (i, v) in lst.items.enumerated() where try vm.equal(v, a.positional[1]) { lst.items.remove(at: i); return .none }
            throw ScriptError(.valueError, "list.remove(x): x not in list")
        }
        BuiltinTypes.method(c, "index", "list.index(x)", "The index of the first item equal to x.") { a in
            try a.argCount(1...1)
            let vm = try vmNow()
            for (i, v) in l(a).items.enumerated() where try vm.equal(v, a.positional[1]) { return .int(i) }
            throw ScriptError(.valueError, "\(repr(a.positional[1])) is not in list")
        }
        BuiltinTypes.method(c, "count", "list.count(x)", "How many items equal x.") { a in
            try a.argCount(1...1)
            let vm = try vmNow()
            return .int(try l(a).items.filter { try vm.equal($0, a.positional[1]) }.count)
        }
        BuiltinTypes.method(c, "sort", "list.sort(key=None, reverse=False)", "Sorts the list in place (stable).") { a in
            let lst = l(a)
            lst.items = try sortValues(lst.items, key: a.keywords.first { $0.0 == "key" }?.1, reverse: truthy(a.keywords.first { $0.0 == "reverse" }?.1 ?? .bool(false)))
            return .none
        }
        BuiltinTypes.method(c, "reverse", "list.reverse()", "Reverses the list in place.") { a in l(a).items.reverse(); return .none }
        BuiltinTypes.method(c, "copy", "list.copy()", "A shallow copy.") { a in .list(l(a).items) }
        BuiltinTypes.method(c, "clear", "list.clear()", "Removes every item.") { a in l(a).items.removeAll(); return .none }
        let t = BuiltinTypes.tuple
        BuiltinTypes.method(t, "index", "tuple.index(x)", "The index of the first item equal to x.") { a in
            let vm = try vmNow()
            for (i, v) in (a.receiver.asTuple?.items ?? []).enumerated() where try vm.equal(v, a.arg(0) ?? .none) { return .int(i) }
            throw ScriptError(.valueError, "tuple.index(x): x not in tuple")
        }
        BuiltinTypes.method(t, "count", "tuple.count(x)", "How many items equal x.") { a in
            let vm = try vmNow()
            return .int(try (a.receiver.asTuple?.items ?? []).filter { try vm.equal($0, a.arg(0) ?? .none) }.count)
        }
    }

    static func installDict() {
        let c = BuiltinTypes.dict
        func d(_ a: Arguments) -> DictObj { a.receiver.asDict ?? DictObj() }
        BuiltinTypes.method(c, "get", "dict.get(key, default=None)", "The value for key, or default.") { a in try d(a).get(a.arg(0) ?? .none) ?? a.arg(1) ?? .none }
        BuiltinTypes.method(c, "items", "dict.items()", "The (key, value) pairs, in insertion order.") { a in .list(d(a).orderedItems.map { .tuple([$0.0, $0.1]) }) }
        BuiltinTypes.method(c, "keys", "dict.keys()", "The keys, in insertion order.") { a in .list(d(a).orderedKeys) }
        BuiltinTypes.method(c, "values", "dict.values()", "The values, in insertion order.") { a in .list(d(a).orderedValues) }
        BuiltinTypes.method(c, "pop", "dict.pop(key, default)", "Removes key and returns its value (or default).") { a in
            if let v = try d(a).remove(a.arg(0) ?? .none) { return v }
            if let def = a.arg(1) { return def }
            var e = ScriptError(.keyError, repr(a.arg(0) ?? .none)); e.payload = a.arg(0); throw e
        }
        BuiltinTypes.method(c, "setdefault", "dict.setdefault(key, default=None)", "The value for key, inserting default first if absent.") { a in
            let k = a.arg(0) ?? .none
            if let v = try d(a).get(k) { return v }
            try d(a).set(k, a.arg(1) ?? .none); return a.arg(1) ?? .none
        }
        BuiltinTypes.method(c, "update", "dict.update(other=(), **kw)", "Adds the pairs of other and kw.") { a in
            if let o = a.arg(0) {
                if let od = o.asDict { for (k, v) in od.orderedItems { try d(a).set(k, v) } }
                else { for p in try vmNow().toArray(o) { let kv = try vmNow().toArray(p); if kv.count == 2 { try d(a).set(kv[0], kv[1]) } } }
            }
            for (k, v) in a.keywords { try d(a).set(.str(k), v) }
            return .none
        }
        BuiltinTypes.method(c, "copy", "dict.copy()", "A shallow copy.") { a in
            let n = DictObj(); for (k, v) in d(a).orderedItems { try n.set(k, v) }; return .obj(n)
        }
        BuiltinTypes.method(c, "clear", "dict.clear()", "Removes every pair.") { a in d(a).clear(); return .none }
    }

    static func installSet() {
        let c = BuiltinTypes.set
        func s(_ a: Arguments) -> SetObj { a.receiver.asSet ?? SetObj() }
        BuiltinTypes.method(c, "add", "set.add(x)", "Adds x.") { a in try s(a).add(a.arg(0) ?? .none); return .none }
        BuiltinTypes.method(c, "remove", "set.remove(x)", "Removes x; KeyError when absent.") { a in
            if try s(a).dict.remove(a.arg(0) ?? .none) == nil { var e = ScriptError(.keyError, repr(a.arg(0) ?? .none)); e.payload = a.arg(0); throw e }
            return .none
        }
        BuiltinTypes.method(c, "discard", "set.discard(x)", "Removes x if present.") { a in try s(a).dict.remove(a.arg(0) ?? .none); return .none }
        BuiltinTypes.method(c, "pop", "set.pop()", "Removes and returns an item.") { a in
            guard let f = s(a).items.first else { throw ScriptError(.keyError, "'pop from an empty set'") }
            try s(a).dict.remove(f); return f
        }
        BuiltinTypes.method(c, "union", "set.union(other)", "Items in either set.") { a in try vmNow().binary(.or, a.receiver, try setOf(a.arg(0) ?? .none)) }
        BuiltinTypes.method(c, "intersection", "set.intersection(other)", "Items in both sets.") { a in try vmNow().binary(.and, a.receiver, try setOf(a.arg(0) ?? .none)) }
        BuiltinTypes.method(c, "difference", "set.difference(other)", "Items in this set only.") { a in try vmNow().binary(.sub, a.receiver, try setOf(a.arg(0) ?? .none)) }
        BuiltinTypes.method(c, "copy", "set.copy()", "A shallow copy.") { a in try setOf(a.receiver) }
        BuiltinTypes.method(c, "update", "set.update(iterable)", "Adds every item of iterable.") { a in for x in try vmNow().toArray(a.arg(0) ?? .none) { try s(a).add(x) }; return .none }
        BuiltinTypes.method(c, "issubset", "set.issubset(other)", "Whether every item is in other.") { a in
            let o = try setOf(a.arg(0) ?? .none).asSet ?? SetObj()
            return .bool(try s(a).items.allSatisfy { try o.contains($0) })
        }
    }
}

func setOf(_ v: Value) throws -> Value {
    let s = SetObj()
    for x in try vmNow().toArray(v) { try s.add(x) }
    return .obj(s)
}

/// A stable sort with an optional key function, comparing like Python's `<`.
func sortValues(_ xs: [Value], key: Value?, reverse: Bool) throws -> [Value] {
    let vm = try vmNow()
    let keys: [Value] = try key.map { k in k.isNone ? xs : try xs.map { try vm.call(k, [$0]) } } ?? xs
    var idx = Array(xs.indices)
    var failure: Error?
    // merge sort keeps it stable and lets comparisons throw
    func less(_ i: Int, _ j: Int) -> Bool {
        if failure != nil { return false }
        do { return reverse ? try vm.lessThan(keys[j], keys[i]) : try vm.lessThan(keys[i], keys[j]) } catch { failure = error; return false }
    }
    idx = mergeSort(idx, less)
    if let failure { throw failure }
    return idx.map { xs[$0] }
}

func mergeSort(_ a: [Int], _ less: (Int, Int) -> Bool) -> [Int] {
    if a.count <= 1 { return a }
    let mid = a.count / 2
    let l = mergeSort(Array(a[..<mid]), less), r = mergeSort(Array(a[mid...]), less)
    var out: [Int] = []; out.reserveCapacity(a.count)
    var i = 0, j = 0
    while i < l.count && j < r.count { if less(r[j], l[i]) { out.append(r[j]); j += 1 } else { out.append(l[i]); i += 1 } }
    out.append(contentsOf: l[i...]); out.append(contentsOf: r[j...])
    return out
}

/// `str.format`: `{}`, `{0}`, `{name}`, `{x:.2f}`, `{!r}`.
func strFormat(_ fmt: String, _ args: [Value], _ kw: [(String, Value)]) throws -> String {
    var out = "", auto = 0
    var cs = Array(fmt)[...]
    while let c = cs.popFirst() {
        if c == "{" {
            if cs.first == "{" { cs.removeFirst(); out.append("{"); continue }
            var field = ""
            while let d = cs.first, d != "}" { field.append(d); cs.removeFirst() }
            guard cs.popFirst() == "}" else { throw ScriptError(.valueError, "expected '}' before end of string") }
            var spec = "", conv: Character?
            if let i = field.firstIndex(of: ":") { spec = String(field[field.index(after: i)...]); field = String(field[..<i]) }
            if let i = field.firstIndex(of: "!") { conv = field[field.index(after: i)...].first; field = String(field[..<i]) }
            var v: Value
            if field.isEmpty { guard auto < args.count else { throw ScriptError(.indexError, "Replacement index \(auto) out of range for positional args tuple") }; v = args[auto]; auto += 1 }
            else if let n = Int(field) { guard n < args.count else { throw ScriptError(.indexError, "Replacement index \(n) out of range for positional args tuple") }; v = args[n] }
            else {
                let parts = field.split(separator: ".")
                guard let found = kw.first(where: { $0.0 == parts[0] })?.1 else { var e = ScriptError(.keyError, "'\(field)'"); e.payload = .str(field); throw e }
                v = found
                for p in parts.dropFirst() { v = try vmNow().getAttr(v, String(p)) }
            }
            if conv == "r" { v = .str(repr(v)) } else if conv == "s" { v = .str(str(v)) }
            out += try vmNow().format(v, spec)
        } else if c == "}" {
            if cs.first == "}" { cs.removeFirst() }
            out.append("}")
        } else { out.append(c) }
    }
    return out
}
