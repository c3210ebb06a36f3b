import Testing
@testable import Engine

/// A model that runs its LSTM through the tuple-returning forward (as the script binding does) and
/// records the output shape itself.
private final class SequenceEncoder: Module {
    let lstm: LSTM
    init(hidden: Int) throws {
        lstm = try LSTM(3, hidden, batchFirst: true)
        super.init()
        register(name: "lstm", child: lstm)
    }
    override func forward(_ x: Tensor) throws -> Tensor {
        let r = try lstm.forward(x, nil)
        lstm.recordOutputShape(r.output.shape)
        return r.hN
    }
}

@Suite struct NNTraceRecordingTests {
    @Test func recordedShapesAppearInSummary() throws {
        let model = try SequenceEncoder(hidden: 5)
        let (rows, total, _) = try summaryRows(model, inputShape: [2, 7, 3])
        #expect(rows.map(\.name) == ["lstm"])
        #expect(rows.first?.outputShape == [2, 7, 5])
        #expect(rows.first?.parameters == total)
    }

    @Test func recordingOutsideSummaryIsIgnored() throws {
        let model = try SequenceEncoder(hidden: 5)
        let h = try model(Tensor.zeros([2, 7, 3]))
        #expect(h.shape == [1, 2, 5])
        #expect(ModuleTrace.active == nil)
    }
}
