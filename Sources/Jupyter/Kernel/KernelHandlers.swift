import Foundation
import Synchronization

/// The protocol core: answers each request by asking the `Interpreter`, wraps it in busy/idle on
/// IOPub and returns the reply. No sockets here, so tests drive it directly.
///
/// Threads: `handle` for shell requests runs on the execution thread, one request at a time;
/// `handleControl` runs on the control thread; `interrupt` on any thread.
public final class KernelHandlers: @unchecked Sendable {
    /// What the kernel should do after a request.
    public enum Next: Equatable, Sendable {
        case proceed
        /// An execute failed with `stop_on_error`: requests queued behind it are aborted.
        case abortQueued
        /// A `shutdown_request` was answered.
        case shutdown(restart: Bool)
    }

    static let shellTypes: Set<String> = [
        "execute_request", "kernel_info_request", "complete_request", "inspect_request",
        "is_complete_request", "history_request", "comm_info_request", "comm_open", "comm_msg",
        "comm_close", "shutdown_request",
    ]
    static let controlTypes: Set<String> = ["kernel_info_request", "interrupt_request", "shutdown_request"]

    let interpreter: Interpreter
    let iopub: IOPubSink
    let input: InputSource?
    let history: HistoryStore
    let factory: MessageFactory
    private let kernelInfoContent: JSON
    private let executing = Atomic<Bool>(false)
    /// The `In [n]` counter: cells run with `store_history`.
    public private(set) var executionCount = 0

    public init(interpreter: Interpreter, iopub: IOPubSink, input: InputSource?,
                history: HistoryStore = HistoryStore(), factory: MessageFactory = MessageFactory()) {
        self.interpreter = interpreter
        self.iopub = iopub
        self.input = input
        self.history = history
        self.factory = factory
        kernelInfoContent = KernelHandlers.kernelInfoReply(interpreter.kernelInfo)
    }

    /// Interrupts the running cell (and a pending `input()`); harmless while idle.
    public func interrupt() {
        input?.cancel()
        if executing.load(ordering: .acquiring) { interpreter.interrupt() }
    }

    /// Handles one shell request: publishes busy, sends the reply through `reply`, publishes idle.
    /// `decided` sees the outcome before the reply goes out, so the kernel can take the requests
    /// queued behind a failed cell before the client, seeing the reply, sends more.
    public func handle(_ request: Message, reply: (Message) -> Void, decided: (Next) -> Void = { _ in }) -> Next {
        iopub.publish("status", content: ["execution_state": "busy"], parent: request.header)
        defer { iopub.publish("status", content: ["execution_state": "idle"], parent: request.header) }
        let content: JSON?
        var next = Next.proceed
        switch request.msgType {
        case "execute_request": (content, next) = execute(request)
        case "kernel_info_request": content = kernelInfoContent
        case "complete_request": content = complete(request.content)
        case "inspect_request": content = inspect(request.content)
        case "is_complete_request": content = isComplete(request.content)
        case "history_request": content = historyReply(request.content)
        case "comm_info_request": content = ["status": "ok", "comms": [:]]
        case "comm_open": content = nil; refuseComm(request)
        case "shutdown_request": (content, next) = shutdown(request)
        default: content = nil  // comm_msg / comm_close for comms we never opened
        }
        decided(next)
        if let content {
            reply(factory.reply(to: request, MessageFactory.replyType(request.msgType), content: content))
        }
        return next
    }

    /// Handles a control request on the control thread; never waits for the execution thread.
    public func handleControl(_ request: Message, reply: (Message) -> Void) -> Next {
        iopub.publish("status", content: ["execution_state": "busy"], parent: request.header)
        defer { iopub.publish("status", content: ["execution_state": "idle"], parent: request.header) }
        var next = Next.proceed
        let content: JSON
        switch request.msgType {
        case "interrupt_request": interrupt(); content = ["status": "ok"]
        case "shutdown_request": (content, next) = shutdown(request)
        default: content = kernelInfoContent
        }
        reply(factory.reply(to: request, MessageFactory.replyType(request.msgType), content: content))
        return next
    }

    /// Answers a request queued behind a failed cell with status "aborted" (wrapped in busy/idle).
    public func abort(_ request: Message, reply: (Message) -> Void) {
        guard request.msgType.hasSuffix("_request") else { return }
        iopub.publish("status", content: ["execution_state": "busy"], parent: request.header)
        var content: [String: JSON] = ["status": "aborted"]
        if request.msgType == "execute_request" { content["execution_count"] = .int(executionCount) }
        reply(factory.reply(to: request, MessageFactory.replyType(request.msgType), content: .object(content)))
        iopub.publish("status", content: ["execution_state": "idle"], parent: request.header)
    }

    private func shutdown(_ request: Message) -> (JSON, Next) {
        let restart = request.content["restart"]?.boolValue ?? false
        return (["status": "ok", "restart": .bool(restart)], .shutdown(restart: restart))
    }

    private func refuseComm(_ request: Message) {
        let commID = request.content["comm_id"] ?? ""
        let target = request.content["target_name"]?.stringValue ?? ""
        KernelLog.warn("no comm target '\(target)'; closing comm")
        iopub.publish("comm_close", content: ["comm_id": commID, "data": [:]], parent: request.header)
    }

    static func kernelInfoReply(_ info: KernelInfo) -> JSON {
        ["status": "ok", "protocol_version": .string(MessageFactory.protocolVersion),
         "implementation": .string(info.implementation),
         "implementation_version": .string(info.implementationVersion),
         "banner": .string(info.banner), "language_info": info.languageInfo,
         "help_links": info.helpLinks, "debugger": false]
    }
}

// MARK: execute

extension KernelHandlers {
    private func execute(_ request: Message) -> (JSON, Next) {
        let c = request.content
        guard let code = c["code"]?.stringValue else {
            return (errorReply(ename: "BadRequest", evalue: "execute_request has no string 'code'"), .proceed)
        }
        let silent = c["silent"]?.boolValue ?? false
        let storeHistory = silent ? false : (c["store_history"]?.boolValue ?? true)
        let allowStdin = c["allow_stdin"]?.boolValue ?? true
        let stopOnError = c["stop_on_error"]?.boolValue ?? true
        var expressions: [String: String] = [:]
        for (name, value) in c["user_expressions"]?.objectValue ?? [:] {
            if let text = value.stringValue { expressions[name] = text }
        }
        if storeHistory {
            executionCount += 1
            history.append(line: executionCount, input: code)
        }
        let count = executionCount
        if !silent {
            iopub.publish("execute_input", content: ["code": .string(code), "execution_count": .int(count)],
                          parent: request.header)
        }
        let output = KernelOutput(iopub: iopub, input: input, request: request, allowStdin: allowStdin)
        let cell = ExecuteRequest(code: code, executionCount: count, silent: silent, storeHistory: storeHistory,
                                  allowStdin: allowStdin, userExpressions: expressions)
        executing.store(true, ordering: .releasing)
        let outcome = interpreter.execute(cell, output: output)
        executing.store(false, ordering: .releasing)

        switch outcome {
        case .ok(let value, let userExpressions):
            if let value, !silent {
                iopub.publish("execute_result", content: ["execution_count": .int(count), "data": .object(value.data),
                                                          "metadata": .object(value.metadata)], parent: request.header)
            }
            var results: [String: JSON] = [:]
            for (name, result) in userExpressions {
                switch result {
                case .success(let d): results[name] = ["status": "ok", "data": .object(d.data), "metadata": .object(d.metadata)]
                case .failure(let e): results[name] = errorContent(e, status: true)
                }
            }
            return (["status": "ok", "execution_count": .int(count), "user_expressions": .object(results),
                     "payload": []], .proceed)
        case .error(let e):
            iopub.publish("error", content: errorContent(e, status: false), parent: request.header)
            var reply = errorContent(e, status: true)
            if case .object(var members) = reply {
                members["execution_count"] = .int(count)
                members["user_expressions"] = [:]
                members["payload"] = []
                reply = .object(members)
            }
            return (reply, stopOnError ? .abortQueued : .proceed)
        }
    }

    private func errorContent(_ e: ExecutionError, status: Bool) -> JSON {
        var members: [String: JSON] = ["ename": .string(e.ename), "evalue": .string(e.evalue),
                                       "traceback": .array(e.traceback.map { .string($0) })]
        if status { members["status"] = "error" }
        return .object(members)
    }

    private func errorReply(ename: String, evalue: String) -> JSON {
        ["status": "error", "ename": .string(ename), "evalue": .string(evalue), "traceback": [],
         "execution_count": .int(executionCount)]
    }
}
