import Testing
@testable import Engine

/// Gradients of indexing a strided view land on the elements the forward pass read.
/// (Regression: the backward pass used the view's strides on a fresh contiguous gradient, sending
/// gradients to the wrong elements or past the end of the buffer.)
@Suite struct IndexingGradientOfViewsTests {
    func leaf() throws -> Tensor {
        try Tensor([Float](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [2, 3]).requiresGrad_()
    }

    @Test func intIndexOfATransposedView() throws {
        let x = try leaf()
        try x.transpose(0, 1).index([.int(0)]).sum().backward()
        #expect(x.grad?.floatArray() == [1, 0, 0, 1, 0, 0])
    }

    @Test func sliceOfATransposedView() throws {
        let x = try leaf()
        try x.transpose(0, 1).index([.slice(start: 1, end: 3, step: 1)]).sum().backward()
        #expect(x.grad?.floatArray() == [0, 1, 1, 0, 1, 1])
    }

    @Test func lastStepOfANarrowedView() throws {
        // The LSTM layer returns h as a narrow of (h | c); out[-1] used to corrupt the heap.
        let hc = try Tensor((0..<12).map(Float.init), shape: [2, 1, 6]).requiresGrad_()
        try hc.narrow(2, start: 0, length: 3).index([.int(-1)]).sum().backward()
        #expect(hc.grad?.floatArray() == [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0])
    }

    @Test func tensorIndexOfATransposedView() throws {
        let x = try leaf()
        let rows = try Tensor([Int64(2), 0], shape: [2])
        try x.transpose(0, 1).index([.tensor(rows)]).sum().backward()
        #expect(x.grad?.floatArray() == [1, 0, 1, 1, 0, 1])
    }
}
