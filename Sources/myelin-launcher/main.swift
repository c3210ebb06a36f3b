// myelin-launcher: the command a Jupyter kernelspec runs to start a Myelin kernel.
//
// Why it exists: jupyter_client connects to the kernel's ports about 20 ms after launching it, and a
// connection attempt that arrives before a port is bound is only retried after ZeroMQ's 100 ms
// reconnect interval. The full `myelin` binary needs 20–30 ms to reach its bind (loading its libraries,
// starting the runtime). This small program, linked with nothing but libc and a static Swift runtime,
// opens the connection file's TCP ports as listening sockets within a few milliseconds, then becomes
// `myelin kernel -f FILE` by exec (same process, so Jupyter's signals still reach the kernel). Early
// connections wait in the listen backlog; the kernel adopts the sockets (ZeroMQ's ZMQ_USE_FD) when its
// `MYELIN_LISTENING_SOCKETS` variable names them.
//
// Anything unexpected — an unreadable file, another transport, a port in use — skips the pre-binding,
// and `myelin kernel` itself reports the problem as usual.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The channels' port keys in a connection file.
let portKeys = ["shell_port", "iopub_port", "control_port", "stdin_port", "hb_port"]

/// Reads a whole (small) file; nil if it cannot.
func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { return nil }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return nil
}

/// The value of `"key": value` in a connection file when it is a plain string (no escapes) or a
/// non-negative integer, as text; nil otherwise. Enough for the fields read here: whatever it gets
/// wrong only costs the pre-binding, since the kernel checks each socket's port before adopting it.
func field(_ key: String, in text: [UInt8]) -> String? {
    let needle = Array("\"\(key)\"".utf8)
    guard text.count >= needle.count else { return nil }
    var i = 0
    while i + needle.count <= text.count, !text[i..<(i + needle.count)].elementsEqual(needle) { i += 1 }
    guard i + needle.count <= text.count else { return nil }
    i += needle.count
    func skipSpaces() { while i < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[i]) { i += 1 } }
    skipSpaces()
    guard i < text.count, text[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    skipSpaces()
    guard i < text.count else { return nil }
    var value: [UInt8] = []
    if text[i] == UInt8(ascii: "\"") {
        i += 1
        while i < text.count, text[i] != UInt8(ascii: "\"") {
            if text[i] == UInt8(ascii: "\\") { return nil }
            value.append(text[i])
            i += 1
        }
        guard i < text.count else { return nil }
    } else {
        while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") { value.append(text[i]); i += 1 }
        guard !value.isEmpty else { return nil }
    }
    return String(decoding: value, as: UTF8.self)
}

/// A TCP socket bound to ip:port and listening, as ZeroMQ's own listener makes it; nil on any failure.
func listeningSocket(ip: String, port: Int) -> Int32? {
    guard port > 0, port < 65536 else { return nil }
    var v4 = sockaddr_in()
    var v6 = sockaddr_in6()
    let family: Int32
    if inet_pton(AF_INET, ip, &v4.sin_addr) == 1 {
        family = AF_INET
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_port = in_port_t(UInt16(port).bigEndian)
    } else if inet_pton(AF_INET6, ip, &v6.sin6_addr) == 1 {
        family = AF_INET6
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(port).bigEndian)
    } else {
        return nil
    }
    #if canImport(Glibc)
    let stream = Int32(SOCK_STREAM.rawValue)
    #else
    let stream = SOCK_STREAM
    #endif
    let fd = socket(family, stream, 0)
    guard fd >= 0 else { return nil }
    var one: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound: Int32 = family == AF_INET
        ? withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        : withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
    guard bound == 0, listen(fd, 100) == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// `PORT=FD,…` for the connection file's five TCP ports, all bound, or nil (and nothing left open).
func prebind(connectionFile path: String) -> String? {
    guard let text = readFile(path), field("transport", in: text) ?? "tcp" == "tcp",
          let ip = field("ip", in: text) else { return nil }
    var pairs: [(port: Int, fd: Int32)] = []
    for key in portKeys {
        guard let port = field(key, in: text).flatMap({ Int($0) }), !pairs.contains(where: { $0.port == port }),
              let fd = listeningSocket(ip: ip, port: port) else {
            for pair in pairs { close(pair.fd) }
            return nil
        }
        pairs.append((port, fd))
    }
    return pairs.map { "\($0.port)=\($0.fd)" }.joined(separator: ",")
}

/// The `myelin` binary beside this one.
func myelinPath() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    var own = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    if let slash = own.lastIndex(of: "/") { own = String(own[..<slash]) } else { own = "." }
    return own + "/myelin"
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 2, arguments[0] == "-f" || arguments[0] == "--file",
   let sockets = prebind(connectionFile: arguments[1]) {
    setenv("MYELIN_LISTENING_SOCKETS", sockets, 1)
}
let target = myelinPath()
let argv = [target, "kernel"] + arguments
var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
execv(target, &cArguments)
let reason = String(cString: strerror(errno))
fputs("myelin-launcher: cannot start \(target): \(reason) (is the myelin binary beside this launcher?)\n", stderr)
exit(1)
