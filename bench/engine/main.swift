// Engine micro-benchmarks (not tests): per-op overhead, sgemm against raw OpenBLAS, conv2d forward+backward,
// elementwise throughput. bench/engine/torch_engine.py times the same operations in PyTorch; bench/run.py
// runs both alternately and divides.
// Run: swift run -c release EngineBench [--quick]
// Prints one "key seconds" line per measurement (the median of several timed batches).
import COpenBLAS
import BenchTiming
import Engine

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

do {
    RandomGenerator.shared.reseed(0)
    // Per-op overhead: 4-element tensors, so the time is the op's bookkeeping, not its arithmetic.
    let a = try Tensor.rand([4]).requiresGrad_()
    let b = try Tensor.rand([4]).requiresGrad_()
    try measure("op_add_grad", iterations: 100_000) { _ = try a.add(b) }
    try withNoGrad { try measure("op_add_nograd", iterations: 100_000) { _ = try a.add(b) } }
    try measure("op_mul_add_sum_backward", iterations: 10_000) {
        let y = try a.mul(b).add(a).sum()
        try y.backward()
    }

    // 1024³ sgemm: the engine's matmul against cblas_sgemm called directly, both on 2 OpenBLAS threads.
    let n = 1024
    let x = try Tensor.randn([n, n]), y = try Tensor.randn([n, n])
    let xs = x.floatArray(), ys = y.floatArray()
    var c = [Float](repeating: 0, count: n * n)
    try measure("sgemm", iterations: 4) { _ = try x.matmul(y) }
    openblas_set_num_threads(2)  // the engine's policy for a product this size; set again below in case it differs
    measure("sgemm_openblas", iterations: 4) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, xs, Int32(n), ys,
                    Int32(n), 0, &c, Int32(n))
    }
    let small = try Tensor.randn([32, 32])
    try measure("matmul32", iterations: 20_000) { _ = try small.matmul(small) }

    // conv2d forward and backward: batch 16, 16→32 channels, 32×32, 3×3, padding 1.
    let img = try Tensor.randn([16, 16, 32, 32]).requiresGrad_()
    let k = try Tensor.randn([32, 16, 3, 3]).requiresGrad_()
    try withNoGrad { try measure("conv2d_forward", iterations: 4) { _ = try Functional.conv2d(img, k, nil, padding: (1, 1)) } }
    try measure("conv2d_forward_backward", iterations: 3) {
        img.grad = nil; k.grad = nil
        try Functional.conv2d(img, k, nil, padding: (1, 1)).sum().backward()
    }

    // Elementwise on 2^20 float32 elements (4 MiB per operand).
    let m = 1 << 20
    let u = try Tensor.rand([m]), v = try Tensor.rand([m])
    try measure("elem_add", iterations: 50) { _ = try u.add(v) }
    try measure("elem_mul", iterations: 50) { _ = try u.mul(v) }
    try measure("elem_exp", iterations: 20) { _ = try u.exp() }
    try measure("elem_relu", iterations: 50) { _ = try u.relu() }
    try measure("elem_sum", iterations: 50) { _ = try u.sum() }
} catch {
    print("error:", error)
    exit(1)
}
