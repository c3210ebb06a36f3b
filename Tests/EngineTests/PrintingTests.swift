import Testing
@testable import Engine

/// Expected strings are PyTorch 2.x's `repr` of the same tensors.
@Suite struct PrintingTests {
    func t(_ literal: TensorLiteral) throws -> Tensor { try Tensor.from(literal) }

    @Test func floatsUseFourDecimals() throws {
        #expect(try t(.list([.list([.float(0.1), .float(0.2)])])).text == "tensor([[0.1000, 0.2000]])")
        #expect(try t(.list([.float(1.5), .float(-2.25)])).text == "tensor([ 1.5000, -2.2500])")
        #expect(Tensor(scalar: Float(3.5)).text == "tensor(3.5000)")
    }

    @Test func integralFloatsPrintWithATrailingDot() throws {
        #expect(try t(.list([.float(1), .float(2)])).text == "tensor([1., 2.])")
        #expect(try t(.list([.float(.nan), .float(1)])).text == "tensor([nan, 1.])")
    }

    @Test func intsAndBools() throws {
        #expect(try t(.list([.int(1), .int(2)])).text == "tensor([1, 2])")
        #expect(try t(.list([.bool(true), .bool(false)])).text == "tensor([ True, False])")
        #expect(try t(.list([.int(-10), .int(200)])).text == "tensor([-10, 200])")
    }

    @Test func scientificNotationWhenTheRangeIsWide() throws {
        #expect(try t(.list([.float(1e-5), .float(1)])).text == "tensor([1.0000e-05, 1.0000e+00])")
        #expect(try t(.list([.float(100000), .float(1)])).text == "tensor([1.0000e+05, 1.0000e+00])")
    }

    @Test func multiDimensionalLayoutAndSuffixes() throws {
        let z = try Tensor.zeros([2, 2]).requiresGrad_()
        #expect(z.text == "tensor([[0., 0.],\n        [0., 0.]], requires_grad=True)")
        #expect(try Tensor.zeros([2, 1, 2]).text == "tensor([[[0., 0.]],\n\n        [[0., 0.]]])")
        let a = try t(.list([.float(1)])).requiresGrad_()
        #expect(try a.add(a).text == "tensor([2.], grad_fn=<AddBackward0>)")
        #expect(try a.mean().text == "tensor(1., grad_fn=<MeanBackward0>)")
        #expect(try a.sum().text == "tensor(1., grad_fn=<SumBackward0>)")
    }

    @Test func longRowsWrapAtEightyColumns() throws {
        let x = try Tensor.arange(0, 30, dtype: .float32)
        #expect(x.text == """
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                    14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
                    28., 29.])
            """)
    }

    @Test func largeTensorsAreSummarised() throws {
        #expect(try Tensor.arange(0, 2000).text == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])")
        let m = try Tensor.arange(0, 2000).reshape([1000, 2])
        #expect(m.text == "tensor([[   0,    1],\n        [   2,    3],\n        [   4,    5],\n        ...,\n        [1994, 1995],\n        [1996, 1997],\n        [1998, 1999]])")
    }

    @Test func emptyTensors() throws {
        #expect(try t(.list([])).text == "tensor([])")
        #expect(try Tensor.zeros([0, 3]).text == "tensor([], size=(0, 3))")
        #expect(try Tensor.zeros([0], dtype: .int64).text == "tensor([], dtype=torch.int64)")
    }

    @Test func htmlTableShowsValuesAndShape() throws {
        let html = try t(.list([.list([.float(0.5), .float(1)]), .list([.float(2), .float(3)])])).htmlTable()
        #expect(html.contains("<table"))
        #expect(html.contains("<td>0.5000</td>"))
        #expect(html.contains("shape (2, 2)"))
        let big = try Tensor.zeros([100, 100]).htmlTable()
        #expect(big.contains("⋮") && big.contains("…"))
    }
}
