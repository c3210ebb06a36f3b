/// OpenBLAS starts its worker threads when the library loads, and they spin (sched_yield) for
/// about 2^28 cycles waiting for work: in a short `myelin run` that spinning takes a whole core
/// from the interpreter on a busy machine. Stopping the pool is OpenBLAS's own fork-safety path
/// (`blas_thread_shutdown_`); the pool starts again by itself at the first multi-threaded BLAS call.
enum BLASPool {
    @_silgen_name("blas_thread_shutdown_")
    private static func shutdown() -> Int32

    /// Stops the idle pool once per process.
    static let parked: Bool = { _ = shutdown(); return true }()
}
