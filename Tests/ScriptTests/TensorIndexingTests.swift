import Testing
@testable import Script

/// Indexing, assignment, len, iteration and truthiness (expected values worked out by hand).
extension ScriptSuite {
    @Test func basicIndexing() {
        #expect(tensorLines("""
        t = arange(12).reshape(3, 4)
        print(t[1].tolist(), t[-1, -1].item(), t[1][2].item(), t[:, 1:3].tolist())
        print(t[::2, ::3].tolist(), t[None].shape, t[:, None, 0].shape, t[..., 0].tolist(), t[1, ...].tolist())
        print(t[-2:].shape, t[5:].shape, t[:, -1].tolist(), t[tensor(1)].tolist())
        """) == [
            "[4, 5, 6, 7] 11 6 [[1, 2], [5, 6], [9, 10]]",
            "[[0, 3], [8, 11]] (1, 3, 4) (3, 1) [0, 4, 8] [4, 5, 6, 7]",
            "(2, 4) (0, 4) [3, 7, 11] [4, 5, 6, 7]",
        ])
    }

    @Test func advancedIndexing() {
        #expect(tensorLines("""
        t = arange(12).reshape(3, 4)
        print(t[[0, 2]].tolist(), t[tensor([2, 0])].tolist(), t[[0, 1], [1, 2]].tolist())
        print(t[t > 8].tolist(), t[:, [0, 3]].tolist(), t[tensor([True, False, True])].tolist())
        x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x[[0, 0, 2]].sum()
        y.backward()
        print(x.grad.tolist())
        """) == [
            "[[0, 1, 2, 3], [8, 9, 10, 11]] [[8, 9, 10, 11], [0, 1, 2, 3]] [1, 6]",
            "[9, 10, 11] [[0, 3], [4, 7], [8, 11]] [[0, 1, 2, 3], [8, 9, 10, 11]]",
            "[2.0, 0.0, 1.0]",
        ])
    }

    @Test func assignment() {
        #expect(tensorLines("""
        t = zeros(3, 4)
        t[0] = 1
        t[:, 0] = tensor([7.0, 8.0, 9.0])
        t[1:, 2:] = tensor([5.0, 6.0])
        t[t == 6] = -1
        t[2, [1, 3]] = 4
        print(t.tolist())
        v = t[0]
        v[1] = 100
        print(t[0, 1].item())
        m = zeros(2, 2)
        m[[True, False]] = 3
        m[..., 1] += 1
        print(m.tolist())
        """) == [
            "[[7.0, 1.0, 1.0, 1.0], [8.0, 0.0, 5.0, -1.0], [9.0, 4.0, 5.0, 4.0]]",
            "100.0",
            "[[3.0, 4.0], [0.0, 1.0]]",
        ])
        #expect(tensorError("t = zeros(2)\nt[0] = 'x'").name == "TypeError")
        #expect(tensorError("t = zeros(2, 2)\nt[0] = zeros(3)").name == "ShapeError")
    }

    @Test func indexErrors() {
        let out = tensorError("zeros(3)[5]")
        #expect(out.name == "IndexError" && out.message.contains("5") && out.message.contains("size 3"))
        #expect(tensorError("zeros(3)[1.5]").name == "IndexError")
        #expect(tensorError("zeros(3)[tensor([0.0])]").message.contains(".long()"))
        #expect(tensorError("zeros(3)[0, 0]").name == "IndexError")
        #expect(tensorError("zeros(3)[::-1]").name == "ValueError")
        #expect(tensorError("zeros(3)[[5]]").name == "IndexError")
    }

    @Test func lenIterationAndTruthiness() {
        #expect(tensorLines("""
        t = tensor([[1, 2], [3, 4], [5, 6]])
        print(len(t), [row.tolist() for row in t], [int(v) for v in t[0]])
        a, b = tensor([10, 20])
        print(a.item(), b.item(), bool(tensor([0])), bool(tensor(2.5)), 'yes' if tensor([1]) else 'no')
        print(list(t.shape), t.shape == (3, 2), t.shape[0], len(t.shape), t.size(), t.size(1), t.size(-2))
        print(t.numel(), t.dim(), tensor([]).shape)
        """) == [
            "3 [[1, 2], [3, 4], [5, 6]] [1, 2]",
            "10 20 False True yes",
            "[3, 2] True 3 2 (3, 2) 2 3",
            "6 2 (0,)",
        ])
        #expect(tensorError("bool(zeros(0))").message.contains("no values"))
        #expect(tensorError("for x in tensor(1.0):\n    pass").name == "TypeError")
    }
}
