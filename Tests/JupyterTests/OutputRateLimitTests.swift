import CZeroMQ
import Foundation
import Testing
@testable import Jupyter

/// A clock the tests move by hand.
final class FakeClock: @unchecked Sendable {
    var seconds = 100.0
    func advance(_ s: Double) { seconds += s }
}

@Suite struct OutputRateLimiterTests {
    let clock = FakeClock()

    private func limiter(bytes: Double = 1000, messages: Double = 10, window: Double = 2) -> OutputRateLimiter {
        let clock = self.clock
        return OutputRateLimiter(limit: OutputRateLimit(bytesPerSecond: bytes, messagesPerSecond: messages, window: window),
                                 now: { clock.seconds })
    }

    @Test func aBurstUpToTheWindowPassesThenTextIsCutAndDropped() {
        let l = limiter()
        #expect(l.admitText(bytes: 1500, newMessage: true) == 1500)
        #expect(!l.dropping)
        // 500 bytes left of the 2000-byte burst: a divisible fragment gets exactly that.
        #expect(l.admitText(bytes: 800, newMessage: false) == 500)
        #expect(l.dropping)
        #expect(l.admitText(bytes: 1, newMessage: false) == 0)
    }

    @Test func droppingEndsOnlyWhenTheBudgetIsHalfFullAgain() {
        let l = limiter()
        _ = l.admitText(bytes: 2000, newMessage: true)
        #expect(l.admitText(bytes: 10, newMessage: false) == 0)
        clock.advance(0.5)  // 500 bytes back: not yet half of 2000
        #expect(l.admitText(bytes: 10, newMessage: false) == 0)
        clock.advance(0.6)  // 1100 bytes back
        #expect(l.admitText(bytes: 10, newMessage: false) == 10)
        #expect(!l.dropping)
    }

    @Test func theMessageBudgetLimitsWholeMessages() {
        let l = limiter(bytes: 0, messages: 5, window: 1)
        for _ in 0..<5 { #expect(l.admitMessage(bytes: 1_000_000)) }
        #expect(!l.admitMessage(bytes: 1))
        #expect(l.dropping)
        // Text joining an open message needs no new message.
        clock.advance(3)
        #expect(l.admitText(bytes: 7, newMessage: false) == 7)
    }

    @Test func aWholeMessageLargerThanWhatIsLeftIsDropped() {
        let l = limiter()
        #expect(l.admitMessage(bytes: 1900))
        #expect(!l.admitMessage(bytes: 200))
        #expect(l.dropping)
    }

    @Test func aNewRequestIsNotSilencedByAnEarlierFlood() {
        let l = limiter()
        _ = l.admitText(bytes: 5000, newMessage: true)
        #expect(l.dropping)
        l.startRequest()
        #expect(!l.dropping)
        #expect(l.admitText(bytes: 900, newMessage: true) == 900)
    }

    @Test func zeroTurnsALimitOff() {
        let l = limiter(bytes: 0, messages: 0)
        for _ in 0..<10_000 { #expect(l.admitText(bytes: 1 << 20, newMessage: true) == 1 << 20) }
        #expect(!l.dropping)
    }

    @Test func environmentOverridesAndRejectsNonsense() {
        let set = OutputRateLimit.fromEnvironment(["MYELIN_IOPUB_DATA_RATE_LIMIT": "5000", "MYELIN_IOPUB_MSG_RATE_LIMIT": "0"])
        #expect(set.bytesPerSecond == 5000 && set.messagesPerSecond == 0)
        let bad = OutputRateLimit.fromEnvironment(["MYELIN_IOPUB_DATA_RATE_LIMIT": "-1", "MYELIN_IOPUB_MSG_RATE_LIMIT": "lots"])
        #expect(bad == OutputRateLimit())
        #expect(OutputRateLimit().notice.contains("1000000 bytes/s or 1000 messages/s"))
        #expect(OutputRateLimit().notice.filter { $0 == "\n" }.count == 1)
    }

    @Test func utf8PrefixNeverSplitsACharacter() {
        let text = "aé€😀b"  // 1 + 2 + 3 + 4 + 1 bytes
        #expect(text.utf8Prefix(maxBytes: 0) == "")
        #expect(text.utf8Prefix(maxBytes: 2) == "a")
        #expect(text.utf8Prefix(maxBytes: 3) == "aé")
        #expect(text.utf8Prefix(maxBytes: 9) == "aé€")
        #expect(text.utf8Prefix(maxBytes: 10) == "aé€😀")
        #expect(text.utf8Prefix(maxBytes: 99) == text)
    }
}

/// The publisher on a real XPUB socket (inproc), read by a SUB socket like a front-end's.
@Suite struct IOPubFloodTests {
    private struct Bench {
        let context: ZMQContext
        let publisher: IOPubPublisher
        let subscriber: ZMQSocket
        let codec = WireCodec(key: Array("k".utf8))
    }

    private func bench(_ limit: OutputRateLimit) throws -> Bench {
        let context = try ZMQContext()
        let endpoint = "inproc://iopub-\(UUID().uuidString)"
        let xpub = try context.socket(.xpub)
        try xpub.setLinger(milliseconds: 0)
        try xpub.bind(endpoint)
        let codec = WireCodec(key: Array("k".utf8))
        let publisher = try IOPubPublisher(socket: xpub, codec: codec, factory: MessageFactory(), limit: limit)
        try publisher.start()
        let sub = try context.socket(.sub)
        try sub.setLinger(milliseconds: 0)
        try sub.setOption(ZMQ_SUBSCRIBE, bytes: [])
        try sub.setOption(ZMQ_RCVHWM, 0)
        try sub.connect(endpoint)
        // The welcome says the subscription is in place.
        let welcome = try #require(try receive(sub, codec, timeoutMs: 5000))
        #expect(welcome.msgType == "iopub_welcome")
        return Bench(context: context, publisher: publisher, subscriber: sub)
    }

    private func receive(_ socket: ZMQSocket, _ codec: WireCodec, timeoutMs: Int) throws -> Message? {
        guard try zmqPoll([.socket(socket)], timeoutMs: timeoutMs).first == true else { return nil }
        return try codec.decode(try #require(try socket.receive()))
    }

    /// Every message up to the `idle` status of `parent`.
    private func untilIdle(_ b: Bench) throws -> [Message] {
        var found: [Message] = []
        while let m = try receive(b.subscriber, b.codec, timeoutMs: 5000) {
            found.append(m)
            if m.msgType == "status" && m.content["execution_state"] == "idle" { return found }
        }
        Issue.record("no idle; saw \(found.map(\.msgType))")
        return found
    }

    private func close(_ b: Bench) {
        b.publisher.stopAndWait(timeout: .now() + 2)
        b.subscriber.close()
        b.context.terminate()
    }

    private let parent: JSON = ["msg_id": "cell-1", "msg_type": "execute_request"]

    @Test func aStreamFloodIsCappedWithOneNoticeAndTheOutputBeforeItIntact() throws {
        let b = try bench(OutputRateLimit(bytesPerSecond: 10_000, messagesPerSecond: 1000, window: 1))
        defer { close(b) }
        b.publisher.publish("status", content: ["execution_state": "busy"], parent: parent)
        let line = String(repeating: "x", count: 99) + "\n"
        for _ in 0..<100_000 { b.publisher.stream(.stdout, line, parent: parent) }
        b.publisher.publish("status", content: ["execution_state": "idle"], parent: parent)
        let messages = try untilIdle(b)
        let stdout = messages.filter { $0.msgType == "stream" && $0.content["name"] == "stdout" }
            .compactMap { $0.content["text"]?.stringValue }.joined()
        let notices = messages.filter { $0.msgType == "stream" && $0.content["name"] == "stderr" }
        #expect(notices.count == 1)
        #expect(notices.first?.content["text"]?.stringValue?.contains("Output rate limit exceeded") == true)
        // The 10 kB burst, plus what refills while the loop runs (well under a second here).
        #expect(stdout.utf8.count >= 10_000 && stdout.utf8.count < 30_000, "\(stdout.utf8.count) bytes passed")
        #expect(stdout.hasPrefix(line + line))
        #expect(messages.first?.msgType == "status" && messages.last?.content["execution_state"] == "idle")
    }

    @Test func displayFloodIsDroppedButTheLatestUpdateOfEachDisplayArrivesBeforeIdle() throws {
        let b = try bench(OutputRateLimit(bytesPerSecond: 1_000_000, messagesPerSecond: 20, window: 1))
        defer { close(b) }
        b.publisher.publish("status", content: ["execution_state": "busy"], parent: parent)
        for i in 0..<5000 {
            b.publisher.publish("display_data", content: ["data": ["text/plain": .string("image \(i)")], "metadata": [:]],
                                parent: parent)
        }
        for i in 0..<5000 {
            for id in ["bar", "plot"] {
                b.publisher.publish("update_display_data",
                                    content: ["data": ["text/plain": .string("\(id) \(i)")], "metadata": [:],
                                              "transient": ["display_id": .string(id)]], parent: parent)
            }
        }
        b.publisher.publish("clear_output", content: ["wait": true], parent: parent)
        b.publisher.publish("status", content: ["execution_state": "idle"], parent: parent)
        let messages = try untilIdle(b)
        let displays = messages.filter { $0.msgType == "display_data" }
        #expect(displays.count <= 25, "\(displays.count) displays passed a 20-message burst")
        #expect(messages.filter { $0.msgType == "stream" }.count == 1)
        let updates = messages.filter { $0.msgType == "update_display_data" }
        #expect(updates.count < 100)
        for id in ["bar", "plot"] {
            let last = updates.last { $0.content["transient"]?["display_id"]?.stringValue == id }
            #expect(last?.content["data"]?["text/plain"]?.stringValue == "\(id) 4999")
        }
        #expect(messages.contains { $0.msgType == "clear_output" })
    }

    @Test func underTheLimitNothingIsDroppedAndOrderIsKept() throws {
        let b = try bench(OutputRateLimit())
        defer { close(b) }
        b.publisher.publish("status", content: ["execution_state": "busy"], parent: parent)
        for i in 0..<300 {
            b.publisher.stream(i % 3 == 0 ? .stderr : .stdout, "\(i)\n", parent: parent)
            if i % 50 == 0 {
                b.publisher.publish("display_data", content: ["data": ["text/plain": .string("d\(i)")], "metadata": [:]],
                                    parent: parent)
            }
        }
        b.publisher.publish("status", content: ["execution_state": "idle"], parent: parent)
        var seen: [String] = []
        for m in try untilIdle(b) {
            if m.msgType == "stream", let text = m.content["text"]?.stringValue {
                seen += text.split(separator: "\n").map(String.init)
            } else if m.msgType == "display_data", let text = m.content["data"]?["text/plain"]?.stringValue {
                seen.append(text)
            }
        }
        var expected: [String] = []
        for i in 0..<300 {
            expected.append("\(i)")
            if i % 50 == 0 { expected.append("d\(i)") }
        }
        #expect(seen == expected)
    }
}
