/// Every failure the engine reports. The kind maps onto the Python exception the language raises.
public struct EngineError: Error, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case shape = "ShapeError"
        case value = "ValueError"
        case index = "IndexError"
        case type = "TypeError"
        case memory = "MemoryError"
        case runtime = "RuntimeError"
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The Python exception name, e.g. `ShapeError`.
    public var pythonName: String { kind.rawValue }
    public var description: String { "\(kind.rawValue): \(message)" }

    static func shape(_ m: String) -> EngineError { EngineError(.shape, m) }
    static func value(_ m: String) -> EngineError { EngineError(.value, m) }
    static func index(_ m: String) -> EngineError { EngineError(.index, m) }
    static func type(_ m: String) -> EngineError { EngineError(.type, m) }
    static func runtime(_ m: String) -> EngineError { EngineError(.runtime, m) }
    static func memory(_ m: String) -> EngineError { EngineError(.memory, m) }
}

/// `[2, 3]`, the way shapes appear in error messages.
func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
