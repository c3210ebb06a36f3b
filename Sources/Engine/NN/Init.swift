#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `nn.init`: in-place initialisers with PyTorch's formulas, drawing from `RandomGenerator.shared`.
public enum Init {
    /// PyTorch's `calculate_gain` for the nonlinearities used with kaiming init.
    public static func gain(_ nonlinearity: String, param: Double? = nil) throws -> Double {
        switch nonlinearity {
        case "linear", "conv1d", "conv2d", "conv3d", "sigmoid", "conv_transpose2d": return 1
        case "tanh": return 5.0 / 3
        case "relu": return 2.0.squareRoot()
        case "leaky_relu":
            let slope = param ?? 0.01
            return (2 / (1 + slope * slope)).squareRoot()
        case "selu": return 3.0 / 4
        default: throw EngineError.value("init: unsupported nonlinearity '\(nonlinearity)' (use linear, sigmoid, tanh, relu, leaky_relu or selu)")
        }
    }

    /// (fan_in, fan_out) of a weight: dim 1 and dim 0 times the receptive field (conv kernels).
    public static func fans(_ t: Tensor) throws -> (fanIn: Int, fanOut: Int) {
        guard t.ndim >= 2 else {
            throw EngineError.value("init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape \(describe(t.shape))")
        }
        let receptive = t.shape.dropFirst(2).reduce(1, *)
        return (t.shape[1] * receptive, t.shape[0] * receptive)
    }

    /// Fills `t` with U(low, high) in place (`nn.init.uniform_`).
    public static func uniform_(_ t: Tensor, _ low: Double, _ high: Double,
                                generator: RandomGenerator = .shared) throws {
        try fill(t, "uniform_") { low + (high - low) * generator.nextDouble() }
    }

    /// Fills `t` with N(mean, std²) in place (`nn.init.normal_`).
    public static func normal_(_ t: Tensor, mean: Double = 0, std: Double = 1,
                               generator: RandomGenerator = .shared) throws {
        try fill(t, "normal_") { mean + std * generator.nextNormal() }
    }

    /// `nn.init.zeros_`.
    public static func zeros_(_ t: Tensor) throws { try fill(t, "zeros_") { 0 } }
    /// `nn.init.ones_`.
    public static func ones_(_ t: Tensor) throws { try fill(t, "ones_") { 1 } }

    /// `xavier_uniform_`: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).
    public static func xavierUniform_(_ t: Tensor, gain: Double = 1) throws {
        let (fi, fo) = try fans(t)
        let a = gain * (6 / Double(fi + fo)).squareRoot()
        try uniform_(t, -a, a)
    }

    /// `xavier_normal_`: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).
    public static func xavierNormal_(_ t: Tensor, gain: Double = 1) throws {
        let (fi, fo) = try fans(t)
        try normal_(t, std: gain * (2 / Double(fi + fo)).squareRoot())
    }

    /// `kaiming_uniform_(a, mode, nonlinearity)`: U(−b, b), b = gain·√3 / √fan.
    public static func kaimingUniform_(_ t: Tensor, a: Double = 0, mode: String = "fan_in",
                                       nonlinearity: String = "leaky_relu") throws {
        let std = try gain(nonlinearity, param: a) / Double(try fan(t, mode)).squareRoot()
        let bound = 3.0.squareRoot() * std
        try uniform_(t, -bound, bound)
    }

    /// `kaiming_normal_(a, mode, nonlinearity)`: N(0, std²), std = gain / √fan.
    public static func kaimingNormal_(_ t: Tensor, a: Double = 0, mode: String = "fan_in",
                                      nonlinearity: String = "leaky_relu") throws {
        try normal_(t, std: try gain(nonlinearity, param: a) / Double(try fan(t, mode)).squareRoot())
    }

    private static func fan(_ t: Tensor, _ mode: String) throws -> Int {
        let (fi, fo) = try fans(t)
        switch mode {
        case "fan_in": return Swift.max(fi, 1)
        case "fan_out": return Swift.max(fo, 1)
        default: throw EngineError.value("init: mode \(mode) not supported, please use one of fan_in, fan_out")
        }
    }

    /// Writes `value()` into every element (row-major) outside the graph, like PyTorch's `no_grad` fills.
    private static func fill(_ t: Tensor, _ op: String, _ value: () -> Double) throws {
        guard t.dtype == .float32 else { throw EngineError.type("init.\(op): expected a float tensor, got \(t.dtype)") }
        let p = t.storage.floats()
        t.forEachOffset { p[$0] = Float(value()) }
        t.storage.bumpVersion()
    }

    /// PyTorch's default for Linear/Conv: weight kaiming_uniform(a=√5) → U(±1/√fan_in);
    /// bias U(±1/√fan_in).
    static func defaultLayer(weight: Tensor, bias: Tensor?) throws {
        try kaimingUniform_(weight, a: 5.0.squareRoot())
        if let bias {
            let fi = try fans(weight).fanIn
            let bound = fi > 0 ? 1 / Double(fi).squareRoot() : 0
            try uniform_(bias, -bound, bound)
        }
    }
}
