import COpenBLAS

/// OpenBLAS thread policy: small GEMMs run single-threaded (thread start-up costs more than the
/// work), large ones use every core. Only calls into OpenBLAS when the choice changes.
enum BLASThreads {
    nonisolated(unsafe) private static var current: Int32 = -1
    static let maxThreads: Int32 = Swift.max(1, Int32(openblas_get_num_procs()))
    /// m·n·k below which one thread is used (about a 400³ product). After a threaded call OpenBLAS's
    /// workers spin (sched_yield) for a while, and a threaded GEMM waits for a descheduled worker; on a
    /// shared 2-core machine that cost more than the second thread saved on every GEMM of a training
    /// step (LeNet, LSTM, MLP all ran 1.3–3× faster single-threaded), while a 1024³ product still
    /// gains from every core.
    static let singleThreadWork = 1 << 26

    static func choose(work: Int) {
        let want: Int32 = work < singleThreadWork ? 1 : maxThreads
        if want != current {
            openblas_set_num_threads(want)
            current = want
        }
    }
}

/// Row-major `C = alpha·op(A)·op(B) + beta·C` for the mid-sized products of a training step (a layer
/// over a batch): between ~4M and 2^26 multiply-adds, the rows of C are split in two and run on the
/// caller and `ParallelParts`' helper, each part a single-threaded OpenBLAS call. OpenBLAS's own threads
/// lose at these sizes here (see `BLASThreads`); a busy helper leaves both halves to the caller.
/// The halves compute each element with the same operations as the whole product would.
enum SplitGEMM {
    static let minimumWork = 1 << 22

    static func sgemm(_ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                      c: UnsafeMutablePointer<Float>, ldc: Int) {
        let work = m * n * k
        BLASThreads.choose(work: work)
        guard m > 0 && n > 0 && k > 0 else { return }
        let parts = work >= minimumWork && work < BLASThreads.singleThreadWork && m >= 32 ? ParallelParts.threads : 1
        // Row r of op(A) starts at row r of A, or at column r when A is transposed.
        let rowStride = transA == CblasNoTrans ? lda : 1
        _ = ParallelParts.forEachRange(of: m, parts: parts) { rows in
            cblas_sgemm(CblasRowMajor, transA, transB, Int32(rows.count), Int32(n), Int32(k), alpha,
                        a + rows.lowerBound * rowStride, Int32(lda), b, Int32(ldb), beta,
                        c + rows.lowerBound * ldc, Int32(ldc))
            return true
        }
    }
}

/// OpenBLAS's worker threads, seen from outside the engine.
public enum BLASPool {
    @_silgen_name("blas_thread_shutdown_")
    private static func shutdown() -> Int32

    /// Stops OpenBLAS's idle worker threads, once per process. They start when the library loads and
    /// spin (sched_yield) for about 2^28 cycles waiting for work, which takes a whole core from a
    /// short `myelin run` or a kernel's start on a busy machine. This is OpenBLAS's own fork-safety path
    /// (exported by its pthread build, not in its headers); the pool restarts by itself at the next
    /// multi-threaded call (`BLASThreads.choose`).
    public static let parked: Bool = { _ = shutdown(); return true }()
}

/// A matrix operand as cblas wants it: base pointer, transpose flag and leading dimension.
private struct GEMMOperand {
    let pointer: UnsafePointer<Float>
    let transpose: CBLAS_TRANSPOSE
    let ld: Int32
    let keepAlive: Tensor
}

extension Tensor {
    /// `matmul`: dot for 1-D·1-D, matrix-vector, vector-matrix, matrix and batched products with
    /// broadcast batch dimensions, like `torch.matmul`. GEMM runs in `cblas_sgemm`.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard ndim > 0, other.ndim > 0 else {
            throw EngineError.shape("matmul: both arguments need at least 1 dimension, got \(describe(shape)) and \(describe(other.shape))")
        }
        let a = ndim == 1 ? try unsqueeze(0) : self
        let b = other.ndim == 1 ? try other.unsqueeze(-1) : other
        var out = try Tensor.batchedMatmul(a, b, shownShapes: (shape, other.shape))
        if ndim == 1 { out = try out.squeeze(-2) }
        if other.ndim == 1 { out = try out.squeeze(-1) }
        return out
    }

    /// `dot` of two 1-D tensors.
    public func dot(_ other: Tensor) throws -> Tensor {
        guard ndim == 1, other.ndim == 1 else {
            throw EngineError.shape("dot: expects two 1-D tensors, got \(describe(shape)) and \(describe(other.shape))")
        }
        return try matmul(other)
    }

    /// `outer` product of two 1-D tensors.
    public func outer(_ other: Tensor) throws -> Tensor {
        guard ndim == 1, other.ndim == 1 else {
            throw EngineError.shape("outer: expects two 1-D tensors, got \(describe(shape)) and \(describe(other.shape))")
        }
        return try unsqueeze(1).mul(other.unsqueeze(0))
    }

    /// Product of two tensors with ≥ 2 dims each (batch dims broadcast).
    static func batchedMatmul(_ a: Tensor, _ b: Tensor, shownShapes: ([Int], [Int])) throws -> Tensor {
        let (m, k) = (a.shape[a.ndim - 2], a.shape[a.ndim - 1])
        let (k2, n) = (b.shape[b.ndim - 2], b.shape[b.ndim - 1])
        guard k == k2 else {
            throw EngineError.shape("matmul: cannot multiply \(describe(shownShapes.0)) by \(describe(shownShapes.1))")
        }
        let batch = try Shapes.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
        let out = try Tensor(zeros: batch + [m, n], op: "matmul")
        try gemmInto(out, a.to(.float32), b.to(.float32), batch: batch, m: m, n: n, k: k)
        return Tensor.record(out, batch.isEmpty ? "MmBackward0" : "BmmBackward0", [a, b], saving: [a, b]) { g in
            let ga = a.requiresGrad ? try batchedMatmul(g, b.transpose(-1, -2), shownShapes: (g.shape, b.shape)).sumTo(a.shape) : nil
            let gb = b.requiresGrad ? try batchedMatmul(a.transpose(-1, -2), g, shownShapes: (a.shape, g.shape)).sumTo(b.shape) : nil
            return [ga, gb]
        }
    }

    /// A 2-D view as a GEMM operand without copying when it is row- or column-contiguous.
    private static func operand(_ t: Tensor) throws -> GEMMOperand {
        let (r, c) = (t.shape[0], t.shape[1])
        let base = t.storage.floats() + t.offset
        let fits = t.strides.allSatisfy { $0 < Int(Int32.max) }
        if fits && t.strides[1] == 1 && t.strides[0] >= Swift.max(1, c) {
            return GEMMOperand(pointer: UnsafePointer(base), transpose: CblasNoTrans, ld: Int32(t.strides[0]), keepAlive: t)
        }
        if fits && t.strides[0] == 1 && t.strides[1] >= Swift.max(1, r) {
            return GEMMOperand(pointer: UnsafePointer(base), transpose: CblasTrans, ld: Int32(t.strides[1]), keepAlive: t)
        }
        let copy = try t.contiguousCopy()
        return GEMMOperand(pointer: UnsafePointer(copy.storage.floats()), transpose: CblasNoTrans, ld: Int32(Swift.max(1, c)), keepAlive: copy)
    }

    private static func gemm(_ a: GEMMOperand, _ b: GEMMOperand, _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int) {
        cblas_sgemm(CblasRowMajor, a.transpose, b.transpose, Int32(m), Int32(n), Int32(k),
                    1, a.pointer, a.ld, b.pointer, b.ld, 0, c, Int32(Swift.max(1, n)))
    }

    private static func gemmInto(_ out: Tensor, _ a: Tensor, _ b: Tensor, batch: [Int], m: Int, n: Int, k: Int) throws {
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return }  // out is already zero
        guard m <= Int(Int32.max), n <= Int(Int32.max), k <= Int(Int32.max) else {
            throw EngineError.value("matmul: dimensions beyond 2^31 are not supported")
        }
        BLASThreads.choose(work: m &* n &* k)
        let c = out.storage.floats()
        let batchCount = batch.reduce(1, *)
        let a2 = a.ndim == 2, b2 = b.ndim == 2
        if batchCount == 1 {
            let av = a.alias(shape: [m, k], strides: Array(a.strides.suffix(2)), offset: a.offset)
            let bv = b.alias(shape: [k, n], strides: Array(b.strides.suffix(2)), offset: b.offset)
            gemm(try operand(av), try operand(bv), c, m: m, n: n, k: k)
            return
        }
        if b2 && !a2 && a.shape.dropLast(2) == batch[...] && a.isContiguous {
            // Fold the batch into rows: one big GEMM ([B·m, k] × [k, n]).
            let av = a.alias(shape: [batchCount * m, k], strides: [k, 1], offset: a.offset)
            BLASThreads.choose(work: batchCount &* m &* n &* k)
            gemm(try operand(av), try operand(b), c, m: batchCount * m, n: n, k: k)
            return
        }
        let ae = try a.broadcastView(to: batch + [m, k], op: "matmul").contiguousCopy()
        let be = try b.broadcastView(to: batch + [k, n], op: "matmul").contiguousCopy()
        let ap = ae.storage.floats(), bp = be.storage.floats()
        defer { withExtendedLifetime(ae) {}; withExtendedLifetime(be) {} }
        for i in 0..<batchCount {
            if Interruption.isRequested { throw Interrupted() }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        1, ap + i * m * k, Int32(k), bp + i * k * n, Int32(n), 0, c + i * m * n, Int32(n))
        }
    }
}
