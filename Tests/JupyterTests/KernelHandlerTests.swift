import Foundation
import Synchronization
import Testing
@testable import Jupyter

/// Records what handlers publish, in order.
final class RecordingSink: IOPubSink, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(type: String, content: JSON, parent: JSON)] = []

    var messages: [(type: String, content: JSON, parent: JSON)] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }
    var types: [String] { messages.map(\.type) }

    func publish(_ msgType: String, content: JSON, parent: JSON) {
        lock.lock(); recorded.append((msgType, content, parent)); lock.unlock()
    }

    func stream(_ name: StreamName, _ text: String, parent: JSON) {
        publish("stream", content: ["name": .string(name.rawValue), "text": .string(text)], parent: parent)
    }
}

final class ScriptedInput: InputSource {
    var answers: [String]
    var prompts: [String] = []
    init(_ answers: [String]) { self.answers = answers }
    func requestInput(prompt: String, password: Bool, request: Message) throws -> String {
        prompts.append(prompt)
        guard !answers.isEmpty else { throw InputInterrupted() }
        return answers.removeFirst()
    }
    func cancel() {}
}

@Suite struct KernelHandlerTests {
    let sink = RecordingSink()
    let handlers: KernelHandlers
    let input = ScriptedInput(["forty-two"])

    init() {
        handlers = KernelHandlers(interpreter: EchoInterpreter(), iopub: sink, input: input)
    }

    private func request(_ type: String, _ content: JSON, id: String = UUID().uuidString) -> Message {
        Message(identities: [Array("client".utf8)], header: ["msg_id": .string(id), "msg_type": .string(type)],
                content: content)
    }

    /// Runs one shell request; returns its reply and what the handler decided next.
    private func send(_ type: String, _ content: JSON) -> (Message?, KernelHandlers.Next) {
        var reply: Message?
        let next = handlers.handle(request(type, content)) { reply = $0 }
        return (reply, next)
    }

    @Test func executeIsWrappedInBusyIdleWithInputStreamAndResult() throws {
        let (reply, next) = send("execute_request", ["code": "hello"])
        #expect(next == .proceed)
        #expect(reply?.msgType == "execute_reply")
        #expect(reply?.content["status"] == "ok")
        #expect(reply?.content["execution_count"] == 1)
        #expect(reply?.identities == [Array("client".utf8)])
        #expect(sink.types == ["status", "execute_input", "stream", "execute_result", "status"])
        #expect(sink.messages[0].content["execution_state"] == "busy")
        #expect(sink.messages[4].content["execution_state"] == "idle")
        #expect(sink.messages[3].content["data"]?["text/plain"] == "hello")
        #expect(sink.messages.allSatisfy { $0.parent == reply?.parentHeader })
    }

    @Test func silentCellsShowNothingAndDoNotCount() {
        let (reply, _) = send("execute_request", ["code": "quiet", "silent": true])
        #expect(reply?.content["execution_count"] == 0)
        #expect(!sink.types.contains("execute_input") && !sink.types.contains("execute_result"))
        #expect(handlers.history.tail(10).isEmpty)
    }

    @Test func errorsPublishAndAskToAbortTheQueueOnlyWithStopOnError() {
        let (reply, next) = send("execute_request", ["code": "error"])
        #expect(reply?.content["status"] == "error")
        #expect(reply?.content["ename"] == "EchoError")
        #expect(next == .abortQueued)
        #expect(sink.types.contains("error"))
        let (_, relaxed) = send("execute_request", ["code": "error", "stop_on_error": false])
        #expect(relaxed == .proceed)
    }

    @Test func theDecisionComesBeforeTheReplyAndIdle() {
        var events: [String] = []
        _ = handlers.handle(request("execute_request", ["code": "error"]), reply: { _ in events.append("reply") },
                            decided: { events.append("decided \($0)"); events.append("published \(sink.types.count)") })
        #expect(events == ["decided abortQueued", "published 3", "reply"])
        #expect(sink.types.last == "status")
        #expect(sink.messages.last?.content["execution_state"] == "idle")
    }

    @Test func abortedRepliesKeepTheirType() {
        var reply: Message?
        handlers.abort(request("execute_request", ["code": "x"])) { reply = $0 }
        #expect(reply?.msgType == "execute_reply")
        #expect(reply?.content["status"] == "aborted")
        handlers.abort(request("complete_request", ["code": "x"])) { reply = $0 }
        #expect(reply?.msgType == "complete_reply")
        #expect(sink.types == ["status", "status", "status", "status"])
    }

    @Test func displaysUpdatesClearAndStderr() {
        _ = send("execute_request", ["code": "display a\nupdate b\nclear\nstderr oops"])
        let shown = sink.messages.filter { $0.type != "status" && $0.type != "execute_input" }
        #expect(shown.map(\.type) == ["display_data", "update_display_data", "clear_output", "stream"])
        #expect(shown[0].content["transient"]?["display_id"] == "echo")
        #expect(shown[1].content["data"]?["text/plain"] == "b")
        #expect(shown[3].content["name"] == "stderr")
    }

    @Test func inputGoesThroughStdinOnlyWhenAllowed() {
        let (allowed, _) = send("execute_request", ["code": "input name?", "allow_stdin": true])
        #expect(allowed?.content["status"] == "ok")
        #expect(input.prompts == ["name?"])
        #expect(sink.messages.contains { $0.type == "execute_result" && $0.content["data"]?["text/plain"] == "forty-two" })
        let (refused, _) = send("execute_request", ["code": "input again?", "allow_stdin": false])
        #expect(refused?.content["status"] == "error")
        #expect(refused?.content["evalue"]?.stringValue?.contains("allow_stdin is false") == true)
        #expect(input.prompts == ["name?"])
    }

    @Test func userExpressionsAreAnswered() {
        let (reply, _) = send("execute_request", ["code": "x", "user_expressions": ["a": "1+1"]])
        #expect(reply?.content["user_expressions"]?["a"]?["data"]?["text/plain"] == "1+1")
        #expect(reply?.content["user_expressions"]?["a"]?["status"] == "ok")
    }

    @Test func kernelInfoReportsProtocolAndLanguage() {
        let (reply, _) = send("kernel_info_request", [:])
        #expect(reply?.content["protocol_version"] == "5.5")
        #expect(reply?.content["implementation"] == "myelin")
        #expect(reply?.content["language_info"]?["file_extension"] == ".myl")
        #expect(reply?.content["language_info"]?["mimetype"] == "text/x-myelin")
    }

    @Test func completeInspectAndIsComplete() {
        let (completion, _) = send("complete_request", ["code": "é sl", "cursor_pos": 4])
        #expect(completion?.content["matches"] == ["sleep"])
        #expect(completion?.content["cursor_start"] == 2)
        #expect(completion?.content["cursor_end"] == 4)
        let (clamped, _) = send("complete_request", ["code": "sl", "cursor_pos": 99])
        #expect(clamped?.content["cursor_end"] == 2)
        let (found, _) = send("inspect_request", ["code": "sleep", "cursor_pos": 5, "detail_level": 1])
        #expect(found?.content["found"] == true)
        #expect(found?.content["data"]?["text/plain"]?.stringValue?.contains("detail") == true)
        let (missing, _) = send("inspect_request", ["code": "zzz", "cursor_pos": 3])
        #expect(missing?.content["found"] == false)
        #expect(send("is_complete_request", ["code": "for i in x:"]).0?.content == ["status": "incomplete", "indent": "    "])
        #expect(send("is_complete_request", ["code": "x)"]).0?.content["status"] == "invalid")
        #expect(send("is_complete_request", ["code": "x"]).0?.content["status"] == "complete")
    }

    @Test func historyTailRangeAndSearch() {
        for code in ["a = 1", "b = 2", "a = 1", "print(a)"] { _ = send("execute_request", ["code": .string(code)]) }
        let tail = send("history_request", ["hist_access_type": "tail", "n": 2]).0?.content["history"]
        #expect(tail == [[1, 3, "a = 1"], [1, 4, "print(a)"]])
        let range = send("history_request", ["hist_access_type": "range", "session": 0, "start": 2, "stop": 4]).0
        #expect(range?.content["history"] == [[1, 2, "b = 2"], [1, 3, "a = 1"]])
        let search = send("history_request", ["hist_access_type": "search", "pattern": "a*"]).0
        #expect(search?.content["history"]?.arrayValue?.count == 2)
        let unique = send("history_request", ["hist_access_type": "search", "pattern": "?*=*", "unique": true]).0
        #expect(unique?.content["history"] == [[1, 2, "b = 2"], [1, 3, "a = 1"]])
        let output = send("history_request", ["hist_access_type": "tail", "n": 1, "output": true]).0
        #expect(output?.content["history"] == [[1, 4, ["print(a)", nil]]])
        #expect(send("history_request", ["hist_access_type": "nope"]).0?.content["status"] == "error")
    }

    @Test func commsAreRefusedPolitely() {
        #expect(send("comm_info_request", [:]).0?.content == ["status": "ok", "comms": [:]])
        let (reply, _) = send("comm_open", ["comm_id": "c1", "target_name": "nobody", "data": [:]])
        #expect(reply == nil)
        #expect(sink.messages.contains { $0.type == "comm_close" && $0.content["comm_id"] == "c1" })
    }

    @Test func controlHandlesInterruptAndShutdown() {
        var reply: Message?
        #expect(handlers.handleControl(request("interrupt_request", [:])) { reply = $0 } == .proceed)
        #expect(reply?.msgType == "interrupt_reply")
        #expect(handlers.handleControl(request("shutdown_request", ["restart": true])) { reply = $0 } == .shutdown(restart: true))
        #expect(reply?.content["restart"] == true)
    }

    @Test func interruptWhileIdleDoesNotHitTheNextCell() {
        handlers.interrupt()
        let (reply, _) = send("execute_request", ["code": "sleep 0.01"])
        #expect(reply?.content["status"] == "ok")
    }

    @Test func interruptStopsARunningCell() {
        let handlers = self.handlers
        let started = Date()
        let done = Atomic<Bool>(false)
        Thread.detachNewThread {
            // Keep asking until the cell has ended: an interrupt before it starts is (rightly) ignored.
            while !done.load(ordering: .relaxed) {
                usleep(50_000)
                handlers.interrupt()
            }
        }
        let (reply, next) = send("execute_request", ["code": "sleep 30"])
        done.store(true, ordering: .relaxed)
        #expect(reply?.content["ename"] == "KeyboardInterrupt")
        #expect(next == .abortQueued)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
