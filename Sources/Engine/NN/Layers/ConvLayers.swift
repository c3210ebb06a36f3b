/// `nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
/// bias=True)` on [N, C, H, W] (or [C, H, W]); weight [out, in/groups, kh, kw], PyTorch's default init.
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int, groups: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true) throws {
        guard inChannels > 0, outChannels > 0, groups > 0, kernelSize.0 > 0, kernelSize.1 > 0 else {
            throw EngineError.value("Conv2d: channels, kernel_size and groups must be positive")
        }
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw EngineError.value("Conv2d: in_channels (\(inChannels)) and out_channels (\(outChannels)) must be divisible by groups (\(groups))")
        }
        self.inChannels = inChannels; self.outChannels = outChannels; self.groups = groups
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding; self.dilation = dilation
        super.init()
        let w = try Tensor.zeros([outChannels, inChannels / groups, kernelSize.0, kernelSize.1])
        let b = bias ? try Tensor.zeros([outChannels]) : nil
        try Init.defaultLayer(weight: w, bias: b)
        try register(name: "weight", parameter: w)
        try register(name: "bias", parameter: b)
    }

    /// Square kernels, strides and paddings: `Conv2d(1, 6, 5)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true) throws {
        try self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                      padding: (padding, padding), dilation: (dilation, dilation), groups: groups, bias: bias)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard (input.ndim == 4 || input.ndim == 3), input.shape[input.ndim - 3] == inChannels else {
            throw EngineError.shape("\(shortDescription) expects input of shape [N, \(inChannels), H, W] or [\(inChannels), H, W], got shape \(describe(input.shape))")
        }
        guard let w = parameter("weight") else { throw EngineError.runtime("\(shortDescription) has no weight") }
        return try Functional.conv2d(input, w, parameter("bias"), stride: stride, padding: padding,
                                     dilation: dilation, groups: groups)
    }

    public override var extraDescription: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(pair(kernelSize)), stride=\(pair(stride))"
        if padding != (0, 0) { s += ", padding=\(pair(padding))" }
        if dilation != (1, 1) { s += ", dilation=\(pair(dilation))" }
        if groups != 1 { s += ", groups=\(groups)" }
        if parameter("bias") == nil { s += ", bias=False" }
        return s
    }
    public override var shortDescription: String {
        "Conv2d(\(inChannels) => \(outChannels), \(kernelSize.0)×\(kernelSize.1))"
    }
}

/// What the 2-D pooling layers share: kernel, stride (default: the kernel), padding, and their checks.
public class Pool2dLayer: Module {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)

    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
        super.init()
        guard kernelSize.0 > 0, kernelSize.1 > 0 else { throw EngineError.value("\(typeName): kernel_size must be positive") }
    }
    public convenience init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
        try self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
    }
    public override var extraDescription: String {
        "kernel_size=\(pair(kernelSize)), stride=\(pair(stride)), padding=\(pair(padding))"
    }
    public override var shortDescription: String { "\(typeName)(\(kernelSize.0)×\(kernelSize.1))" }
}

/// `nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0)`.
public final class MaxPool2d: Pool2dLayer {
    public override func forward(_ input: Tensor) throws -> Tensor {
        try checkImageInput(input, shortDescription)
        return try Functional.maxPool2d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
    public override var extraDescription: String { super.extraDescription + ", dilation=1, ceil_mode=False" }
}

/// `nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0)` (padding counts in the average).
public final class AvgPool2d: Pool2dLayer {
    public override func forward(_ input: Tensor) throws -> Tensor {
        try checkImageInput(input, shortDescription)
        return try Functional.avgPool2d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

func checkImageInput(_ x: Tensor, _ layer: String) throws {
    guard x.ndim == 3 || x.ndim == 4 else {
        throw EngineError.shape("\(layer) expects input of shape [N, C, H, W] or [C, H, W], got shape \(describe(x.shape))")
    }
}

/// PyTorch prints a square pair as one number in some reprs and a tuple in others; Conv2d prints tuples.
func pair(_ p: (Int, Int)) -> String { "(\(p.0), \(p.1))" }

/// `nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
/// bias=True, dilation=1)` (groups = 1); weight [in, out, kh, kw], PyTorch's default init (fan_in is
/// computed from weight dim 1, i.e. out_channels·kh·kw, as PyTorch does).
public final class ConvTranspose2d: Module {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0), bias: Bool = true,
                dilation: (Int, Int) = (1, 1)) throws {
        guard inChannels > 0, outChannels > 0, kernelSize.0 > 0, kernelSize.1 > 0 else {
            throw EngineError.value("ConvTranspose2d: channels and kernel_size must be positive")
        }
        self.inChannels = inChannels; self.outChannels = outChannels; self.kernelSize = kernelSize
        self.stride = stride; self.padding = padding; self.outputPadding = outputPadding; self.dilation = dilation
        super.init()
        let w = try Tensor.zeros([inChannels, outChannels, kernelSize.0, kernelSize.1])
        let b = bias ? try Tensor.zeros([outChannels]) : nil
        try Init.defaultLayer(weight: w, bias: b)
        try register(name: "weight", parameter: w)
        try register(name: "bias", parameter: b)
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0, bias: Bool = true, dilation: Int = 1) throws {
        try self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                      padding: (padding, padding), outputPadding: (outputPadding, outputPadding), bias: bias,
                      dilation: (dilation, dilation))
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard (input.ndim == 4 || input.ndim == 3), input.shape[input.ndim - 3] == inChannels else {
            throw EngineError.shape("\(shortDescription) expects input of shape [N, \(inChannels), H, W] or [\(inChannels), H, W], got shape \(describe(input.shape))")
        }
        guard let w = parameter("weight") else { throw EngineError.runtime("\(shortDescription) has no weight") }
        return try NNFunctional.convTranspose2d(input, w, parameter("bias"), stride: stride, padding: padding,
                                                outputPadding: outputPadding, dilation: dilation, layer: shortDescription)
    }

    public override var extraDescription: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(pair(kernelSize)), stride=\(pair(stride))"
        if padding != (0, 0) { s += ", padding=\(pair(padding))" }
        if outputPadding != (0, 0) { s += ", output_padding=\(pair(outputPadding))" }
        if dilation != (1, 1) { s += ", dilation=\(pair(dilation))" }
        if parameter("bias") == nil { s += ", bias=False" }
        return s
    }
    public override var shortDescription: String {
        "ConvTranspose2d(\(inChannels) => \(outChannels), \(kernelSize.0)×\(kernelSize.1))"
    }
}
