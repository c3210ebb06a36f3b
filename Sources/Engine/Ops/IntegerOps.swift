#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Floor division, remainder and bitwise ops (`//`, `%`, `&`, `|`, `^`, `~`) with Python's sign rules.
extension Tensor {
    /// `self // other`: rounds toward minus infinity like Python and `torch.floor_divide`; no gradient.
    public func floorDivide(_ other: Tensor) throws -> Tensor {
        if DType.promote(dtype, other.dtype) == .float32 {
            return try Kernels.binary(self, other, op: "floor_divide", as: Float.self) { floorf($0 / $1) }
        }
        try Tensor.checkNoZeroDivisor(other, op: "floor_divide")
        return try Kernels.binary(self, other, op: "floor_divide", as: Int64.self) { (a: Int64, b: Int64) -> Int64 in
            if b == -1 { return 0 &- a }
            let q = a / b
            return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
        }
    }

    /// `self % other` with the sign of the divisor (Python's and `torch.remainder`'s rule).
    /// The gradient is 1 for `self` and `-floor(self / other)` for `other`.
    public func remainder(_ other: Tensor) throws -> Tensor {
        if DType.promote(dtype, other.dtype) == .float32 {
            let out = try Kernels.binary(self, other, op: "remainder", as: Float.self) { a, b -> Float in
                let r = fmodf(a, b)
                return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
            }
            let (a, b) = (self, other)
            return Tensor.record(out, "RemainderBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try g.sumTo(a.shape) : nil,
                 b.requiresGrad ? try g.mul(a.floorDivide(b)).neg().sumTo(b.shape) : nil]
            }
        }
        try Tensor.checkNoZeroDivisor(other, op: "remainder")
        return try Kernels.binary(self, other, op: "remainder", as: Int64.self) { (a: Int64, b: Int64) -> Int64 in
            if b == -1 { return 0 }
            let r = a % b
            return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
        }
    }

    private static func checkNoZeroDivisor(_ t: Tensor, op: String) throws {
        if t.int64Array().contains(0) { throw EngineError.runtime("\(op): ZeroDivisionError (integer division by zero)") }
    }

    /// Bitwise and/or/xor: logical on bool tensors, bitwise on int64; float tensors are a TypeError.
    public func bitwise(_ op: BitwiseOp, _ other: Tensor) throws -> Tensor {
        guard dtype != .float32, other.dtype != .float32 else {
            throw EngineError.type("bitwise_\(op): only bool and integer tensors are supported, got \(dtype) and \(other.dtype)")
        }
        if dtype == .bool && other.dtype == .bool {
            switch op {
            case .and: return try Kernels.binary(self, other, op: "bitwise_and", as: Bool.self) { $0 && $1 }
            case .or: return try Kernels.binary(self, other, op: "bitwise_or", as: Bool.self) { $0 || $1 }
            case .xor: return try Kernels.binary(self, other, op: "bitwise_xor", as: Bool.self) { $0 != $1 }
            }
        }
        switch op {
        case .and: return try Kernels.binary(self, other, op: "bitwise_and", as: Int64.self) { $0 & $1 }
        case .or: return try Kernels.binary(self, other, op: "bitwise_or", as: Int64.self) { $0 | $1 }
        case .xor: return try Kernels.binary(self, other, op: "bitwise_xor", as: Int64.self) { $0 ^ $1 }
        }
    }

    /// `~self`: logical not for bool, bitwise not for int64.
    public func bitwiseNot() throws -> Tensor {
        switch dtype {
        case .bool: return try logicalNot()
        case .int64: return try Kernels.unary(self, op: "bitwise_not", as: Int64.self) { ~$0 }
        case .float32: throw EngineError.type("bitwise_not: ~ is only supported for bool and integer tensors, got \(dtype)")
        }
    }
}

/// The bitwise operators `&`, `|`, `^`.
public enum BitwiseOp: String, Sendable { case and, or, xor }
