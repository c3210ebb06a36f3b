import Testing
@testable import Script

/// Views, reductions, math functions and conversions (expected values worked out by hand).
extension ScriptSuite {
    @Test func viewsAndShapes() {
        #expect(tensorLines("""
        t = arange(6).reshape(2, 3)
        print(t.view(3, 2).tolist(), t.reshape(-1).shape, t.reshape((3, -1)).shape, t.T.tolist(), t.t().shape)
        print(t.transpose(0, 1).shape, t.permute(1, 0).shape, t.unsqueeze(0).shape, t.unsqueeze(-1).shape)
        print(t[None].squeeze().shape, zeros(1, 3, 1).squeeze(0).shape, t.flatten().tolist(), zeros(2, 3, 4).flatten(1).shape)
        print(tensor([[1], [2]]).expand(2, 3).tolist(), tensor([1, 2]).expand(2, -1).shape, t.T.is_contiguous(), t.T.contiguous().is_contiguous())
        print(zeros(2, 3).expand_as(zeros(4, 2, 3)).shape, t.view_as(zeros(3, 2)).shape)
        """) == [
            "[[0, 1], [2, 3], [4, 5]] (6,) (3, 2) [[0, 3], [1, 4], [2, 5]] (3, 2)",
            "(3, 2) (3, 2) (1, 2, 3) (2, 3, 1)",
            "(2, 3) (3, 1) [0, 1, 2, 3, 4, 5] (2, 12)",
            "[[1, 1, 1], [2, 2, 2]] (2, 2) False True",
            "(4, 2, 3) (3, 2)",
        ])
        #expect(tensorError("arange(6).reshape(2, 3).T.view(6)").message.contains("contiguous"))
    }

    @Test func reductions() {
        #expect(tensorLines("""
        x = tensor([[1.0, 2.0], [3.0, 4.0]])
        print(x.sum().item(), x.sum(0).tolist(), x.sum(dim=1).tolist(), x.sum((0, 1)).item(), x.mean(1, keepdim=True).shape, sum(x).item())
        print(round(x.var().item(), 4), round(x.std(unbiased=False).item(), 4), x.var(0).tolist(), x.var(1, correction=0).tolist())
        v, i = x.max(1)
        print(v.tolist(), i.tolist(), x.max().item(), x.min(dim=0)[0].tolist(), x.argmax().item(), x.argmin(1).tolist())
        print(mean(x).item(), x.max(tensor(2.5)).tolist(), tensor([1, 2, 3]).sum().item(), tensor([1, 2, 3]).sum().dtype)
        print(tensor([True, False]).any().item(), tensor([True, False]).all().item(), (x > 0).all(dim=1).tolist())
        print(round(x.norm().item(), 5), x.norm(p=1).item(), x.norm(dim=1).tolist() == [5 ** 0.5, 5.0], sum([1, 2, 3]), sum([tensor(1.0), tensor(2.0)]).item())
        """) == [
            "10.0 [4.0, 6.0] [3.0, 7.0] 10.0 (2, 1) 10.0",
            "1.6667 1.118 [2.0, 2.0] [0.25, 0.25]",
            "[2.0, 4.0] [1, 1] 4.0 [1.0, 2.0] 3 [0, 0]",
            "2.5 [[2.5, 2.5], [3.0, 4.0]] 6 torch.int64",
            "True False [True, True]",
            "5.47723 10.0 False 6 3.0",
        ])
        #expect(tensorError("tensor([1, 2]).mean()").message.contains(".float()"))
    }

    @Test func mathFunctionsAndMethods() {
        #expect(tensorLines("""
        x = tensor([-1.0, 0.0, 2.0])
        print(relu(x).tolist(), x.relu().tolist(), x.abs().tolist(), x.clamp(-0.5, 1).tolist(), clamp(x, min=0).tolist(), x.clamp(max=0).tolist())
        print(exp(tensor([0.0])).tolist(), log(tensor([1.0])).tolist(), sqrt(tensor([4.0])).tolist(), sin(tensor([0.0])).tolist(), cos(tensor([0.0])).tolist())
        print(sigmoid(tensor([0.0])).tolist(), tanh(tensor([0.0])).tolist(), x.pow(2).tolist(), x.exp().log().tolist()[2])
        s = softmax(tensor([[1.0, 1.0], [0.0, 0.0]]), dim=1)
        print(s.tolist(), tensor([0.0, 0.0]).log_softmax(0).tolist()[0] == log(tensor(0.5)).item())
        print(matmul(tensor([[1.0, 2.0]]), tensor([[3.0], [4.0]])).tolist(), dot(tensor([1.0, 2.0]), tensor([3.0, 4.0])).item(), outer(tensor([1.0, 2.0]), tensor([3.0, 4.0])).tolist())
        print(maximum(x, tensor(0.5)).tolist(), minimum(x, 0.5).tolist())
        print(stack([tensor([1, 2]), tensor([3, 4])]).tolist(), stack([tensor([1, 2]), tensor([3, 4])], dim=1).tolist(), cat([zeros(1, 2), ones(2, 2)]).shape, cat((zeros(2, 1), ones(2, 2)), dim=1).shape)
        print(where(x > 0, x, 0.0).tolist(), where(x > 0, 1, -1).tolist())
        """) == [
            "[0.0, 0.0, 2.0] [0.0, 0.0, 2.0] [1.0, 0.0, 2.0] [-0.5, 0.0, 1.0] [0.0, 0.0, 2.0] [-1.0, 0.0, 0.0]",
            "[1.0] [0.0] [2.0] [0.0] [1.0]",
            "[0.5] [0.0] [1.0, 0.0, 4.0] 2.0",
            "[[0.5, 0.5], [0.5, 0.5]] True",
            "[[11.0]] 11.0 [[3.0, 4.0], [6.0, 8.0]]",
            "[0.5, 0.5, 2.0] [-1.0, 0.0, 0.5]",
            "[[1, 2], [3, 4]] [[1, 3], [2, 4]] (3, 2) (2, 3)",
            "[0.0, 0.0, 2.0] [-1, -1, 1]",
        ])
    }

    @Test func conversionsAndSelection() {
        #expect(tensorLines("""
        f = tensor([1.7, -0.2, 0.0])
        print(f.long().tolist(), f.int().dtype, f.bool().tolist(), tensor([1, 0]).float().tolist(), f.to(int64).dtype, f.to('bool').dtype, f.to(float32) is f)
        x = tensor([[1.0, 2.0], [3.0, 4.0]])
        print(x.gather(1, tensor([[0, 0], [1, 0]])).tolist(), x.masked_fill(x > 2, 0).tolist())
        v, i = tensor([3.0, 1.0, 2.0]).sort()
        print(v.tolist(), i.tolist(), tensor([3, 1, 2]).argsort(descending=True).tolist())
        tv, ti = tensor([[1.0, 5.0, 3.0], [4.0, 0.0, 6.0]]).topk(2)
        print(tv.tolist(), ti.tolist(), x.detach().clone().tolist(), x.tolist())
        """) == [
            "[1, 0, 0] torch.int64 [True, True, False] [1.0, 0.0] torch.int64 torch.bool True",
            "[[1.0, 1.0], [4.0, 3.0]] [[1.0, 2.0], [0.0, 0.0]]",
            "[1.0, 2.0, 3.0] [1, 2, 0] [0, 2, 1]",
            "[[5.0, 3.0], [6.0, 4.0]] [[1, 2], [2, 0]] [[1.0, 2.0], [3.0, 4.0]] [[1.0, 2.0], [3.0, 4.0]]",
        ])
    }

    @Test func gradientsThroughMethods() {
        // d/dx of sum(gather) counts picks; masked_fill passes gradient only where unmasked; sort's
        // values carry the gradient back to their original places.
        #expect(tensorLines("""
        x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        x.gather(1, tensor([[0, 0], [1, 0]])).sum().backward()
        print(x.grad.tolist())
        x.grad = None
        (x.masked_fill(x > 2, 0) * 3).sum().backward()
        print(x.grad.tolist())
        x.grad = None
        v, i = x.reshape(-1).sort(descending=True)
        (v * tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        print(x.grad.tolist())
        x.grad = None
        x.norm().backward()
        print([round(g, 4) for g in x.grad.reshape(-1).tolist()])
        """) == [
            "[[2.0, 0.0], [1.0, 1.0]]",
            "[[3.0, 3.0], [0.0, 0.0]]",
            "[[4.0, 3.0], [2.0, 1.0]]",
            "[0.1826, 0.3651, 0.5477, 0.7303]",
        ])
    }
}

extension ScriptSuite {
    @Test func gradcheckWhereAndNonzero() {
        #expect(tensorLines("""
        x = tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
        y = tensor([1.5, -0.5], requires_grad=True)
        print(gradcheck(lambda a, b: (a * b).sigmoid() @ b, (x, y)), gradcheck(lambda a: a.exp().sum(1), [x]))
        m = tensor([[True, False], [False, True]])
        r, c = where(m)
        print(r.tolist(), c.tolist(), m.nonzero().tolist(), tensor([0, 3, 0, 5]).nonzero(as_tuple=True)[0].tolist())
        """) == ["True True", "[0, 1] [0, 1] [[0, 0], [1, 1]] [1, 3]"])
        // A function with a wrong backward is caught: x.detach() hides the dependence.
        let wrong = tensorError("x = tensor([1.0, 2.0], requires_grad=True)\ngradcheck(lambda a: a * a.detach(), (x,))")
        #expect(wrong.name == "RuntimeError" && wrong.message.contains("Jacobian mismatch"))
        #expect(tensorError("gradcheck(lambda a: a, (tensor([1.0]),))").message.contains("requires_grad=True"))
    }
}

extension ScriptSuite {
    @Test func matrixHelpers() {
        #expect(tensorLines("""
        m = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
        print(diag(tensor([1.0, 2.0])).tolist(), m.diag().tolist(), trace(m).item(), diag(tensor([1, 2])).dtype)
        print(tril(m).tolist(), m.triu(diagonal=1).tolist())
        print(triu(ones(3, 3), diagonal=1).bool().tolist()[0], cumsum(tensor([1.0, 2.0, 3.0]), 0).tolist(), m.cumsum(1)[1].tolist(), tensor([1, 2, 3]).cumsum(0).tolist())
        print(m.index_select(0, tensor([2, 0])).tolist(), index_select(m, 1, tensor([1])).tolist())
        s = tensor([2.0, 3.0], requires_grad=True)
        (diag(s) @ tensor([1.0, 1.0])).sum().backward()
        x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        x.cumsum(0).sum().backward()
        print(s.grad.tolist(), x.grad.tolist())
        """) == [
            "[[1.0, 0.0], [0.0, 2.0]] [1.0, 5.0, 9.0] 15.0 torch.int64",
            "[[1.0, 0.0, 0.0], [4.0, 5.0, 0.0], [7.0, 8.0, 9.0]] [[0.0, 2.0, 3.0], [0.0, 0.0, 6.0], [0.0, 0.0, 0.0]]",
            "[False, True, True] [1.0, 3.0, 6.0] [4.0, 9.0, 15.0] [1, 3, 6]",
            "[[7.0, 8.0, 9.0], [1.0, 2.0, 3.0]] [[2.0], [5.0], [8.0]]",
            "[1.0, 1.0] [3.0, 2.0, 1.0]",
        ])
    }
}

extension ScriptSuite {
    @Test func roundingAndBernoulli() {
        #expect(tensorLines("""
        x = tensor([-1.5, -0.2, 0.0, 0.5, 2.5])
        print(sign(x).tolist(), x.floor().tolist(), ceil(x).tolist(), x.round().tolist(), round(x).tolist(), round(2.567, 2))
        seed(1)
        b = bernoulli(full((2000,), 0.25))
        print(b.dtype, ((b == 0) | (b == 1)).all().item(), abs(b.mean().item() - 0.25) < 0.04, bernoulli(tensor([0.0, 1.0])).tolist())
        """) == [
            "[-1.0, -1.0, 0.0, 1.0, 1.0] [-2.0, -1.0, 0.0, 0.0, 2.0] [-1.0, -0.0, 0.0, 1.0, 3.0] [-2.0, -0.0, 0.0, 0.0, 2.0] [-2.0, -0.0, 0.0, 0.0, 2.0] 2.57",
            "torch.float32 True True [0.0, 1.0]",
        ])
        #expect(tensorError("bernoulli(tensor([1.5]))").name == "RuntimeError")
    }
}
