import Foundation
import Testing
@testable import Jupyter

/// Replays the committed fuzz corpus (fuzz/corpus) through the parsers that take outside bytes, then
/// a short bounded mutation run from it (`make fuzz` runs libFuzzer for longer). Reaching the end
/// without a trap is the main assertion; the seeds must also still parse.
@Suite struct FuzzCorpusTests {
    static let corpusDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz/corpus")

    static func corpus() -> [(String, [UInt8])] {
        guard let walker = FileManager.default.enumerator(atPath: corpusDir.path) else { return [] }
        var files: [(String, [UInt8])] = []
        for case let path as String in walker {
            let full = corpusDir.appendingPathComponent(path)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue,
                  let data = FileManager.default.contents(atPath: full.path) else { continue }
            files.append((path, Array(data)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    @Test func seedsOfEveryKindArePresentAndParse() throws {
        let files = Self.corpus()
        #expect(files.count >= 15)
        for (path, bytes) in files {
            FuzzTargets.run(bytes)
            let body = Array(bytes.dropFirst())
            if path.hasPrefix("wire/"), !["wire/unsigned", "wire/no_delimiter"].contains(path) {
                let message = try WireCodec(key: FuzzTargets.wireKey).decode(FuzzTargets.splitFrames(body))
                #expect(!message.msgType.isEmpty, "\(path)")
            }
            if path.hasPrefix("json/") { _ = try JSON.parse(bytes: body) }
            if path.hasPrefix("notebook/") { _ = try Notebook.read(bytes: body) }
            if path.hasPrefix("connection/") { _ = try ConnectionInfo.parse(body) }
        }
        #expect(files.contains { $0.0.hasPrefix("wire/") } && files.contains { $0.0.hasPrefix("notebook/") })
    }

    @Test func curveKeysAreReadFromTheConnectionFile() throws {
        let bytes = try #require(Self.corpus().first { $0.0 == "connection/curve.json" }).1
        let info = try ConnectionInfo.parse(Array(bytes.dropFirst()))
        #expect(info.curveSecretKey?.utf8.count == 40 && info.curvePublicKey?.utf8.count == 40)
        let short = #"{"ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "curve_secretkey": "abc"}"#
        #expect(throws: ConnectionFileError.self) { try ConnectionInfo.parse(Array(short.utf8)) }
    }

    /// Byte flips, insertions, deletions, splices and frame-separator games on the seeds.
    @Test func boundedMutationRunNeverTraps() {
        let seeds = Self.corpus().map(\.1)
        var state: UInt64 = 0xF0F0_1234
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        let started = Date()
        var runs = 0
        let interesting: [[UInt8]] = [[0, 0xFF], Array("<IDS|MSG>".utf8), [0x22], [0x5B], [0x7B], [0x5C, 0x75, 0x64, 0x38],
                                      Array("1e99999".utf8), [0xC3], [0xF0, 0x9F], Array("\"cells\"".utf8)]
        while runs < 20_000 && Date().timeIntervalSince(started) < 15 {
            var input = seeds[next() % seeds.count]
            for _ in 0..<(1 + next() % 4) where input.count > 1 {
                let i = 1 + next() % (input.count - 1)
                switch next() % 5 {
                case 0: input[i] = UInt8(truncatingIfNeeded: next())
                case 1: input.remove(at: i)
                case 2: input.insert(contentsOf: interesting[next() % interesting.count], at: i)
                case 3: input.removeSubrange(i..<min(input.count, i + 1 + next() % 64))
                default:
                    let other = seeds[next() % seeds.count]
                    let j = next() % other.count
                    input.replaceSubrange(i..<input.count, with: other[j...])
                }
            }
            FuzzTargets.run(input)
            runs += 1
        }
        #expect(runs >= 1000)
    }
}
