import Foundation

/// Large scratch arrays reused across renders: fresh multi-megabyte allocations cost more in page faults
/// and zeroing than the drawing itself. Take one, use it, give it back (arrays move, nothing is copied).
enum Scratch {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var floats: [Float] = []
    nonisolated(unsafe) private static var bytes: [UInt8] = []

    /// A zero-filled array of at least `count` floats; callers must hand it back all zeros.
    static func takeFloats(_ count: Int) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        var a: [Float] = []
        swap(&a, &floats)
        if a.count < count { a = [Float](repeating: 0, count: count) }
        return a
    }
    static func giveFloats(_ a: inout [Float]) {
        lock.lock(); defer { lock.unlock() }
        if a.count > floats.count { swap(&a, &floats) }
    }

    /// An array of at least `count` bytes with unspecified contents.
    static func takeBytes(_ count: Int) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        var a: [UInt8] = []
        swap(&a, &bytes)
        if a.count < count { a = [UInt8](repeating: 0, count: count) }
        return a
    }
    static func giveBytes(_ a: inout [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        if a.count > bytes.count { swap(&a, &bytes) }
    }
}
