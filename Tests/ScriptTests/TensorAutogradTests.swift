import Testing
@testable import Script

/// backward(), .grad, no_grad() and in-place updates through the language.
extension ScriptSuite {
    @Test func backwardFillsLeafGradients() {
        #expect(tensorLines("""
        x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x ** 2).sum()
        print(y, y.grad_fn, x.grad_fn, x.is_leaf, y.is_leaf, y.requires_grad)
        y.backward()
        print(x.grad.tolist())
        z = (x * 2).sum()
        z.backward()
        print(x.grad.tolist())
        x.grad = None
        print(x.grad)
        u = x * x
        u.backward(tensor([1.0, 0.0, 1.0]))
        print(x.grad.tolist())
        """) == [
            "tensor(14., grad_fn=<SumBackward0>) SumBackward0 None True False True",
            "[2.0, 4.0, 6.0]",
            "[4.0, 6.0, 8.0]",
            "None",
            "[2.0, 0.0, 6.0]",
        ])
    }

    @Test func backwardErrorsAreClear() {
        let twice = tensorError("x = tensor(1.0, requires_grad=True)\ny = x * x\ny.backward()\ny.backward()")
        #expect(twice.name == "RuntimeError" && twice.message.contains("second time"))
        #expect(tensorError("x = tensor([1.0, 2.0], requires_grad=True)\n(x * x).backward()").message.contains("gradient="))
        #expect(tensorError("tensor([1, 2], requires_grad=True)").name == "RuntimeError")
        // retain_graph keeps it
        #expect(tensorLines("x = tensor(3.0, requires_grad=True)\ny = x * x\ny.backward(retain_graph=True)\ny.backward()\nprint(x.grad.item())") == ["12.0"])
    }

    @Test func noGradStopsRecordingAndNests() {
        #expect(tensorLines("""
        x = tensor([1.0], requires_grad=True)
        with no_grad():
            y = x * 2
            with no_grad():
                pass
            z = x * 3
            with enable_grad():
                e = x * 4
        print(y.requires_grad, z.requires_grad, e.requires_grad, is_grad_enabled(), (x * 2).requires_grad)
        print(x.detach().requires_grad, x.clone().grad_fn)
        """) == ["False False True True True", "False CloneBackward0"])
        // grad mode comes back after an exception inside the block
        #expect(tensorLines("""
        try:
            with no_grad():
                1 / 0
        except ZeroDivisionError:
            pass
        print(is_grad_enabled())
        """) == ["True"])
    }

    @Test func inPlaceUpdatesKeepTheLeaf() {
        #expect(tensorLines("""
        w = tensor([1.0, 2.0], requires_grad=True)
        alias = w
        loss = (w * w).sum()
        loss.backward()
        with no_grad():
            w -= 0.25 * w.grad
        print(w.tolist(), w.requires_grad, w.is_leaf, alias is w, w.grad.tolist())
        w.grad.zero_()
        print(w.grad.tolist())
        t = zeros(3)
        v = t
        t += 1
        t *= tensor([1.0, 2.0, 3.0])
        t /= 2
        v[0] += 5
        print(v.tolist())
        n = tensor([5, 6])
        n //= 2
        n -= 1
        print(n.tolist(), n.dtype)
        """) == [
            "[0.5, 1.0] True True True [2.0, 4.0]",
            "[0.0, 0.0]",
            "[5.5, 1.0, 1.5]",
            "[1, 2] torch.int64",
        ])
        let leaf = tensorError("w = tensor([1.0], requires_grad=True)\nw -= 1")
        #expect(leaf.name == "RuntimeError" && leaf.message.contains("no_grad"))
        #expect(tensorError("n = tensor([1, 2])\nn += 0.5").message.contains("can't be cast"))
        #expect(tensorError("n = zeros(2)\nn += zeros(3, 2)").name == "ShapeError")
    }

    @Test func accumulatingALossRebindsWhileRecording() {
        // total += loss while recording builds the graph (out of place), as PyTorch's result would.
        #expect(tensorLines("""
        w = tensor(2.0, requires_grad=True)
        total = 0
        for i in range(3):
            total += w * i
        total.backward()
        print(total.item(), w.grad.item())
        acc = zeros(())
        acc += w * w
        acc.backward()
        print(acc.item(), w.grad.item())
        """) == ["6.0 3.0", "4.0 7.0"])
    }

    @Test func methodsInPlace() {
        #expect(tensorLines("""
        t = zeros(2, 2)
        print(t.fill_(3).tolist(), t.zero_().sum().item(), t.add_(tensor([1.0, 2.0])).tolist())
        t.mul_(2)
        t.sub_(1, alpha=2)
        print(t.tolist(), t.clamp_(0, 1).tolist())
        p = zeros(3).requires_grad_()
        print(p.requires_grad, p.data.requires_grad)
        p.requires_grad = False
        print(p.requires_grad)
        seed(0)
        u = zeros(1000).uniform_(-1, 1)
        print(u.min().item() >= -1, u.max().item() < 1, abs(zeros(4000).normal_(0, 2).std().item() - 2) < 0.2)
        """) == [
            "[[3.0, 3.0], [3.0, 3.0]] 0.0 [[1.0, 2.0], [1.0, 2.0]]",
            "[[0.0, 2.0], [0.0, 2.0]] [[0.0, 1.0], [0.0, 1.0]]",
            "True False",
            "False",
            "True True True",
        ])
    }
}
