import Testing
@testable import Jupyter

@Suite struct KernelWireTests {
    let key = Array("secret-key".utf8)

    private func sample() -> Message {
        Message(identities: [[1, 2, 3], Array("client".utf8)],
                header: ["msg_id": "m1", "msg_type": "execute_request", "session": "s", "username": "u",
                         "date": "2026-01-01T00:00:00.000000Z", "version": "5.5"],
                parentHeader: [:], metadata: ["k": 1], content: ["code": "1 + 1", "é": "ü"],
                buffers: [[0, 255, 7], []])
    }

    @Test func roundTripKeepsIdentitiesPartsAndBuffers() throws {
        let frames = WireCodec(key: key).encode(sample())
        #expect(frames[2] == WireCodec.delimiter)
        #expect(frames.count == 2 + 1 + 1 + 4 + 2)
        let decoded = try WireCodec(key: key).decode(frames)
        #expect(decoded == sample())
    }

    @Test func signatureIsHMACOfTheFourParts() throws {
        let frames = WireCodec(key: key).encode(sample())
        let body = frames[4] + frames[5] + frames[6] + frames[7]
        #expect(frames[3] == Hex.encode(HMACSHA256.mac(key: key, message: body)))
    }

    @Test func noIdentitiesAndNoBuffers() throws {
        var m = sample()
        m.identities = []
        m.buffers = []
        let frames = WireCodec(key: key).encode(m)
        #expect(frames.first == WireCodec.delimiter)
        #expect(try WireCodec(key: key).decode(frames) == m)
    }

    @Test func rejectsBadMissingAndReplayedSignatures() throws {
        let frames = WireCodec(key: key).encode(sample())
        var bad = frames
        bad[3][0] = bad[3][0] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        #expect(throws: WireError.badSignature) { try WireCodec(key: key).decode(bad) }
        var missing = frames
        missing[3] = []
        #expect(throws: WireError.badSignature) { try WireCodec(key: key).decode(missing) }
        #expect(throws: WireError.badSignature) { try WireCodec(key: Array("other".utf8)).decode(frames) }
        var tampered = frames
        tampered[7] = Array(#"{"code":"rm -rf"}"#.utf8)
        #expect(throws: WireError.badSignature) { try WireCodec(key: key).decode(tampered) }

        let codec = WireCodec(key: key)
        _ = try codec.decode(frames)
        #expect(throws: WireError.replayedSignature) { try codec.decode(frames) }
    }

    @Test func replayMemoryIsBoundedButRecentReplaysAreCaught() throws {
        let codec = WireCodec(key: key, historyLimit: 4)
        let sender = WireCodec(key: key)
        var all: [[[UInt8]]] = []
        for i in 0..<10 {
            var m = sample()
            m.header = ["msg_id": .string("m\(i)"), "msg_type": "x"]
            all.append(sender.encode(m))
            _ = try codec.decode(all[i])
        }
        #expect(throws: WireError.replayedSignature) { try codec.decode(all[9]) }
    }

    @Test func unsignedModeAcceptsRepeats() throws {
        let codec = WireCodec(key: [])
        let frames = codec.encode(sample())
        #expect(frames[3] == [])
        _ = try codec.decode(frames)
        #expect(try codec.decode(frames) == sample())
    }

    @Test func malformedMessagesAreErrorsNotCrashes() throws {
        let codec = WireCodec(key: [])
        #expect(throws: WireError.missingDelimiter) { try codec.decode([[1], [2]]) }
        #expect(throws: WireError.tooFewFrames(3)) { try codec.decode([WireCodec.delimiter, [], [], []]) }
        let brace = Array("{".utf8), empty = Array("{}".utf8)
        #expect(throws: WireError.self) { try codec.decode([WireCodec.delimiter, [], brace, empty, empty, empty]) }
        #expect(throws: WireError.notAnObject(part: "content")) {
            try codec.decode([WireCodec.delimiter, [], Array(#"{"msg_id":"a","msg_type":"b"}"#.utf8), empty, empty, Array("[1]".utf8)])
        }
        #expect(throws: WireError.missingHeaderField("msg_type")) {
            try codec.decode([WireCodec.delimiter, [], Array(#"{"msg_id":"a"}"#.utf8), empty, empty, empty])
        }
    }
}
