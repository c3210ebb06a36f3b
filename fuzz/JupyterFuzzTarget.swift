// libFuzzer entry point for the Jupyter layer's parsers: the wire decoder, the JSON parser and the
// nbformat reader. Built by `make fuzz` together with Sources/Jupyter (swiftc -sanitize=fuzzer).
// The first byte of an input picks the target; the rest is its input:
//   'w' wire frames separated by the byte 0x00 0xFF (signed with the key "fuzz", or not),
//   'j' JSON text, 'n' a notebook file, 'c' a connection file.
// A crash, trap or leak-check failure is a finding: add the input to fuzz/corpus and a regression test.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJupyter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTargets.run(bytes)
    return 0
}
