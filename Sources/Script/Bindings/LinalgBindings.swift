import Engine

/// The `linalg` module (LANGUAGE.md): `svd eigh eigvalsh norm vector_norm matrix_norm inv solve`, with
/// torch.linalg's names, arguments and return tuples.
enum LinalgBindings {
    static func install(_ table: BindingTable) {
        let m = BindingModule(name: "linalg", doc: "Linear algebra on float32 matrices through LAPACK (OpenBLAS): svd, eigh, norm, inv, solve.")
        func matrix(_ a: Arguments, _ i: Int, _ name: String) throws -> Tensor {
            try TensorBindings.tensorArgument(try a.required(i, name), "linalg.\(a.functionName)() argument '\(name)'")
        }
        let wrap = TensorBindings.wrap
        m.add(NativeFunction("svd", "svd(A, full_matrices=True)",
                             doc: "The singular value decomposition A = U @ diag(S) @ Vh as a tuple (U, S, Vh), S descending. full_matrices=False gives the reduced U [m, k] and Vh [k, n], k = min(m, n). Not differentiable.") { a in
            try a.check(max: 2, keywords: ["A", "full_matrices"])
            let r = try Linalg.svd(try matrix(a, 0, "A").detach(), fullMatrices: a.bool(1, "full_matrices", default: true))
            return .tuple([wrap(r.u), wrap(r.s), wrap(r.vt)])
        })
        m.add(NativeFunction("eigh", "eigh(A, UPLO='L')",
                             doc: "Eigenvalues (ascending) and orthonormal eigenvectors (the columns) of a symmetric matrix, as a tuple; reads the lower triangle (UPLO='U': the upper). Not differentiable.") { a in
            try a.check(max: 2, keywords: ["A", "UPLO"])
            let r = try Linalg.eigh(try matrix(a, 0, "A").detach(), upper: try uplo(a))
            return .tuple([wrap(r.values), wrap(r.vectors)])
        })
        m.add(NativeFunction("eigvalsh", "eigvalsh(A, UPLO='L')", doc: "The eigenvalues (ascending) of a symmetric matrix.") { a in
            try a.check(max: 2, keywords: ["A", "UPLO"])
            return wrap(try Linalg.eigh(try matrix(a, 0, "A").detach(), upper: try uplo(a)).values)
        })
        m.add(NativeFunction("inv", "inv(A)", doc: "The inverse of a square matrix; a singular matrix is a RuntimeError. Differentiable.") { a in
            try a.check(max: 1, keywords: ["A"])
            return wrap(try Linalg.inv(try matrix(a, 0, "A")))
        })
        m.add(NativeFunction("solve", "solve(A, B)", doc: "X with A @ X = B for a square A and B of shape [n] or [n, k]; a singular A is a RuntimeError. Differentiable in A and B.") { a in
            try a.check(max: 2, keywords: ["A", "B"])
            return wrap(try Linalg.solve(try matrix(a, 0, "A"), try matrix(a, 1, "B")))
        })
        m.add(NativeFunction("norm", "norm(A, ord=None, dim=None, keepdim=False)",
                             doc: "With ord=None: the 2-norm of all elements (Frobenius for matrices) or along dim. With ord: a vector norm for 1-D input or an int dim (any p, inf, -inf, 0), a matrix norm for 2-D input ('fro', 'nuc', 1, -1, 2, -2, inf, -inf). Differentiable.") { a in
            try a.check(max: 4, keywords: ["A", "ord", "dim", "keepdim"])
            let x = try matrix(a, 0, "A")
            let ord = a.optional(1, "ord").flatMap { $0.isNone ? nil : $0 }
            let dims = try TensorBindings.dims(a.optional(2, "dim"), "linalg.norm()")
            let keep = a.bool(3, "keepdim", default: false)
            guard let ord else { return wrap(try Linalg.vectorNorm(x, ord: 2, dims: dims, keepdim: keep)) }
            let matrixCase = dims.map { $0.count == 2 } ?? (x.ndim == 2)
            if matrixCase {
                let key = try matrixOrd(ord)
                if let dims, Set(try dims.map { try TensorBindings.normalized($0, x.ndim) }) != Set([x.ndim - 2, x.ndim - 1]) || x.ndim != 2 {
                    guard key == "fro" else { throw ScriptError(.valueError, "linalg.norm(): matrix norms other than 'fro' need a 2-D input and dim=(0, 1)") }
                    return wrap(try Linalg.vectorNorm(x, ord: 2, dims: dims, keepdim: keep))
                }
                guard dims != nil || x.ndim == 2 else { throw ScriptError(.shapeError, "linalg.norm(): a matrix ord needs a 2-D input, got shape \(x.shape)") }
                let r = try Linalg.matrixNorm(x, ord: key)
                return wrap(keep ? try r.reshape([1, 1]) : r)
            }
            guard x.ndim == 1 || dims != nil else {
                throw ScriptError(.valueError, "linalg.norm(): with ord given, the input must be 1-D or 2-D or dim must be given (got shape \(x.shape)); use vector_norm for the flattened tensor")
            }
            return wrap(try Linalg.vectorNorm(x, ord: try vectorOrd(ord), dims: dims, keepdim: keep))
        })
        m.add(NativeFunction("vector_norm", "vector_norm(x, ord=2, dim=None, keepdim=False)",
                             doc: "The ord-norm of all elements (flattened) or along dim: any positive p, inf, -inf or 0. Differentiable.") { a in
            try a.check(max: 4, keywords: ["x", "ord", "dim", "keepdim"])
            let ord = try a.optional(1, "ord").flatMap { $0.isNone ? nil : try vectorOrd($0) } ?? 2
            return wrap(try Linalg.vectorNorm(try matrix(a, 0, "x"), ord: ord, dims: try TensorBindings.dims(a.optional(2, "dim"), "linalg.vector_norm()"),
                                              keepdim: a.bool(3, "keepdim", default: false)))
        })
        m.add(NativeFunction("matrix_norm", "matrix_norm(A, ord='fro')",
                             doc: "A matrix norm of a 2-D tensor: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf. Differentiable.") { a in
            try a.check(max: 2, keywords: ["A", "ord"])
            let key = try a.optional(1, "ord").map(matrixOrd) ?? "fro"
            return wrap(try Linalg.matrixNorm(try matrix(a, 0, "A"), ord: key))
        })
        table.add(m)
    }

    private static func uplo(_ a: Arguments) throws -> Bool {
        let s = try a.string(1, "UPLO", default: "L")
        guard s == "L" || s == "U" else { throw ScriptError(.valueError, "linalg.\(a.functionName)(): UPLO must be 'L' or 'U', got '\(s)'") }
        return s == "U"
    }

    private static func vectorOrd(_ v: Value) throws -> Double {
        if let s = v.stringValue {
            throw ScriptError(.valueError, "linalg.norm(): ord '\(s)' is a matrix norm; vector norms take a number (2, 1, inf, …)")
        }
        guard let d = v.doubleValue, !v.isBool else { throw ScriptError(.typeError, "linalg.norm(): ord must be a number or 'fro'/'nuc', not \(typeName(v))") }
        return d
    }

    private static func matrixOrd(_ v: Value) throws -> String {
        if let s = v.stringValue {
            guard s == "fro" || s == "nuc" else { throw ScriptError(.valueError, "linalg.norm(): unknown ord '\(s)'; use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf") }
            return s
        }
        let d = try vectorOrd(v)
        switch d {
        case 1: return "1"
        case -1: return "-1"
        case 2: return "2"
        case -2: return "-2"
        case .infinity: return "inf"
        case -.infinity: return "-inf"
        default: throw ScriptError(.valueError, "linalg.norm(): matrix ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got \(d)")
        }
    }
}
