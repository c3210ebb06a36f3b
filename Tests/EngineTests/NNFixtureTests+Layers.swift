import Foundation
@testable import Engine

extension NNFixtureTests {
    /// Fixture layers beyond the basic ones (convolution, normalisation, recurrent, attention).
    static func buildMore(_ layer: String, _ cfg: [String: Any]) throws -> Module {
        throw EngineError(.value, "fixture layer \(layer) is not known to the test")
    }

    /// Runs the fixture's forward: single-input layers take inputs[0].
    static func run(_ model: Module, _ inputs: [Tensor], _ ints: [Tensor]) throws -> Tensor {
        try model(inputs[0])
    }
}
