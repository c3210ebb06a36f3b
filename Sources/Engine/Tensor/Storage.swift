#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One reference-counted, untyped buffer that tensors and their views share.
/// The version counter rises on every in-place write so autodiff can detect stale saved tensors.
public final class Storage {
    public let byteCount: Int
    let raw: UnsafeMutableRawPointer
    /// Bumped by every in-place modification (PyTorch's version counter).
    public internal(set) var version = 0

    /// Allocates zeroed memory, refusing requests larger than the machine's physical memory.
    convenience init(byteCount: Int, zeroed: Bool = true) throws {
        let limit = Storage.physicalMemory
        guard byteCount >= 0, byteCount <= limit else {
            throw EngineError.memory("cannot allocate \(byteCount) bytes: the machine has \(limit) bytes of memory")
        }
        _ = Storage.mallocTuned
        // Kernels that overwrite every element skip the zeroing pass (one less sweep over memory).
        guard let p = zeroed ? calloc(max(byteCount, 1), 1) : malloc(max(byteCount, 1)) else {
            throw EngineError.memory("cannot allocate \(byteCount) bytes")
        }
        self.init(raw: p, byteCount: byteCount)
    }

    /// Small fixed-size buffers (scalars) that cannot meaningfully fail.
    convenience init(scalarBytes: Int) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 16)
        p.storeBytes(of: UInt64(0), as: UInt64.self)
        self.init(raw: p, byteCount: scalarBytes, allocated: true)
    }

    private let allocatedBySwift: Bool

    private init(raw: UnsafeMutableRawPointer, byteCount: Int, allocated: Bool = false) {
        self.raw = raw
        self.byteCount = byteCount
        self.allocatedBySwift = allocated
    }

    deinit { if allocatedBySwift { raw.deallocate() } else { free(raw) } }

    @inline(__always) func floats() -> UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
    @inline(__always) func ints() -> UnsafeMutablePointer<Int64> { raw.assumingMemoryBound(to: Int64.self) }
    @inline(__always) func bools() -> UnsafeMutablePointer<Bool> { raw.assumingMemoryBound(to: Bool.self) }

    func bumpVersion() { version &+= 1 }

    /// glibc serves blocks above its mmap threshold (128 KiB at first) with fresh mappings and trims
    /// the heap top as soon as it is freed, so a training step that frees and reallocates the same
    /// megabyte-sized buffers pays a page fault per 4 KiB page every step (a third of LeNet's and the
    /// MLP's step on a VM). Keeping blocks up to 32 MiB in the heap, and up to 64 MiB of free heap top,
    /// lets those buffers be reused; memory stays bounded by the peak a step needs.
    static let mallocTuned: Bool = {
        #if os(Linux)
        // mallopt is glibc's (malloc.h is outside the Glibc module); M_TRIM_THRESHOLD = −1, M_MMAP_THRESHOLD = −3.
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        return mallopt(-3, 32 << 20) == 1 && mallopt(-1, 64 << 20) == 1
        #else
        return false
        #endif
    }()

    static let physicalMemory: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        let (total, overflow) = pages.multipliedReportingOverflow(by: size)
        return overflow ? Int.max : total
    }()
}
