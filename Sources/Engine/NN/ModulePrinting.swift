extension Module: CustomStringConvertible {
    /// PyTorch's repr with each parameterised layer's count and the model's total, Flux style:
    ///
    ///     Sequential(
    ///       (0): Linear(in_features=2, out_features=8, bias=True)  # 24 parameters
    ///       (1): ReLU()
    ///     )  # Total: 24 parameters
    public var description: String {
        let total = parameterCount
        if childNames.isEmpty {
            return "\(typeName)(\(extraDescription))" + (total > 0 ? "  # \(groupedCount(total)) parameter\(total == 1 ? "" : "s")" : "")
        }
        var lines = reprLines()
        lines[lines.count - 1] += "  # Total: \(groupedCount(total)) parameter\(total == 1 ? "" : "s")"
        return lines.joined(separator: "\n")
    }

    /// Parameters registered on this module itself (not its children).
    var ownParameterCount: Int { parameterNames.compactMap { parameter($0) }.reduce(0) { $0 + $1.count } }

    private func reprLines() -> [String] {
        let kids = children
        if kids.isEmpty {
            let own = ownParameterCount
            return ["\(typeName)(\(extraDescription))" + (own > 0 ? "  # \(groupedCount(own)) parameters" : "")]
        }
        var lines = ["\(typeName)("]
        if !extraDescription.isEmpty { lines.append("  " + extraDescription) }
        for (name, m) in kids {
            let sub = m.reprLines()
            lines.append("  (\(name)): " + sub[0])
            for l in sub.dropFirst() { lines.append("  " + l) }
        }
        lines.append(")")
        return lines
    }
}

/// 1234567 → "1,234,567".
func groupedCount(_ n: Int) -> String {
    let digits = String(Swift.abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// One row of `summary`: a layer that ran, its output shape and own parameter count.
public struct SummaryRow: Sendable {
    public let name: String
    public let type: String
    public let outputShape: [Int]
    public let parameters: Int
}

/// `nn.summary(model, input_shape)`: runs a zero input of `inputShape` (batch included) through the
/// model without recording gradients and lists every leaf layer that ran, in call order.
public func summaryRows(_ model: Module, inputShape: [Int]) throws -> (rows: [SummaryRow], total: Int, trainable: Int) {
    let names = Dictionary(model.namedModules().map { (ObjectIdentifier($0.module), $0.name) }, uniquingKeysWith: { a, _ in a })
    let input = try Tensor.zeros(inputShape)
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    let trace = try ModuleTrace.collect { _ = try withNoGrad { try model(input) } }
    // Containers are skipped: their rows would repeat their last child's.
    let rows = trace.filter { $0.0.childNames.isEmpty }
        .map { m, shape in
            SummaryRow(name: names[ObjectIdentifier(m)].map { $0.isEmpty ? "(model)" : $0 } ?? "?", type: m.typeName,
                       outputShape: shape, parameters: m.ownParameterCount)
        }
    let params = model.parameters()
    return (rows, params.reduce(0) { $0 + $1.count }, params.filter(\.requiresGrad).reduce(0) { $0 + $1.count })
}

/// The text table `summary` prints.
public func summary(_ model: Module, inputShape: [Int]) throws -> String {
    let (rows, total, trainable) = try summaryRows(model, inputShape: inputShape)
    let cells = rows.map { ("\($0.name) (\($0.type))", describe($0.outputShape), groupedCount($0.parameters)) }
    let w0 = Swift.max(12, cells.map(\.0.count).max() ?? 0) + 2
    let w1 = Swift.max(12, cells.map(\.1.count).max() ?? 0) + 2
    let w2 = Swift.max(7, cells.map(\.2.count).max() ?? 0)
    func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: Swift.max(0, w - s.count)) }
    func lpad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: Swift.max(0, w - s.count)) + s }
    let rule = String(repeating: "=", count: w0 + w1 + w2)
    var lines = [pad("Layer (type)", w0) + pad("Output Shape", w1) + lpad("Param #", w2), rule]
    for c in cells { lines.append(pad(c.0, w0) + pad(c.1, w1) + lpad(c.2, w2)) }
    lines += [rule, "Input shape: \(describe(inputShape))", "Total params: \(groupedCount(total))",
              "Trainable params: \(groupedCount(trainable))", "Non-trainable params: \(groupedCount(total - trainable))"]
    return lines.joined(separator: "\n")
}
