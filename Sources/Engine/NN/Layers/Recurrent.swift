/// The shared machinery of `RNN`, `LSTM` and `GRU` (PyTorch's `RNNBase`): stacked layers, optional
/// second direction, batch_first, dropout between layers. Parameters are named as in PyTorch
/// (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `…_reverse`) and initialised
/// U(−1/√hidden, 1/√hidden).
public class RecurrentBase: Module {
    enum Cell { case tanh, relu, lstm, gru }
    let cell: Cell
    public let inputSize: Int, hiddenSize: Int, numLayers: Int
    public let bias: Bool, batchFirst: Bool, dropout: Double, bidirectional: Bool
    var directions: Int { bidirectional ? 2 : 1 }
    var gates: Int { switch cell { case .lstm: return 4; case .gru: return 3; default: return 1 } }

    init(cell: Cell, inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool, batchFirst: Bool,
         dropout: Double, bidirectional: Bool) throws {
        guard inputSize > 0, hiddenSize > 0, numLayers > 0 else {
            throw EngineError.value("\(cell == .lstm ? "LSTM" : cell == .gru ? "GRU" : "RNN"): input_size, hidden_size and num_layers must be positive")
        }
        guard dropout >= 0, dropout <= 1 else { throw EngineError.value("dropout should be a number in range [0, 1], got \(dropout)") }
        self.cell = cell
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        self.bias = bias; self.batchFirst = batchFirst; self.dropout = dropout; self.bidirectional = bidirectional
        super.init()
        let bound = 1 / Double(hiddenSize).squareRoot()
        for layer in 0..<numLayers {
            for dir in 0..<directions {
                let suffix = "_l\(layer)" + (dir == 1 ? "_reverse" : "")
                let layerInput = layer == 0 ? inputSize : hiddenSize * directions
                var shapes = [("weight_ih", [gates * hiddenSize, layerInput]), ("weight_hh", [gates * hiddenSize, hiddenSize])]
                if bias { shapes += [("bias_ih", [gates * hiddenSize]), ("bias_hh", [gates * hiddenSize])] }
                for (name, shape) in shapes {
                    let t = try Tensor.zeros(shape)
                    try Init.uniform_(t, -bound, bound)
                    try register(name: name + suffix, parameter: t)
                }
            }
        }
    }

    /// Runs the whole stack. `input` is [T, N, in] ([N, T, in] with batch_first) or unbatched [T, in];
    /// `h0`/`c0` are [layers·directions, N, hidden] (zeros when nil). Returns the last layer's outputs
    /// for every step and the final hidden (and, for LSTM, cell) states.
    func run(_ input: Tensor, h0: Tensor?, c0: Tensor?) throws -> (output: Tensor, h: Tensor, c: Tensor?) {
        let batched = input.ndim == 3
        guard (input.ndim == 3 || input.ndim == 2), input.shape[input.ndim - 1] == inputSize else {
            throw EngineError.shape("\(shortDescription) expects input of shape \(batchFirst ? "[N, T" : "[T, N"), \(inputSize)] or [T, \(inputSize)], got shape \(describe(input.shape))")
        }
        var x = batched ? (batchFirst ? try input.transpose(0, 1) : input) : try input.unsqueeze(1)
        let steps = x.shape[0], n = x.shape[1]
        let stateShape = [numLayers * directions, n, hiddenSize]
        func prepare(_ s: Tensor?, _ what: String) throws -> Tensor? {
            guard let s else { return nil }
            let s3 = batched ? s : try s.unsqueeze(1)
            guard s3.shape == stateShape else {
                throw EngineError.shape("\(shortDescription) expects \(what) of shape \(describe(batched ? stateShape : [numLayers * directions, hiddenSize])), got shape \(describe(s.shape))")
            }
            return s3
        }
        let hInit = try prepare(h0, "h0"), cInit = try prepare(c0, "c0")
        var hOut: [Tensor] = [], cOut: [Tensor] = []
        for layer in 0..<numLayers {
            var outputs: [Tensor] = []
            for dir in 0..<directions {
                let k = layer * directions + dir
                let suffix = "_l\(layer)" + (dir == 1 ? "_reverse" : "")
                guard let wih = parameter("weight_ih" + suffix), let whh = parameter("weight_hh" + suffix) else {
                    throw EngineError.runtime("\(shortDescription) is missing weights for layer \(layer)")
                }
                let bih = parameter("bias_ih" + suffix), bhh = parameter("bias_hh" + suffix)
                // The input projection for all steps at once: one GEMM instead of T.
                let projected = try NNFunctional.linear(x, wih, bih)
                var h = try hInit.map { try $0.index([.int(k)]) } ?? Tensor.zeros([n, hiddenSize])
                var c = try cInit.map { try $0.index([.int(k)]) } ?? Tensor.zeros([n, hiddenSize])
                if cell == .lstm {
                    // The whole direction in one fused op; (h | c) per step.
                    let hc = try NNFunctional.lstmLayer(projected, whh, bhh, h0: h, c0: c, reverse: dir == 1)
                    outputs.append(try hc.narrow(2, start: 0, length: hiddenSize))
                    let last = try hc.index([.int(dir == 0 ? steps - 1 : 0)])
                    hOut.append(try last.narrow(1, start: 0, length: hiddenSize))
                    cOut.append(try last.narrow(1, start: hiddenSize, length: hiddenSize))
                    continue
                }
                if cell == .gru {
                    let hs = try NNFunctional.gruLayer(projected, whh, bhh, h0: h, reverse: dir == 1)
                    outputs.append(hs)
                    hOut.append(try hs.index([.int(dir == 0 ? steps - 1 : 0)]))
                    cOut.append(c)
                    continue
                }
                var stepOutputs = [Tensor?](repeating: nil, count: steps)
                for s in 0..<steps {
                    if Interruption.isRequested { throw Interrupted() }
                    let t = dir == 0 ? s : steps - 1 - s
                    (h, c) = try step(projected.index([.int(t)]), h, c, whh, bhh)
                    stepOutputs[t] = h
                }
                outputs.append(try Tensor.stack(stepOutputs.compactMap { $0 }, dim: 0))
                hOut.append(h); cOut.append(c)
            }
            x = outputs.count == 1 ? outputs[0] : try Tensor.cat(outputs, dim: 2)
            if layer < numLayers - 1 && dropout > 0 && training {
                x = try Functional.dropout(x, p: dropout, training: true)
            }
        }
        var output = x
        var hN = try Tensor.stack(hOut, dim: 0)
        var cN: Tensor? = cell == .lstm ? try Tensor.stack(cOut, dim: 0) : nil
        if !batched {
            output = try output.squeeze(1); hN = try hN.squeeze(1); cN = try cN?.squeeze(1)
        } else if batchFirst {
            output = try output.transpose(0, 1)
        }
        return (output, hN, cN)
    }

    /// One plain-RNN time step: `xp` is the projected input [N, H]. (LSTM and GRU run whole
    /// directions in the fused `NNFunctional.lstmLayer` / `gruLayer` ops.)
    private func step(_ xp: Tensor, _ h: Tensor, _ c: Tensor, _ whh: Tensor, _ bhh: Tensor?) throws -> (Tensor, Tensor) {
        let pre = try xp.add(NNFunctional.linear(h, whh, bhh))
        return (cell == .relu ? try pre.relu() : try pre.tanh(), c)
    }

    public override var extraDescription: String {
        var s = "\(inputSize), \(hiddenSize)"
        if numLayers != 1 { s += ", num_layers=\(numLayers)" }
        if cell == .relu { s += ", nonlinearity='relu'" }
        if !bias { s += ", bias=False" }
        if batchFirst { s += ", batch_first=True" }
        if dropout != 0 { s += ", dropout=\(formatPython(dropout))" }
        if bidirectional { s += ", bidirectional=True" }
        return s
    }
    public override var shortDescription: String { "\(typeName)(\(inputSize) => \(hiddenSize))" }
}

/// `nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
/// dropout=0, bidirectional=False)`: hₜ = act(xₜWᵢₕᵀ + bᵢₕ + hₜ₋₁Wₕₕᵀ + bₕₕ).
public final class RNN: RecurrentBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: String = "tanh", bias: Bool = true,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false) throws {
        guard nonlinearity == "tanh" || nonlinearity == "relu" else {
            throw EngineError.value("RNN: unknown nonlinearity '\(nonlinearity)' (use 'tanh' or 'relu')")
        }
        try super.init(cell: nonlinearity == "tanh" ? .tanh : .relu, inputSize: inputSize, hiddenSize: hiddenSize,
                       numLayers: numLayers, bias: bias, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional)
    }

    /// `output, h_n = rnn(input, h0)`.
    public func forward(_ input: Tensor, _ h0: Tensor?) throws -> (output: Tensor, hN: Tensor) {
        let r = try run(input, h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// The output sequence only (for use inside `Sequential`).
    public override func forward(_ input: Tensor) throws -> Tensor { try run(input, h0: nil, c0: nil).output }
}

/// `nn.LSTM(...)`: gates i, f, g, o (in that row order of the weights); c′ = f·c + i·g, h′ = o·tanh(c′).
public final class LSTM: RecurrentBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false) throws {
        try super.init(cell: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                       batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional)
    }

    /// `output, (h_n, c_n) = lstm(input, (h0, c0))`.
    public func forward(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) throws -> (output: Tensor, hN: Tensor, cN: Tensor) {
        let r = try run(input, h0: state?.h, c0: state?.c)
        return (r.output, r.h, r.c ?? r.h)
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try run(input, h0: nil, c0: nil).output }
}

/// `nn.GRU(...)`: r, z, n gates; n = tanh(Wᵢₙx + bᵢₙ + r·(Wₕₙh + bₕₙ)), h′ = (1 − z)·n + z·h.
public final class GRU: RecurrentBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false) throws {
        try super.init(cell: .gru, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                       batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional)
    }

    /// `output, h_n = gru(input, h0)`.
    public func forward(_ input: Tensor, _ h0: Tensor?) throws -> (output: Tensor, hN: Tensor) {
        let r = try run(input, h0: h0, c0: nil)
        return (r.output, r.h)
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try run(input, h0: nil, c0: nil).output }
}
