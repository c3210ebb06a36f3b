/// The arguments of a call into a native function.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    /// The function's name, for error messages.
    public var functionName: String

    public init(_ positional: [Value], keywords: [(String, Value)] = [], functionName: String = "") {
        self.positional = positional; self.keywords = keywords; self.functionName = functionName
    }

    public var count: Int { positional.count }

    /// The native object a method was called on (`positional[0]`) as `T`; a TypeError naming `what` it
    /// must be (e.g. "a Categorical") otherwise.
    public func receiver<T>(_ type: T.Type, _ what: String) throws -> T {
        guard let payload = positional.first?.asNative?.payload as? T else {
            throw ScriptError(.typeError, "\(functionName)() must be called on \(what)")
        }
        return payload
    }

    /// The argument at position `i` or given by keyword `name`, or nil.
    public func optional(_ i: Int, _ name: String) -> Value? {
        if i < positional.count { return positional[i] }
        for (k, v) in keywords where k == name { return v }
        return nil
    }
    /// The argument at position `i` or keyword `name`; a TypeError when missing.
    public func required(_ i: Int, _ name: String) throws -> Value {
        if let v = optional(i, name) { return v }
        throw ScriptError(.typeError, "\(functionName)() missing required argument: '\(name)'")
    }
    public func int(_ i: Int, _ name: String, default d: Int? = nil) throws -> Int {
        guard let v = optional(i, name), !v.isNone else {
            if let d { return d }
            throw ScriptError(.typeError, "\(functionName)() missing required argument: '\(name)'")
        }
        if let n = v.intValue { return n }
        throw ScriptError(.typeError, "\(functionName)() argument '\(name)' must be an int, not \(typeName(v))")
    }
    public func double(_ i: Int, _ name: String, default d: Double? = nil) throws -> Double {
        guard let v = optional(i, name), !v.isNone else {
            if let d { return d }
            throw ScriptError(.typeError, "\(functionName)() missing required argument: '\(name)'")
        }
        if let n = v.doubleValue { return n }
        throw ScriptError(.typeError, "\(functionName)() argument '\(name)' must be a number, not \(typeName(v))")
    }
    public func string(_ i: Int, _ name: String, default d: String? = nil) throws -> String {
        guard let v = optional(i, name), !v.isNone else {
            if let d { return d }
            throw ScriptError(.typeError, "\(functionName)() missing required argument: '\(name)'")
        }
        if let s = v.stringValue { return s }
        throw ScriptError(.typeError, "\(functionName)() argument '\(name)' must be a str, not \(typeName(v))")
    }
    public func bool(_ i: Int, _ name: String, default d: Bool) -> Bool {
        guard let v = optional(i, name) else { return d }
        return truthy(v)
    }
    /// Throws a TypeError when more than `max` positional arguments or unknown keywords were given.
    public func check(max: Int, keywords allowed: [String] = []) throws {
        if positional.count > max {
            throw ScriptError(.typeError, "\(functionName)() takes at most \(max) positional argument\(max == 1 ? "" : "s") (\(positional.count) given)")
        }
        for (k, _) in keywords where !allowed.contains(k) {
            throw ScriptError(.typeError, "\(functionName)() got an unexpected keyword argument '\(k)'")
        }
    }
}

/// A native function as the binding table holds it: name, signature text, docstring and body.
/// Methods of native and built-in types receive the receiver as `positional[0]`.
public struct NativeFunction {
    public let name: String
    /// Shown by completion, Shift-Tab and help(), e.g. `"zeros(*shape, requires_grad=False)"`.
    public let signature: String
    public let doc: String
    public let call: (Arguments) throws -> Value
    /// Optional entry point for a call with exactly one positional argument, which skips building
    /// `Arguments` (`str(i)`, `len(xs)` in loops). It must give what `call` gives for that argument.
    public var unary: ((Value) throws -> Value)?

    public init(_ name: String, _ signature: String, doc: String, unary: ((Value) throws -> Value)? = nil,
                _ call: @escaping (Arguments) throws -> Value) {
        self.name = name; self.signature = signature; self.doc = doc; self.call = call; self.unary = unary
    }
}

/// A read-only or read-write attribute of a native type.
public struct NativeProperty {
    public let name: String
    public let doc: String
    public let get: (NativeObject) throws -> Value
    public let set: ((NativeObject, Value) throws -> Void)?
    public init(_ name: String, doc: String, get: @escaping (NativeObject) throws -> Value, set: ((NativeObject, Value) throws -> Void)? = nil) {
        self.name = name; self.doc = doc; self.get = get; self.set = set
    }
}

/// A native type (Tensor, Figure, Linear, …): its methods, properties and optional protocol hooks.
/// Every hook is optional; the VM calls them through this table only, never by type.
public final class NativeType {
    public let name: String
    public let doc: String
    /// `Name(...)` when the type is callable as a constructor; receives the arguments without a receiver.
    public var constructor: NativeFunction?
    public var methods: [String: NativeFunction] = [:]
    public var properties: [String: NativeProperty] = [:]
    /// `a op b` where a or b is of this type; `reflected` is true when this type is the right operand.
    /// Return nil for "not supported" (the VM then raises TypeError).
    public var binaryOperator: ((BinaryOperator, Value, Value, _ reflected: Bool) throws -> Value?)?
    /// Comparisons `== != < <= > >=`; nil result means unsupported.
    public var compare: ((ComparisonOperator, Value, Value) throws -> Value?)?
    /// Augmented assignment `a op= b` where `a` is of this type (in place, like `__iadd__`); return the
    /// value to bind to the target, or nil to fall back to `a = a op b`.
    public var inplaceOperator: ((BinaryOperator, Value, Value) throws -> Value?)?
    /// `format(obj, spec)` and f-string `{obj:spec}`; nil falls back to formatting `str(obj)`.
    public var format: ((NativeObject, String) throws -> String)?
    public var unaryOperator: ((UnaryOperator, NativeObject) throws -> Value)?
    public var getItem: ((NativeObject, Value) throws -> Value)?
    public var setItem: ((NativeObject, Value, Value) throws -> Void)?
    public var length: ((NativeObject) throws -> Int)?
    /// Returns a closure yielding successive items, nil at the end.
    public var iterate: ((NativeObject) throws -> () throws -> Value?)?
    public var truthiness: ((NativeObject) throws -> Bool)?
    public var call: ((NativeObject, Arguments) throws -> Value)?
    /// `repr()` text, also the `text/plain` of a displayed value.
    public var repr: ((NativeObject) -> String)?
    /// `str()` text when different from `repr`.
    public var str: ((NativeObject) -> String)?
    /// Extra MIME data for display (`text/html`, `image/png` base64, …) with metadata; `text/plain` comes from `repr`.
    public var mimeBundle: ((NativeObject) -> MimeBundle?)?
    /// `with obj:` support.
    public var enter: ((NativeObject) throws -> Value)?
    public var exit: ((NativeObject) throws -> Void)?

    /// The class object scripts see (`type(x)`, `isinstance`, subclassing).
    public private(set) lazy var classObject: ClassObj = ClassObj(name: name, base: nil, nativeType: self)

    public init(name: String, doc: String) { self.name = name; self.doc = doc }

    /// Wraps a Swift object of this type as a script value.
    public func wrap(_ payload: AnyObject) -> Value { .obj(NativeObject(type: self, payload: payload)) }
}

public enum BinaryOperator: String { case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**", matmul = "@", and = "&", or = "|", xor = "^", lshift = "<<", rshift = ">>" }
public enum ComparisonOperator: String { case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }
public enum UnaryOperator: String { case neg = "-", pos = "+", invert = "~", abs = "abs" }

/// An error raised from Swift code that scripts see as an exception of the named type.
public struct ScriptError: Error, CustomStringConvertible {
    public enum Kind: String {
        case valueError = "ValueError", typeError = "TypeError", indexError = "IndexError", keyError = "KeyError"
        case shapeError = "ShapeError", runtimeError = "RuntimeError", zeroDivisionError = "ZeroDivisionError"
        case overflowError = "OverflowError", memoryError = "MemoryError", attributeError = "AttributeError"
        case nameError = "NameError", notImplementedError = "NotImplementedError", assertionError = "AssertionError"
        case recursionError = "RecursionError", keyboardInterrupt = "KeyboardInterrupt", importError = "ImportError"
        case stopIteration = "StopIteration", fileNotFoundError = "FileNotFoundError", osError = "OSError"
        case unboundLocalError = "UnboundLocalError", eofError = "EOFError"
    }
    public let kind: Kind
    public let message: String
    /// For KeyError: the key (its repr is the message, as in Python).
    public var payload: Value?
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Maps errors thrown by Engine/Plot (their own Swift types) to script exceptions.
/// Bindings register one mapper per error type they know.
public enum ErrorMapping {
    nonisolated(unsafe) static var mappers: [(Error) -> ScriptError?] = []
    public static func register(_ mapper: @escaping (Error) -> ScriptError?) { mappers.append(mapper) }
    static func map(_ e: Error) -> ScriptError? {
        for m in mappers { if let s = m(e) { return s } }
        return nil
    }
}
