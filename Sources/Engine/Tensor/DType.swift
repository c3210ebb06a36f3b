/// The element types a tensor can hold, named as PyTorch names them.
public enum DType: String, Sendable, CustomStringConvertible {
    case float32, int64, bool

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float32: return 4
        case .int64: return 8
        case .bool: return 1
        }
    }

    /// `torch.float32`, as PyTorch prints it.
    public var description: String { "torch.\(rawValue)" }

    public var isFloatingPoint: Bool { self == .float32 }

    /// The dtype both operands of an arithmetic op become (bool < int64 < float32), like PyTorch.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == .float32 || b == .float32 { return .float32 }
        if a == .int64 || b == .int64 { return .int64 }
        return .bool
    }
}
