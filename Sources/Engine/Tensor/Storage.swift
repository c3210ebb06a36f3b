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

    static let physicalMemory: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        let (total, overflow) = pages.multipliedReportingOverflow(by: size)
        return overflow ? Int.max : total
    }()
}
