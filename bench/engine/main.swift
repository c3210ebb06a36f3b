// Engine micro-benchmarks (not tests): per-op overhead, GEMM efficiency, elementwise throughput.
// Run: swift run -c release EngineBench
import COpenBLAS
import Engine

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Best-of-`repeats` seconds per iteration of `body` run `iterations` times.
func measure(iterations: Int, repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let t0 = now()
        for _ in 0..<iterations { try body() }
        best = min(best, (now() - t0) / Double(iterations))
    }
    return best
}

func fmt(_ x: Double, _ digits: Int = 2) -> String {
    let p = pow(10.0, Double(digits))
    return String((x * p).rounded() / p)
}

do {
    print("== per-op overhead (4-element tensors) ==")
    let a = try Tensor.rand([4]).requiresGrad_()
    let b = try Tensor.rand([4]).requiresGrad_()
    let tGrad = try measure(iterations: 200_000) { _ = try a.add(b) }
    let tNoGrad = try withNoGrad { try measure(iterations: 200_000) { _ = try a.add(b) } }
    let tBackward = try measure(iterations: 20_000) {
        let y = try a.mul(b).add(a).sum()
        try y.backward()
    }
    print("add with grad recording: \(fmt(tGrad * 1e6, 3)) µs   (PyTorch ≈ 5 µs → \(fmt(5e-6 / tGrad, 1))× faster)")
    print("add under no_grad:       \(fmt(tNoGrad * 1e6, 3)) µs")
    print("mul+add+sum+backward:    \(fmt(tBackward * 1e6, 3)) µs")

    print("== 1024³ sgemm ==")
    let n = 1024
    let x = try Tensor.randn([n, n]), y = try Tensor.randn([n, n])
    let xs = x.floatArray(), ys = y.floatArray()
    var c = [Float](repeating: 0, count: n * n)
    openblas_set_num_threads(openblas_get_num_procs())
    let tDirect = measure(iterations: 3) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, xs, Int32(n), ys, Int32(n), 0, &c, Int32(n))
    }
    let tEngine = try measure(iterations: 3) { _ = try x.matmul(y) }
    let gflops = { (t: Double) in 2 * Double(n * n * n) / t / 1e9 }
    print("cblas_sgemm direct: \(fmt(tDirect * 1e3)) ms (\(fmt(gflops(tDirect), 1)) GFLOP/s)")
    print("engine matmul:      \(fmt(tEngine * 1e3)) ms (\(fmt(gflops(tEngine), 1)) GFLOP/s)")
    print("engine / direct throughput: \(fmt(100 * tDirect / tEngine, 1)) %")
    let small = try Tensor.randn([32, 32])
    let tSmall = try measure(iterations: 20_000) { _ = try small.matmul(small) }
    print("32×32 matmul (single-threaded path): \(fmt(tSmall * 1e6, 2)) µs")

    print("== elementwise, 1M float32 elements ==")
    let m = 1 << 20
    let u = try Tensor.rand([m]), v = try Tensor.rand([m])
    let us = u.floatArray(), vs = v.floatArray()
    var w = [Float](repeating: 0, count: m)
    let tLoop = measure(iterations: 50) {
        us.withUnsafeBufferPointer { p in vs.withUnsafeBufferPointer { q in w.withUnsafeMutableBufferPointer { r in
            for i in 0..<m { r[i] = p[i] + q[i] }
        } } }
    }
    let tAdd = try measure(iterations: 50) { _ = try u.add(v) }
    let tMul = try measure(iterations: 50) { _ = try u.mul(v) }
    let tExp = try measure(iterations: 20) { _ = try u.exp() }
    let tRelu = try measure(iterations: 50) { _ = try u.relu() }
    let tSum = try measure(iterations: 50) { _ = try u.sum() }
    let bytes = Double(3 * 4 * m)
    print("plain Swift loop c=a+b (preallocated): \(fmt(tLoop * 1e6, 1)) µs  \(fmt(bytes / tLoop / 1e9)) GB/s")
    print("engine add: \(fmt(tAdd * 1e6, 1)) µs  \(fmt(bytes / tAdd / 1e9)) GB/s  (\(fmt(100 * tLoop / tAdd, 1)) % of the loop)")
    print("engine mul: \(fmt(tMul * 1e6, 1)) µs  \(fmt(bytes / tMul / 1e9)) GB/s")
    print("engine exp: \(fmt(tExp * 1e6, 1)) µs;  relu: \(fmt(tRelu * 1e6, 1)) µs;  sum: \(fmt(tSum * 1e6, 1)) µs")
    print("== conv2d ==")
    let img = try Tensor.randn([16, 16, 32, 32]), k = try Tensor.randn([32, 16, 3, 3])
    let tConv = try measure(iterations: 3, repeats: 3) { _ = try Functional.conv2d(img, k, nil, padding: (1, 1)) }
    let flops = 2.0 * 16 * 32 * 32 * 32 * 16 * 9
    print("conv2d [16,16,32,32] * [32,16,3,3] pad 1: \(fmt(tConv * 1e3)) ms (\(fmt(flops / tConv / 1e9, 1)) GFLOP/s)")
} catch {
    print("benchmark failed: \(error)")
}
