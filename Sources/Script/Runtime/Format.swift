import Foundation

/// Python's type name of a value.
public func typeName(_ v: Value) -> String {
    switch v {
    case .none: return "NoneType"
    case .bool: return "bool"
    case .int: return "int"
    case .float: return "float"
    case .obj(let o):
        switch o.kind {
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .set: return "set"
        case .range: return "range"
        case .function: return "function"
        case .builtin: return "builtin_function_or_method"
        case .boundMethod: return "method"
        case .classObj: return "type"
        case .instance: return unsafeDowncast(o, to: InstanceObj.self).cls.name
        case .module: return "module"
        case .native: return unsafeDowncast(o, to: NativeObject.self).type.name
        case .cell: return "cell"
        case .iterator: return "iterator"
        case .slice: return "slice"
        case .ellipsis: return "ellipsis"
        case .code: return "code"
        case .superProxy: return "super"
        }
    }
}

/// Python truthiness (user `__bool__`/`__len__` included).
public func truthy(_ v: Value) -> Bool {
    switch v {
    case .none: return false
    case .bool(let b): return b
    case .int(let i): return i != 0
    case .float(let d): return d != 0
    case .obj(let o):
        switch o.kind {
        case .str: return !unsafeDowncast(o, to: StrObj.self).value.isEmpty
        case .list: return !unsafeDowncast(o, to: ListObj.self).items.isEmpty
        case .tuple: return !unsafeDowncast(o, to: TupleObj.self).items.isEmpty
        case .dict: return unsafeDowncast(o, to: DictObj.self).count > 0
        case .set: return unsafeDowncast(o, to: SetObj.self).dict.count > 0
        case .range: return unsafeDowncast(o, to: RangeObj.self).count > 0
        case .native:
            let n = unsafeDowncast(o, to: NativeObject.self)
            if let t = n.type.truthiness { return (try? t(n)) ?? true }
            if let l = n.type.length { return ((try? l(n)) ?? 1) != 0 }
            return true
        case .instance:
            if let vm = VM.current, let r = try? vm.callDunder(v, "__bool__", []) { return truthy(r) }
            if let vm = VM.current, let r = try? vm.callDunder(v, "__len__", []) { return truthy(r) }
            return true
        default: return true
        }
    }
}

/// Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16.
public func formatFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description gives the shortest round-trip digits; re-lay them out Python's way.
    let s = "\(abs(d))"
    var digits = "", exp = 0
    var mantissa = Substring(s), expPart: Substring = ""
    if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) { mantissa = s[..<e]; expPart = s[s.index(after: e)...] }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let intPart = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
    digits = intPart + frac
    exp = intPart.count + (Int(expPart) ?? 0)   // decimal point position
    // strip leading zeros
    while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); exp -= 1 }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    let sign = d < 0 ? "-" : ""
    let e10 = exp - 1
    if e10 < -4 || e10 >= 16 {
        var m = String(digits.first!)
        if digits.count > 1 { m += "." + digits.dropFirst() }
        let es = e10 < 0 ? "-" : "+"
        let ev = abs(e10)
        return sign + m + "e" + es + (ev < 10 ? "0\(ev)" : "\(ev)")
    }
    if exp <= 0 { return sign + "0." + String(repeating: "0", count: -exp) + digits }
    if exp >= digits.count { return sign + digits + String(repeating: "0", count: exp - digits.count) + ".0" }
    let idx = digits.index(digits.startIndex, offsetBy: exp)
    return sign + digits[..<idx] + "." + digits[idx...]
}

/// Python's `repr(str)`.
func reprString(_ s: String) -> String {
    let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String(q)
    for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if Character(u) == q { out += "\\" + String(q) }
            else if u.value < 0x20 || u.value == 0x7f { out += String(format: "\\x%02x", u.value) }
            else { out.unicodeScalars.append(u) }
        }
    }
    out.append(q)
    return out
}

/// How deeply nested containers `repr` shows before writing `...`.
let maxReprDepth = 25_000

/// `i` in decimal: digits written into a stack buffer, then one String (about a third fewer
/// instructions than `String(i)`, which goes through the generic integer printer).
func decimalString(_ i: Int) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
        var n = i.magnitude, p = 20   // 19 digits and a sign at most
        repeat {
            p -= 1
            buf[p] = 48 &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
        } while n > 0
        if i < 0 { p -= 1; buf[p] = 45 }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[p..<20]), as: UTF8.self)
    }
}

/// `repr(v)`.
public func repr(_ v: Value) -> String {
    var seen = Set<ObjectIdentifier>()
    return reprInner(v, &seen)
}

func reprInner(_ v: Value, _ seen: inout Set<ObjectIdentifier>) -> String {
    switch v {
    case .none: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return decimalString(i)
    case .float(let d): return formatFloat(d)
    case .obj(let o):
        switch o.kind {
        case .str: return reprString(unsafeDowncast(o, to: StrObj.self).value)
        case .list, .tuple, .dict, .set:
            let id = ObjectIdentifier(o)
            if seen.contains(id) { return o.kind == .list ? "[...]" : o.kind == .dict ? "{...}" : "(...)" }
            // Containers nested deeper than this show as `...` (native recursion must stay bounded).
            if seen.count >= maxReprDepth { return "..." }
            seen.insert(id); defer { seen.remove(id) }
            if o.kind == .list { return "[" + unsafeDowncast(o, to: ListObj.self).items.map { reprInner($0, &seen) }.joined(separator: ", ") + "]" }
            if o.kind == .tuple {
                let xs = unsafeDowncast(o, to: TupleObj.self).items
                if xs.count == 1 { return "(" + reprInner(xs[0], &seen) + ",)" }
                return "(" + xs.map { reprInner($0, &seen) }.joined(separator: ", ") + ")"
            }
            if o.kind == .set {
                let xs = unsafeDowncast(o, to: SetObj.self).items
                if xs.isEmpty { return "set()" }
                return "{" + xs.map { reprInner($0, &seen) }.joined(separator: ", ") + "}"
            }
            let d = unsafeDowncast(o, to: DictObj.self)
            return "{" + d.orderedItems.map { reprInner($0.0, &seen) + ": " + reprInner($0.1, &seen) }.joined(separator: ", ") + "}"
        case .range:
            let r = unsafeDowncast(o, to: RangeObj.self)
            return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
        case .function: return "<function \(unsafeDowncast(o, to: FunctionObj.self).code.qualname)>"
        case .builtin: return "<built-in function \(unsafeDowncast(o, to: BuiltinObj.self).function.name)>"
        case .boundMethod:
            let b = unsafeDowncast(o, to: BoundMethodObj.self)
            let fname: String
            if case .obj(let f) = b.function, f.kind == .function { fname = unsafeDowncast(f, to: FunctionObj.self).code.qualname }
            else if case .obj(let f) = b.function, f.kind == .builtin { fname = unsafeDowncast(f, to: BuiltinObj.self).function.name }
            else { fname = "?" }
            return "<bound method \(fname) of \(reprInner(b.receiver, &seen))>"
        case .classObj:
            let c = unsafeDowncast(o, to: ClassObj.self)
            return c.isBuiltinValueType || ExceptionClasses.all[c.name] === c ? "<class '\(c.name)'>" : "<class '__main__.\(c.name)'>"
        case .instance:
            let inst = unsafeDowncast(o, to: InstanceObj.self)
            if inst.cls.isSubclass(of: ExceptionClasses.baseException) && inst.cls.lookup("__repr__") == nil {
                let args = inst.attrs["args"]?.asTuple?.items ?? []
                if args.count == 1 { return "\(inst.cls.name)(\(reprInner(args[0], &seen)))" }
                return inst.cls.name + reprInner(.tuple(args), &seen)
            }
            if let vm = VM.current, inst.cls.lookup("__repr__") != nil, let r = try? vm.callDunder(v, "__repr__", []), let s = r.stringValue { return s }
            if let n = inst.native, let r = n.type.repr { return r(n) }
            return "<__main__.\(inst.cls.name) object>"
        case .module: return "<module '\(unsafeDowncast(o, to: ModuleObj.self).name)' (built-in)>"
        case .native:
            let n = unsafeDowncast(o, to: NativeObject.self)
            if let r = n.type.repr { return r(n) }
            return "<\(n.type.name) object>"
        case .slice:
            let s = unsafeDowncast(o, to: SliceObj.self)
            return "slice(\(reprInner(s.lower, &seen)), \(reprInner(s.upper, &seen)), \(reprInner(s.step, &seen)))"
        case .ellipsis: return "Ellipsis"
        case .cell: return "<cell>"
        case .iterator: return "<iterator object>"
        case .code: return "<code>"
        case .superProxy: return "<super>"
        }
    }
}

/// `str(v)`.
public func str(_ v: Value) -> String {
    switch v {
    case .int(let i): return decimalString(i)
    case .obj(let o):
        switch o.kind {
        case .str: return unsafeDowncast(o, to: StrObj.self).value
        case .instance:
            let inst = unsafeDowncast(o, to: InstanceObj.self)
            if inst.cls.lookup("__str__") != nil, let vm = VM.current, let r = try? vm.callDunder(v, "__str__", []), let s = r.stringValue { return s }
            if inst.cls.isSubclass(of: ExceptionClasses.baseException) { return exceptionMessage(inst) }
            if let n = inst.native, let s = n.type.str { return s(n) }
            return repr(v)
        case .native:
            let n = unsafeDowncast(o, to: NativeObject.self)
            if let s = n.type.str { return s(n) }
            return repr(v)
        default: return repr(v)
        }
    default: return repr(v)
    }
}

/// The largest precision a format spec may ask for (digits past ~1100 are zeros for any float).
let maxFormatPrecision = 100_000

/// Python's format-spec mini-language for `format()` and f-strings (`.3f`, `>10`, `,`, `%`, `e`, `g`, `d`).
func formatWithSpec(_ v: Value, _ spec: String) throws -> String {
    if spec.isEmpty { return str(v) }
    var cs = Array(spec)
    var fill: Character = " ", align: Character? = nil
    if cs.count >= 2, "<>^=".contains(cs[1]) { fill = cs[0]; align = cs[1]; cs.removeFirst(2) }
    else if let f = cs.first, "<>^=".contains(f) { align = f; cs.removeFirst() }
    var sign: Character = "-"
    if let f = cs.first, "+- ".contains(f) { sign = f; cs.removeFirst() }
    if cs.first == "0" { if align == nil { fill = "0"; align = "=" }; cs.removeFirst() }
    var width = 0
    while let f = cs.first, let d = f.wholeNumberValue {
        let (w, o1) = width.multipliedReportingOverflow(by: 10)
        if o1 || w + d > maxContainerSize { throw tooLarge("format width '\(spec)'", o1 ? Int.max : w + d) }
        width = w + d; cs.removeFirst()
    }
    var grouping: Character? = nil
    if let f = cs.first, f == "," || f == "_" { grouping = f; cs.removeFirst() }
    var precision: Int? = nil
    if cs.first == "." {
        cs.removeFirst(); var p = 0
        while let f = cs.first, let d = f.wholeNumberValue {
            p = p * 10 + d; cs.removeFirst()
            if p > maxFormatPrecision { throw ScriptError(.valueError, "precision too big in format '\(spec)' (at most \(maxFormatPrecision))") }
        }
        precision = p
    }
    let type: Character? = cs.first
    if cs.count > 1 { throw ScriptError(.valueError, "Invalid format specifier '\(spec)'") }
    var body: String
    var negative = false
    func group(_ s: String) -> String {
        guard let g = grouping else { return s }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var ip = Array(parts[0]); var out: [Character] = []
        var n = 0
        while let c = ip.popLast() { if n > 0 && n % 3 == 0 { out.append(g) }; out.append(c); n += 1 }
        return String(out.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }
    switch v {
    case .int, .float, .bool:
        let isInt: Bool = { if case .float = v { return false }; return true }()
        var t = type
        if t == nil { t = isInt ? "d" : (precision == nil ? "r" : "g") }
        if isInt && "eEfFgG%".contains(t!) == false && t != "d" && t != "n" && t != "x" && t != "b" && t != "o" && t != "X" {
            throw ScriptError(.valueError, "Unknown format code '\(t!)' for object of type 'int'")
        }
        if !isInt && "dxbo".contains(t!) { throw ScriptError(.valueError, "Unknown format code '\(t!)' for object of type 'float'") }
        let d = v.doubleValue ?? 0
        negative = d < 0 || (d == 0 && d.sign == .minus && !isInt)
        let a = abs(d)
        switch t! {
        case "d", "n": body = group(String(abs(v.intValue ?? 0)).replacingOccurrences(of: "-", with: ""))
            if let i = v.intValue, i == Int.min { body = "9223372036854775808" }
        case "x": body = String(abs(v.intValue ?? 0), radix: 16)
        case "X": body = String(abs(v.intValue ?? 0), radix: 16).uppercased()
        case "b": body = String(abs(v.intValue ?? 0), radix: 2)
        case "o": body = String(abs(v.intValue ?? 0), radix: 8)
        case "f", "F": body = a.isFinite ? group(String(format: "%.\(precision ?? 6)f", a)) : (a.isNaN ? "nan" : "inf")
        case "e", "E":
            body = a.isFinite ? String(format: "%.\(precision ?? 6)e", a) : (a.isNaN ? "nan" : "inf")
            if t == "E" { body = body.uppercased() }
        case "%": body = String(format: "%.\(precision ?? 6)f", a * 100) + "%"
        case "g", "G":
            let p = max(precision ?? 6, 1)
            if a.isFinite {
                body = String(format: "%.\(p)g", a)
            } else { body = a.isNaN ? "nan" : "inf" }
            if t == "G" { body = body.uppercased() }
        case "r": body = group(formatFloat(a))
        default: throw ScriptError(.valueError, "Unknown format code '\(t!)'")
        }
        if negative { body = "-" + body } else if sign == "+" { body = "+" + body } else if sign == " " { body = " " + body }
        if align == nil { align = ">" }
    default:
        if let t = type, t != "s" { throw ScriptError(.valueError, "Unknown format code '\(t)' for object of type '\(typeName(v))'") }
        body = str(v)
        if let p = precision { body = String(body.prefix(p)) }
        if align == nil { align = "<" }
    }
    let n = body.count
    if n >= width { return body }
    let pad = width - n
    switch align! {
    case "<": return body + String(repeating: fill, count: pad)
    case "^": return String(repeating: fill, count: pad / 2) + body + String(repeating: fill, count: pad - pad / 2)
    case "=":
        if let f = body.first, "+- ".contains(f) { return String(f) + String(repeating: fill, count: pad) + body.dropFirst() }
        return String(repeating: fill, count: pad) + body
    default: return String(repeating: fill, count: pad) + body
    }
}
