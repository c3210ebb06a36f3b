/// The `ExecutionOutput` of one `execute_request` in the kernel: streams and displays go to
/// IOPub with the request as parent, input goes through stdin when the request allows it.
final class KernelOutput: ExecutionOutput {
    private let iopub: IOPubSink
    private let input: InputSource?
    private let request: Message
    private let allowStdin: Bool

    init(iopub: IOPubSink, input: InputSource?, request: Message, allowStdin: Bool) {
        self.iopub = iopub
        self.input = input
        self.request = request
        self.allowStdin = allowStdin
    }

    func stream(_ name: StreamName, _ text: String) {
        iopub.stream(name, text, parent: request.header)
    }

    func display(_ data: DisplayData, displayID: String?, update: Bool) {
        var content: [String: JSON] = ["data": .object(data.data), "metadata": .object(data.metadata)]
        if let displayID { content["transient"] = ["display_id": .string(displayID)] }
        if update && displayID == nil {
            KernelLog.warn("update_display_data without a display_id; sent as display_data")
        }
        let type = update && displayID != nil ? "update_display_data" : "display_data"
        iopub.publish(type, content: .object(content), parent: request.header)
    }

    func clearOutput(wait: Bool) {
        iopub.publish("clear_output", content: ["wait": .bool(wait)], parent: request.header)
    }

    func requestInput(prompt: String, password: Bool) throws -> String {
        guard allowStdin, let input else { throw InputNotAllowed() }
        return try input.requestInput(prompt: prompt, password: password, request: request)
    }
}
