import Engine
import Foundation

typealias Fp = UnsafeMutablePointer<Value>
typealias EvalFn = (Fp) throws -> Value
typealias ExecFn = (Fp) throws -> Flow

enum Flow { case normal, breakLoop, continueLoop, returned }

/// A global variable: the compiler resolves each global name to one cell, once.
final class GlobalCell {
    var value: Value?
    var builtin: Value?
    let name: String
    init(_ n: String) { name = n }
}

/// The machine state of one session: globals, the value stack for frames, recursion depth.
public final class VM {
    nonisolated(unsafe) static var current: VM?

    var globals: [String: GlobalCell] = [:]
    let table: BindingTable
    var builtins: [String: Value] = [:]
    var modules: [String: ModuleObj] = [:]
    let stackBase: Fp
    let stackCapacity = 1 << 20
    var sp: Fp
    var depth = 0
    var recursionLimit = 1000
    var ticks = 10_000
    var returnValue: Value = .none
    /// Where print() and friends write.
    var output: ScriptOutput
    var argv: [String] = []
    var handledException: ScriptException?
    /// True while a notebook cell runs (false for `myelin run` files): bindings display only in cells.
    var isRunningCell = false

    init(table: BindingTable, output: ScriptOutput) {
        self.table = table
        self.output = output
        stackBase = Fp.allocate(capacity: stackCapacity)
        sp = stackBase
        _ = BLASPool.parked
    }
    deinit { stackBase.deallocate() }

    func cell(_ name: String) -> GlobalCell {
        if let c = globals[name] { return c }
        let c = GlobalCell(name)
        c.builtin = builtins[name]
        globals[name] = c
        return c
    }

    func setGlobal(_ name: String, _ v: Value) { cell(name).value = v }
    func getGlobal(_ name: String) -> Value? { globals[name]?.value }

    /// Polls the interrupt flag every few thousand back-edges and calls.
    @inline(__always)
    func tick() throws {
        ticks &-= 1
        if ticks < 0 { try poll() }
    }
    func poll() throws {
        ticks = 10_000
        if Interruption.isRequested {
            _ = Interruption.take()
            throw ScriptException("KeyboardInterrupt", "")
        }
    }

    // MARK: frames

    /// The marker in local slots that were never assigned.
    static let unboundValue = Value.obj(UnboundMarker.shared)

    /// Pushes a frame for `code`. Slots `0..<bound` are left uninitialized: the caller initializes
    /// them (its arguments) right after, before `runFrame`. Other parameters start as None, locals unbound.
    @inline(__always)
    func pushFrame(_ code: CodeObj, bound: Int) throws -> Fp {
        let fp = sp
        let n = code.nslots
        if depth >= recursionLimit || (sp - stackBase) + n >= stackCapacity {
            throw ScriptException("RecursionError", "maximum recursion depth exceeded")
        }
        let np = code.paramSlotCount
        var i = bound
        while i < np { (fp + i).initialize(to: .none); i += 1 }
        if i < n {
            let u = VM.unboundValue
            while i < n { (fp + i).initialize(to: u); i += 1 }
        }
        sp = fp + n
        depth += 1
        return fp
    }

    /// Releases a frame's slots (one by one: cheaper than the generic array destroy) and pops it.
    @inline(__always)
    func popFrame(_ fp: Fp, _ n: Int) {
        var i = 0
        while i < n { (fp + i).deinitialize(count: 1); i += 1 }
        sp = fp
        depth -= 1
    }

    /// Runs the body of a frame made by `pushFrame` (arguments in place), pops it, returns the result.
    @inline(__always)
    func runFrame(_ code: CodeObj, _ fp: Fp) throws -> Value {
        defer { popFrame(fp, code.nslots) }
        ticks &-= 1
        if ticks < 0 { try poll() }
        if try code.body(fp) == .returned {
            var r = Value.none
            swap(&r, &returnValue)
            return r
        }
        return .none
    }

    /// Stores a closure's cells into their slots of a fresh frame.
    @inline(__always)
    func bindFree(_ fn: FunctionObj, _ fp: Fp) {
        if !fn.hasClosure { return }
        for (i, s) in fn.code.freeSlots.enumerated() { fp[s] = .obj(fn.closure[i]) }
    }

    /// Calls a simple function (`code.fastArity` already checked by the caller) with its arguments,
    /// which move into the frame (consuming: no extra retain and release per argument).
    @inline(__always)
    func invoke(_ fn: FunctionObj, _ a: consuming Value) throws -> Value {
        let code = fn.code
        let fp = try pushFrame(code, bound: 1)
        fp.initialize(to: a)
        bindFree(fn, fp)
        return try runFrame(code, fp)
    }
    @inline(__always)
    func invoke(_ fn: FunctionObj, _ a: consuming Value, _ b: consuming Value) throws -> Value {
        let code = fn.code
        let fp = try pushFrame(code, bound: 2)
        fp.initialize(to: a); (fp + 1).initialize(to: b)
        bindFree(fn, fp)
        return try runFrame(code, fp)
    }
    @inline(__always)
    func invoke(_ fn: FunctionObj, _ a: consuming Value, _ b: consuming Value, _ c: consuming Value) throws -> Value {
        let code = fn.code
        let fp = try pushFrame(code, bound: 3)
        fp.initialize(to: a); (fp + 1).initialize(to: b); (fp + 2).initialize(to: c)
        bindFree(fn, fp)
        return try runFrame(code, fp)
    }

    /// Runs a user function with arguments bound into a fresh frame by `fill`.
    func withFrame(_ code: CodeObj, _ fill: (Fp) throws -> Void) throws -> Value {
        let fp = try pushFrame(code, bound: 0)
        do { try fill(fp) } catch { popFrame(fp, code.nslots); throw error }
        return try runFrame(code, fp)
    }

    /// Calls any callable value with positional and keyword arguments.
    func call(_ f: Value, _ args: [Value], _ kw: [(String, Value)] = []) throws -> Value {
        guard case .obj(let o) = f else { throw ScriptError(.typeError, "'\(typeName(f))' object is not callable") }
        switch o.kind {
        case .function:
            let fn = unsafeDowncast(o, to: FunctionObj.self)
            return try callFunction(fn, args, kw)
        case .builtin:
            let b = unsafeDowncast(o, to: BuiltinObj.self)
            if args.count == 1 && kw.isEmpty { return try b.callOne(args[0]) }
            return try b.function.call(Arguments(args, keywords: kw, functionName: b.function.name))
        case .boundMethod:
            let b = unsafeDowncast(o, to: BoundMethodObj.self)
            return try call(b.function, [b.receiver] + args, kw)
        case .classObj:
            return try instantiate(unsafeDowncast(o, to: ClassObj.self), args, kw)
        case .instance:
            guard let m = unsafeDowncast(o, to: InstanceObj.self).cls.lookup("__call__") else { break }
            return try call(m, [f] + args, kw)
        case .native:
            let n = unsafeDowncast(o, to: NativeObject.self)
            if let c = n.type.call { return try c(n, Arguments(args, keywords: kw, functionName: n.type.name)) }
        default: break
        }
        throw ScriptError(.typeError, "'\(typeName(f))' object is not callable")
    }

    func callFunction(_ fn: FunctionObj, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        let code = fn.code
        if kw.isEmpty && code.fastArity == args.count {
            switch args.count {
            case 1: return try invoke(fn, args[0])
            case 2: return try invoke(fn, args[0], args[1])
            case 3: return try invoke(fn, args[0], args[1], args[2])
            default:
                return try withFrame(code) { fp in
                    for i in 0..<args.count { fp[i] = args[i] }
                    self.bindFree(fn, fp)
                }
            }
        }
        return try withFrame(code) { fp in try self.bindArguments(fn, fp, args, kw) }
    }

    /// Puts arguments into parameter slots, applying defaults, *args and **kw.
    func bindArguments(_ fn: FunctionObj, _ fp: Fp, _ args: [Value], _ kw: [(String, Value)]) throws {
        let code = fn.code
        let np = code.params.names.count
        let name = code.name
        if args.count > np {
            guard let vs = code.varargsSlot else {
                throw ScriptError(.typeError, "\(name)() takes \(np) positional argument\(np == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given")
            }
            fp[vs] = .tuple(Array(args[np...]))
        } else if let vs = code.varargsSlot { fp[vs] = .tuple([]) }
        for i in 0..<min(args.count, np) { fp[i] = args[i] }
        var extra: DictObj?
        if let ks = code.kwargsSlot { let d = DictObj(); extra = d; fp[ks] = .obj(d) }
        var filled = [Bool](repeating: false, count: code.paramNames.count)
        for i in 0..<min(args.count, np) { filled[i] = true }
        for (k, v) in kw {
            if let i = code.paramNames.firstIndex(of: k) {
                if filled[i] { throw ScriptError(.typeError, "\(name)() got multiple values for argument '\(k)'") }
                filled[i] = true
                fp[i < np ? i : np + (code.varargsSlot == nil ? 0 : 1) + (i - np)] = v
            } else if let d = extra { try d.set(.str(k), v) }
            else { throw ScriptError(.typeError, "\(name)() got an unexpected keyword argument '\(k)'") }
        }
        let firstDefault = np - fn.defaults.count
        var missing: [String] = []
        for i in 0..<np where !filled[i] {
            if i >= firstDefault { fp[i] = fn.defaults[i - firstDefault] } else { missing.append(code.paramNames[i]) }
        }
        for j in 0..<code.params.kwonly.count where !filled[np + j] {
            let slot = np + (code.varargsSlot == nil ? 0 : 1) + j
            if let d = fn.kwDefaults[j] { fp[slot] = d } else { missing.append(code.params.kwonly[j]) }
        }
        if !missing.isEmpty {
            throw ScriptError(.typeError, "\(name)() missing \(missing.count) required argument\(missing.count == 1 ? "" : "s"): " + missing.map { "'\($0)'" }.joined(separator: " and "))
        }
        try enterFrame(fn, fp)
    }

    @inline(__always)
    func enterFrame(_ fn: FunctionObj, _ fp: Fp) throws {
        let code = fn.code
        for s in code.cellSlots {
            if case .obj(let o) = fp[s], o === UnboundMarker.shared { fp[s] = .obj(CellObj(nil)) }
            else { fp[s] = .obj(CellObj(fp[s])) }
        }
        for (i, s) in code.freeSlots.enumerated() { fp[s] = .obj(fn.closure[i]) }
    }

    /// For `Cls(a, b)` fast paths: a fresh instance and its plain `__init__` taking `nargs` arguments.
    @inline(__always)
    func plainInit(_ cls: ClassObj, nargs: Int) -> (InstanceObj, FunctionObj)? {
        guard cls.builtinConstructor == nil, !cls.isBuiltinValueType, cls.nativeType == nil,
              let i = cls.initFunction, case .obj(let fo) = i, fo.kind == .function else { return nil }
        let fn = unsafeDowncast(fo, to: FunctionObj.self)
        guard fn.code.fastArity == nargs + 1, !cls.isException else { return nil }
        return (InstanceObj(cls), fn)
    }

    func checkInitResult(_ r: Value) throws {
        if !r.isNone { throw ScriptError(.typeError, "__init__() should return None, not '\(typeName(r))'") }
    }

    func instantiate(_ cls: ClassObj, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        if let ctor = cls.builtinConstructor {
            // built-in types and native types: the constructor makes the value
            return try call(ctor, args, kw)
        }
        if cls.isBuiltinValueType, let c = cls.lookup("__new__") { return try call(c, args, kw) }
        let inst = InstanceObj(cls)
        let v = Value.obj(inst)
        if let initf = cls.initFunction {
            let r: Value
            if case .obj(let fo) = initf, fo.kind == .function, kw.isEmpty {
                let fn = unsafeDowncast(fo, to: FunctionObj.self)
                if fn.code.fastArity == args.count + 1 {
                    r = try withFrame(fn.code) { fp in
                        fp[0] = v
                        for i in 0..<args.count { fp[i + 1] = args[i] }
                        self.bindFree(fn, fp)
                    }
                } else { r = try callFunction(fn, [v] + args, kw) }
            } else { r = try call(initf, [v] + args, kw) }
            if !r.isNone { throw ScriptError(.typeError, "__init__() should return None, not '\(typeName(r))'") }
        } else if let nt = cls.nativeType, let ctor = nt.constructor {
            inst.native = try ctor.call(Arguments(args, keywords: kw, functionName: nt.name)).asNative
        } else if !args.isEmpty || !kw.isEmpty {
            if cls.isSubclass(of: ExceptionClasses.baseException) { inst.attrs["args"] = .tuple(args); return v }
            throw ScriptError(.typeError, "\(cls.name)() takes no arguments")
        }
        if cls.isException && inst.attrs["args"] == nil { inst.attrs["args"] = .tuple(args) }
        return v
    }

    /// Calls a dunder method of an instance, nil when it has none.
    func callDunder(_ v: Value, _ name: String, _ args: [Value]) throws -> Value? {
        guard let inst = v.asInstance, let m = inst.cls.lookup(name) else { return nil }
        return try call(m, [v] + args)
    }

    // MARK: classes of values

    func classOf(_ v: Value) -> ClassObj {
        switch v {
        case .none: return BuiltinTypes.noneType
        case .bool: return BuiltinTypes.bool
        case .int: return BuiltinTypes.int
        case .float: return BuiltinTypes.float
        case .obj(let o):
            switch o.kind {
            case .str: return BuiltinTypes.str
            case .list: return BuiltinTypes.list
            case .tuple: return BuiltinTypes.tuple
            case .dict: return BuiltinTypes.dict
            case .set: return BuiltinTypes.set
            case .range: return BuiltinTypes.range
            case .instance: return unsafeDowncast(o, to: InstanceObj.self).cls
            case .native: return unsafeDowncast(o, to: NativeObject.self).type.classObject
            case .classObj: return BuiltinTypes.type
            case .function, .builtin, .boundMethod: return BuiltinTypes.function
            case .module: return BuiltinTypes.module
            default: return BuiltinTypes.object
            }
        }
    }

    // MARK: attributes

    func getAttr(_ v: Value, _ name: String) throws -> Value {
        if case .obj(let o) = v {
            switch o.kind {
            case .instance:
                let inst = unsafeDowncast(o, to: InstanceObj.self)
                if let a = inst.attrs[name] { return a }
                if let m = inst.cls.lookup(name) {
                    if case .obj(let f) = m, f.kind == .function || f.kind == .builtin { return .obj(BoundMethodObj(v, m)) }
                    return m
                }
                if name == "__class__" { return .obj(inst.cls) }
                if let n = inst.native, let r = try nativeAttr(n, name) { return r }
                if let g = inst.cls.lookup("__getattr__") { return try call(g, [v, .str(name)]) }
                throw ScriptError(.attributeError, "'\(inst.cls.name)' object has no attribute '\(name)'")
            case .module:
                let m = unsafeDowncast(o, to: ModuleObj.self)
                if let a = m.members[name] { return a }
                throw ScriptError(.attributeError, "module '\(m.name)' has no attribute '\(name)'")
            case .classObj:
                let c = unsafeDowncast(o, to: ClassObj.self)
                if let a = c.lookup(name) { return a }
                if name == "__name__" { return .str(c.name) }
                if let nt = c.nativeType, let f = nt.methods[name] { return .obj(BuiltinObj(f)) }
                throw ScriptError(.attributeError, "type object '\(c.name)' has no attribute '\(name)'")
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let r = try nativeAttr(n, name) { return r }
                throw ScriptError(.attributeError, "'\(n.type.name)' object has no attribute '\(name)'")
            case .superProxy:
                return try superAttr(unsafeDowncast(o, to: SuperObj.self), name)
            case .function:
                let f = unsafeDowncast(o, to: FunctionObj.self)
                if name == "__name__" { return .str(f.code.name) }
                if name == "__doc__" { return f.code.doc.map { .str($0) } ?? .none }
                if let a = f.attrs[name] { return a }
            default: break
            }
        }
        if let inst = v.asInstance, inst.cls.isSubclass(of: ExceptionClasses.baseException), name == "args" { return inst.attrs["args"] ?? .tuple([]) }
        let cls = classOf(v)
        if let m = cls.lookup(name) { return .obj(BoundMethodObj(v, m)) }
        if name == "__class__" { return .obj(cls) }
        if case .float(let d) = v {
            if name == "real" { return .float(d) }; if name == "imag" { return .float(0) }
        }
        throw ScriptError(.attributeError, "'\(typeName(v))' object has no attribute '\(name)'")
    }

    func nativeAttr(_ n: NativeObject, _ name: String) throws -> Value? {
        if let p = n.type.properties[name] { return try p.get(n) }
        if let m = n.type.methods[name] {
            let recv = Value.obj(n)
            return .obj(BuiltinObj(NativeFunction(m.name, m.signature, doc: m.doc) { a in
                var b = a; b.positional.insert(recv, at: 0); return try m.call(b)
            }))
        }
        return nil
    }

    func setAttr(_ v: Value, _ name: String, _ x: Value) throws {
        if case .obj(let o) = v {
            switch o.kind {
            case .instance:
                let inst = unsafeDowncast(o, to: InstanceObj.self)
                if let n = inst.native, let p = n.type.properties[name], let s = p.set { try s(n, x); return }
                if inst.cls.hasCustomSetattr, let s = inst.cls.lookup("__setattr__") { _ = try call(s, [v, .str(name), x]); return }
                inst.attrs[name] = x; return
            case .classObj: unsafeDowncast(o, to: ClassObj.self).attrs[name] = x; return
            case .native:
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let p = n.type.properties[name], let s = p.set { try s(n, x); return }
                throw ScriptError(.attributeError, "'\(n.type.name)' object attribute '\(name)' is read-only")
            case .function: unsafeDowncast(o, to: FunctionObj.self).attrs[name] = x; return
            case .module: unsafeDowncast(o, to: ModuleObj.self).members[name] = x; return
            default: break
            }
        }
        throw ScriptError(.attributeError, "'\(typeName(v))' object has no attribute '\(name)'")
    }

    /// `obj.name(args)` without making a bound method when the attribute is a plain method.
    @inline(__always)
    func callMethod(_ recv: Value, _ name: String, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        if case .obj(let o) = recv {
            if o.kind == .instance {
                let inst = unsafeDowncast(o, to: InstanceObj.self)
                if inst.attrs[name] == nil, let m = inst.cls.lookup(name), case .obj(let fo) = m {
                    if fo.kind == .function {
                        let fn = unsafeDowncast(fo, to: FunctionObj.self)
                        if kw.isEmpty && fn.code.fastArity == args.count + 1 {
                            switch args.count {
                            case 0: return try invoke(fn, recv)
                            case 1: return try invoke(fn, recv, args[0])
                            case 2: return try invoke(fn, recv, args[0], args[1])
                            default:
                                return try withFrame(fn.code) { fp in
                                    fp[0] = recv
                                    for i in 0..<args.count { fp[i + 1] = args[i] }
                                    self.bindFree(fn, fp)
                                }
                            }
                        }
                        return try callFunction(fn, [recv] + args, kw)
                    }
                }
            } else if o.kind != .module && o.kind != .classObj && o.kind != .native {
                if let m = classOf(recv).attrs[name], case .obj(let fo) = m, fo.kind == .builtin {
                    let b = unsafeDowncast(fo, to: BuiltinObj.self)
                    var all = [recv]; all.append(contentsOf: args)
                    return try b.function.call(Arguments(all, keywords: kw, functionName: name))
                }
            } else if o.kind == .native {
                let n = unsafeDowncast(o, to: NativeObject.self)
                if let m = n.type.methods[name] {
                    var all = [recv]; all.append(contentsOf: args)
                    return try m.call(Arguments(all, keywords: kw, functionName: name))
                }
            }
        }
        return try call(try getAttr(recv, name), args, kw)
    }
}
