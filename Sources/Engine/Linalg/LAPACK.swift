import COpenBLAS

/// Thin wrappers over the LAPACK routines in OpenBLAS. LAPACK is column-major: matrices go in and
/// come out through explicit transposing copies so callers see row-major tensors only.
enum LAPACK {
    /// A 2-D tensor's elements in column-major order.
    static func columnMajor(_ a: Tensor) -> [Float] {
        let (m, n) = (a.shape[0], a.shape[1])
        let rowMajor = a.floatArray()
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { out[j * m + i] = rowMajor[i * n + j] } }
        return out
    }

    /// A row-major m×n tensor from a column-major buffer with leading dimension `ld`.
    static func tensor(columnMajor buffer: [Float], rows m: Int, cols n: Int, ld: Int? = nil) throws -> Tensor {
        let lda = ld ?? m
        var values = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { values[i * n + j] = buffer[j * lda + i] } }
        return try Tensor(values, shape: [m, n])
    }

    /// `(U, S, Vᵀ)` of an m×n matrix via `sgesdd`; `full` gives square U and Vᵀ.
    static func svd(_ a: Tensor, full: Bool) throws -> (u: Tensor, s: Tensor, vt: Tensor) {
        let (m, n) = (a.shape[0], a.shape[1]), k = Swift.min(m, n)
        var work = columnMajor(a)
        let uCols = full ? m : k, vtRows = full ? n : k
        var s = [Float](repeating: 0, count: Swift.max(k, 1))
        var u = [Float](repeating: 0, count: Swift.max(m * uCols, 1))
        var vt = [Float](repeating: 0, count: Swift.max(vtRows * n, 1))
        var jobz: CChar = full ? 65 /* A */ : 83 /* S */
        var M = Int32(m), N = Int32(n), lda = Int32(Swift.max(m, 1)), ldu = Int32(Swift.max(m, 1)), ldvt = Int32(Swift.max(vtRows, 1))
        var iwork = [Int32](repeating: 0, count: Swift.max(8 * k, 1))
        var info: Int32 = 0, lwork: Int32 = -1, query: Float = 0
        if k > 0 {
            sgesdd_(&jobz, &M, &N, &work, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &iwork, &info)
            lwork = Int32(query)
            var scratch = [Float](repeating: 0, count: Swift.max(Int(lwork), 1))
            sgesdd_(&jobz, &M, &N, &work, &lda, &s, &u, &ldu, &vt, &ldvt, &scratch, &lwork, &iwork, &info)
        }
        guard info == 0 else {
            throw EngineError.runtime("svd: the decomposition did not converge (LAPACK sgesdd info \(info)); the input may contain NaN or inf")
        }
        return (try tensor(columnMajor: u, rows: m, cols: uCols),
                try Tensor(Array(s.prefix(k)), shape: [k]),
                try tensor(columnMajor: vt, rows: vtRows, cols: n))
    }

    /// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix via `ssyevd`, reading
    /// the lower triangle of the row-major matrix (PyTorch's default `UPLO='L'`).
    static func eigh(_ a: Tensor, upper: Bool) throws -> (values: Tensor, vectors: Tensor) {
        let n = a.shape[0]
        var buffer = columnMajor(a)
        var w = [Float](repeating: 0, count: Swift.max(n, 1))
        var jobz: CChar = 86 /* V */, uplo: CChar = upper ? 85 /* U */ : 76 /* L */
        var N = Int32(n), lda = Int32(Swift.max(n, 1))
        var info: Int32 = 0, lwork: Int32 = -1, liwork: Int32 = -1, query: Float = 0, iquery: Int32 = 0
        if n > 0 {
            ssyevd_(&jobz, &uplo, &N, &buffer, &lda, &w, &query, &lwork, &iquery, &liwork, &info)
            lwork = Int32(query); liwork = iquery
            var scratch = [Float](repeating: 0, count: Swift.max(Int(lwork), 1))
            var iscratch = [Int32](repeating: 0, count: Swift.max(Int(liwork), 1))
            ssyevd_(&jobz, &uplo, &N, &buffer, &lda, &w, &scratch, &lwork, &iscratch, &liwork, &info)
        }
        guard info == 0 else {
            throw EngineError.runtime("eigh: the eigenvalue algorithm did not converge (LAPACK ssyevd info \(info)); the input may contain NaN or inf")
        }
        return (try Tensor(Array(w.prefix(n)), shape: [n]), try tensor(columnMajor: buffer, rows: n, cols: n))
    }

    /// The inverse of a square matrix via `sgetrf` + `sgetri`. A row-major buffer read column-major
    /// is Aᵀ, and inv(Aᵀ) read back row-major is inv(A), so no transposes are needed.
    static func inverse(_ a: Tensor) throws -> Tensor {
        let n = a.shape[0]
        var buffer = a.floatArray()
        var N = Int32(n), lda = Int32(Swift.max(n, 1)), info: Int32 = 0
        var pivots = [Int32](repeating: 0, count: Swift.max(n, 1))
        guard n > 0 else { return try Tensor([Float](), shape: [0, 0]) }
        sgetrf_(&N, &N, &buffer, &lda, &pivots, &info)
        if info > 0 { throw singular("inv", info) }
        var lwork: Int32 = -1, query: Float = 0
        sgetri_(&N, &buffer, &lda, &pivots, &query, &lwork, &info)
        lwork = Int32(query)
        var scratch = [Float](repeating: 0, count: Swift.max(Int(lwork), 1))
        sgetri_(&N, &buffer, &lda, &pivots, &scratch, &lwork, &info)
        if info > 0 { throw singular("inv", info) }
        guard info == 0, buffer.allSatisfy({ $0.isFinite }) else {
            throw EngineError.runtime("inv: the inverse is not finite; the matrix is singular or contains NaN/inf")
        }
        return try Tensor(buffer, shape: [n, n])
    }

    /// X with A X = B for square A (n×n) and B (n×k) via `sgesv`.
    static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let n = a.shape[0], k = b.shape[1]
        var am = columnMajor(a), bm = columnMajor(b)
        var N = Int32(n), K = Int32(k), lda = Int32(Swift.max(n, 1)), ldb = Int32(Swift.max(n, 1)), info: Int32 = 0
        var pivots = [Int32](repeating: 0, count: Swift.max(n, 1))
        if n > 0 && k > 0 { sgesv_(&N, &K, &am, &lda, &pivots, &bm, &ldb, &info) }
        if info > 0 { throw singular("solve", info) }
        guard info == 0, bm.allSatisfy({ $0.isFinite }) else {
            throw EngineError.runtime("solve: the solution is not finite; the matrix is singular or contains NaN/inf")
        }
        return try tensor(columnMajor: bm, rows: n, cols: k)
    }

    private static func singular(_ op: String, _ info: Int32) -> EngineError {
        EngineError.runtime("\(op): the matrix is singular (its LU factor U[\(info - 1), \(info - 1)] is exactly zero), so it has no inverse")
    }
}
