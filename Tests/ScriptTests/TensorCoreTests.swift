import Testing
@testable import Script

/// Creation, printing, dtypes and operators through the language (values checked by hand).
extension ScriptSuite {
    @Test func creationFunctions() {
        #expect(tensorLines("""
        print(zeros(2, 3))
        print(ones((2,)).tolist(), full((2,), 7).tolist(), full((2,), 7).dtype)
        print(arange(5).tolist(), arange(1, 4).tolist(), arange(0, 1, 0.25).tolist())
        print(linspace(0, 1, 5).tolist(), eye(2).tolist())
        print(tensor([1, 2]).dtype, tensor([1, 2.5]).dtype, tensor([True, False]).dtype)
        print(zeros_like(tensor([[1, 2]])).tolist(), ones_like(tensor([1.5])).tolist(), full_like(tensor([1, 2]), 3).tolist())
        print(tensor([1, 2], dtype=float32).tolist(), tensor([1.7, -1.7], dtype=int64).tolist(), tensor([0, 2], dtype=bool).tolist())
        print(zeros(2, dtype='int64').dtype, zeros(2, dtype=float).dtype, zeros(2, dtype=int).dtype, zeros(2, dtype=bool).dtype, zeros(1, dtype=long).dtype)
        print(Tensor([1, 2]).dtype, tensor(3.5).shape, tensor(3.5).ndim)
        """) == [
            "tensor([[0., 0., 0.],", "        [0., 0., 0.]])",
            "[1.0, 1.0] [7, 7] torch.int64",
            "[0, 1, 2, 3, 4] [1, 2, 3] [0.0, 0.25, 0.5, 0.75]",
            "[0.0, 0.25, 0.5, 0.75, 1.0] [[1.0, 0.0], [0.0, 1.0]]",
            "torch.int64 torch.float32 torch.bool",
            "[[0, 0]] [1.0] [3, 3]",
            "[1.0, 2.0] [1, -1] [False, True]",
            "torch.int64 torch.float32 torch.int64 torch.bool torch.int64",
            "torch.float32 () 0",
        ])
    }

    @Test func randomFunctionsAreSeededAndInRange() {
        #expect(tensorLines("""
        seed(3)
        a = randn(4)
        r = rand(2, 3)
        seed(3)
        b = randn(4)
        print((a == b).all().item(), r.shape, ((r >= 0) & (r < 1)).all().item())
        k = randint(2, 5, (200,))
        print(k.dtype, k.min().item(), k.max().item(), randint(3, (2, 2)).shape)
        print(randn_like(zeros(2, 2)).shape, rand_like(zeros(3)).shape)
        """) == ["True (2, 3) True", "torch.int64 2 4 (2, 2)", "(2, 2) (3,)"])
    }

    @Test func arithmeticBothWaysWithNumbers() {
        #expect(tensorLines("""
        t = tensor([1.0, 2.0, 3.0])
        print((2 * t).tolist(), (t + 1).tolist(), (1 - t).tolist(), (t / 2).tolist())
        print((t ** 2).tolist(), (2 ** t).tolist(), (-t).tolist(), (+t).tolist(), abs(-t).tolist())
        print((t + [10, 20, 30]).tolist(), ([1, 1, 1] - t).tolist())
        i = tensor([7, -7])
        print((i // 2).tolist(), (i % 3).tolist(), (i * 2).dtype, (i / 2).tolist(), (i + 0.5).dtype)
        print((tensor([7.5, -7.5]) // 2).tolist(), (tensor([7.5, -7.5]) % 2).tolist())
        m = tensor([[1, 2], [3, 4]])
        print((m @ tensor([[5], [6]])).tolist(), (tensor([1.0, 2.0]) @ tensor([3.0, 4.0])).item())
        print((tensor([6, 3]) & 5).tolist(), (tensor([6, 3]) | 1).tolist(), (tensor([6, 3]) ^ 1).tolist(), (~tensor([0, 1])).tolist())
        """) == [
            "[2.0, 4.0, 6.0] [2.0, 3.0, 4.0] [0.0, -1.0, -2.0] [0.5, 1.0, 1.5]",
            "[1.0, 4.0, 9.0] [2.0, 4.0, 8.0] [-1.0, -2.0, -3.0] [1.0, 2.0, 3.0] [1.0, 2.0, 3.0]",
            "[11.0, 22.0, 33.0] [0.0, -1.0, -2.0]",
            "[3, -4] [1, 2] torch.int64 [3.5, -3.5] torch.float32",
            "[3.0, -4.0] [1.5, 0.5]",
            "[[17], [39]] 11.0",
            "[4, 1] [7, 3] [7, 2] [-1, -2]",
        ])
    }

    @Test func comparisonsGiveBoolTensors() {
        #expect(tensorLines("""
        t = tensor([1.0, 2.0, 3.0])
        mask = t > 1
        print(mask.dtype, mask.tolist(), (t <= 2).tolist(), (2 < t).tolist(), (t == tensor([1.0, 0.0, 3.0])).tolist())
        print((~mask).tolist(), (mask & (t < 3)).tolist(), (mask | (t < 2)).tolist(), (t != 2).tolist())
        print(t == None, tensor([1, 2]) == tensor([1, 2]).float())
        """) == [
            "torch.bool [False, True, True] [True, True, False] [False, False, True] [True, False, True]",
            "[True, False, False] [False, True, False] [True, True, True] [True, False, True]",
            "False tensor([True, True])",
        ])
    }

    @Test func printingLikePyTorch() {
        #expect(tensorLines("""
        x = tensor([0.1, 0.2])
        print(x)
        print(repr(tensor([[1, 2], [3, 4]])))
        w = tensor(2.0, requires_grad=True)
        print(w)
        print(w * 3)
        print(f"{(w * 3).item():.3f}", f"{w * 3:.2f}", format(tensor(7), '03d'), int(tensor(2.9)), float(tensor([4])))
        print(float32, int64, long, tensor([1]).dtype == int64, tensor([1.0]).dtype == float32, float32 == int64)
        """) == [
            "tensor([0.1000, 0.2000])",
            "tensor([[1, 2],", "        [3, 4]])",
            "tensor(2., requires_grad=True)",
            "tensor(6., grad_fn=<MulBackward0>)",
            "6.000 6.00 007 2 4.0",
            "torch.float32 torch.int64 torch.int64 True True False",
        ])
        Bindings.installOnce()
        let s = ScriptSession(output: CapturedOutput())
        let v = s.execute(code: "tensor([[1.5, 2.0]])", cellNumber: 1).value
        #expect(v?.data["text/plain"] == "tensor([[1.5000, 2.0000]])")
        #expect(v?.data["text/html"]?.contains("<table") == true)
    }

    @Test func badArgumentsSayWhatToFix() {
        let shape = tensorError("tensor([1, 2]) + tensor([1, 2, 3])")
        #expect(shape.name == "ShapeError" && shape.message.contains("[2]") && shape.message.contains("[3]"))
        let truth = tensorError("if tensor([1, 2]):\n    pass")
        #expect(truth.name == "RuntimeError" && truth.message.contains("more than one value is ambiguous"))
        #expect(tensorError("zeros(2).item()").name == "ValueError")
        #expect(tensorError("tensor('abc')").name == "TypeError")
        #expect(tensorError("zeros(2, dtype='float64')").message.contains("float32, int64 or bool"))
        #expect(tensorError("zeros(2).reshape(3)").name == "ShapeError")
        #expect(tensorError("zeros(2, 3).view(-1, -1)").name == "ValueError")
        #expect(tensorError("zeros(2).sum(dim=5)").name == "IndexError")
        #expect(tensorError("zeros(2) + 'a'").name == "TypeError")
        #expect(tensorError("len(tensor(1.0))").message.contains("0-d"))
        #expect(tensorError("tensor([1, 2]) // 0").name == "RuntimeError")
        #expect(tensorError("~tensor([1.0])").name == "TypeError")
        #expect(tensorError("zeros(2).transpose(0)").message.contains("dim1"))
    }
}

extension ScriptSuite {
    @Test func helpShowsSignaturesAndDocs() {
        let out = tensorLines("help(zeros)\nhelp(tensor([1]).reshape)\nhelp(linalg.svd)\nprint('reshape' in dir(zeros(1)), 'grad' in dir(zeros(1)))")
        let text = out.joined(separator: "\n")
        #expect(text.contains("zeros(*size, dtype=None, requires_grad=False)"))
        #expect(text.contains("reshape(*shape)") && text.contains("new shape"))
        #expect(text.contains("svd(A, full_matrices=True)"))
        #expect(out.last == "True True")
    }
}
