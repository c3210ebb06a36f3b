// What EngineBench and NNBench share: the clock and the measuring rule (bench/torch_timing.py is the
// same rule for their PyTorch twins, so both sides of a ratio are timed alike).
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Monotonic seconds.
public func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// `--quick` on the command line: fewer, shorter batches (a smoke check).
public let quickRun = CommandLine.arguments.contains("--quick")
private let batches = quickRun ? 3 : 5
private let budget = quickRun ? 0.1 : 0.2

/// Prints `key` and the median over `batches` of the seconds per call of `body`. One warm-up call, then a
/// probe of up to 10 calls; a batch is `iterations` calls, fewer when the probe shows that would take
/// longer than `budget` seconds (a loaded machine must not stretch the run).
public func measure(_ key: String, iterations: Int, _ body: () throws -> Void) rethrows {
    try body()
    let probe = Swift.min(iterations, 10)
    let t0 = now()
    for _ in 0..<probe { try body() }
    let perCall = Swift.max((now() - t0) / Double(probe), 1e-9)
    let n = Swift.max(1, Swift.min(iterations, Int(budget / perCall)))
    var times: [Double] = []
    for _ in 0..<batches {
        let t0 = now()
        for _ in 0..<n { try body() }
        times.append((now() - t0) / Double(n))
    }
    times.sort()
    print(key, times[times.count / 2])
}
