import Testing
@testable import Script

/// Names shared by Python built-ins and tensor functions keep Python's meaning for non-tensors.
@Suite struct TensorBuiltinOverlapTests {
    @Test func allAndAnyOfListsArePythons() {
        #expect(tensorLines("print(all([True, True]), any([False, False]), all([]), any([0, 3]))") == ["True False True True"])
    }

    @Test func allAndAnyOfTensorsAreTorchs() {
        #expect(tensorLines("t = tensor([1, 0, 2])\nprint(all(t), any(t), t.all())") == ["tensor(False) tensor(True) tensor(False)"])
    }

    @Test func lstmOutputLastStepBackward() {
        // Regression: the gradient of out[-1] (a view of the fused (h | c) output) corrupted the heap.
        let lines = tensorLines("""
        seed(0)
        m = nn.LSTM(1, 4)
        out, state = m(randn(3, 1, 1))
        out[-1].sum().backward()
        print(m.weight_hh_l0.grad.shape, m.weight_hh_l0.grad.abs().sum().item() > 0)
        """)
        #expect(lines == ["(16, 4) True"])
    }

    @Test func intOfATensorFollowsIntOfAFloat() {
        // Regression: int() of a NaN or huge tensor trapped (the kernel died) instead of raising.
        #expect(tensorLines("print(int(tensor([2.7])), int(tensor(-3.9)))") == ["2 -3"])
        #expect(tensorError("int(zeros([1]) / zeros([1]))").name == "ValueError")
        #expect(tensorError("int(tensor([1e30]))").name == "OverflowError")
        #expect(tensorError("int(tensor([1.0]) / 0)").name == "OverflowError")
        #expect(tensorError("round(1e300)").name == "OverflowError")  // trapped the same way
        #expect(tensorLines("print(round(2.5), round(-3.7))") == ["2 -4"])
    }
}
