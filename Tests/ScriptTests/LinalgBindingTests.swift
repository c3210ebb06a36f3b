import Testing
@testable import Script

/// The `linalg` module through the language: hand-computed values (A = [[2, 1], [1, 3]] has
/// inverse [[3, -1], [-1, 2]] / 5; [[2, 1], [1, 2]] has eigenvalues 1 and 3; |[3, 4]| = 5).
extension ScriptSuite {
    @Test func linalgValues() {
        #expect(tensorLines("""
        A = tensor([[2.0, 1.0], [1.0, 3.0]])
        print(allclose(linalg.inv(A), tensor([[0.6, -0.2], [-0.2, 0.4]]), atol=1e-6), allclose(linalg.solve(A, tensor([3.0, 5.0])), tensor([0.8, 1.4]), atol=1e-6))
        w, V = linalg.eigh(tensor([[2.0, 1.0], [1.0, 2.0]]))
        print(allclose(w, tensor([1.0, 3.0]), atol=1e-6), V.shape, allclose(V.T @ V, eye(2), atol=1e-6), allclose(linalg.eigvalsh(tensor([[4.0]])), tensor([4.0])))
        M = tensor([[3.0, 0.0], [0.0, -4.0], [0.0, 0.0]])
        U, S, Vh = linalg.svd(M)
        u, s, vh = linalg.svd(M, full_matrices=False)
        print(U.shape, S.tolist(), Vh.shape, u.shape, allclose(u * s @ vh, M, atol=1e-5))
        print(linalg.norm(tensor([3.0, 4.0])).item(), linalg.norm(M).item(), linalg.norm(M, 'nuc').item(), linalg.norm(M, 2).item(), linalg.norm(M, ord=1).item())
        print(linalg.norm(tensor([3.0, -4.0]), 1).item(), linalg.norm(tensor([3.0, -4.0]), float('inf')).item(), linalg.norm(M, dim=1).tolist(), linalg.vector_norm(M, ord=1).item(), linalg.matrix_norm(M).item())
        from linalg import inv
        print(inv(tensor([[4.0]])).item())
        """) == [
            "True True",
            "True (2, 2) True True",
            "(3, 3) [4.0, 3.0] (2, 2) (3, 2) True",
            "5.0 5.0 7.0 4.0 4.0",
            "7.0 4.0 [3.0, 4.0, 0.0] 7.0 5.0",
            "0.25",
        ])
    }

    @Test func linalgGradients() {
        // d|x|/dx = x/|x|; d inv(a)/da for 1×1 is -1/a²; solve(a, b) = b/a for 1×1.
        #expect(tensorLines("""
        x = tensor([3.0, 4.0], requires_grad=True)
        linalg.norm(x).backward()
        print(x.grad.tolist())
        a = tensor([[2.0]], requires_grad=True)
        linalg.inv(a).sum().backward()
        print(a.grad.tolist())
        a.grad = None
        b = tensor([6.0], requires_grad=True)
        linalg.solve(a, b).sum().backward()
        print(a.grad.tolist(), b.grad.tolist())
        """) == ["[0.6000000238418579, 0.800000011920929]", "[[-0.25]]", "[[-1.5]] [0.5]"])
    }

    @Test func linalgErrors() {
        let singular = tensorError("linalg.inv(tensor([[1.0, 2.0], [2.0, 4.0]]))")
        #expect(singular.name == "RuntimeError" && singular.message.contains("singular"))
        #expect(tensorError("linalg.solve(tensor([[1.0, 2.0], [2.0, 4.0]]), tensor([1.0, 1.0]))").message.contains("singular"))
        let shape = tensorError("linalg.inv(zeros(2, 3))")
        #expect(shape.name == "ShapeError" && shape.message.contains("square"))
        #expect(tensorError("linalg.solve(eye(2), zeros(3))").name == "ShapeError")
        #expect(tensorError("linalg.norm(eye(2), 'max')").name == "ValueError")
        #expect(tensorError("linalg.eigh(eye(2), UPLO='X')").name == "ValueError")
        #expect(tensorError("linalg.inv(tensor([[1, 2], [3, 4]]))").message.contains(".float()"))
    }
}
