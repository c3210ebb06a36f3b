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

    nonisolated(unsafe) private static var canvases: [UInt8] = []

    /// A pixel array of exactly `count` bytes (contents unspecified), reused between figures of one size.
    static func takeCanvas(_ count: Int) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        if canvases.count == count { var a: [UInt8] = []; swap(&a, &canvases); return a }
        return [UInt8](repeating: 0, count: count)
    }
    static func giveCanvas(_ a: inout [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        swap(&a, &canvases)
    }
}
