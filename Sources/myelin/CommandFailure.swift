/// A failure the CLI reports in one line with a chosen exit code (2: usage or unreadable input).
struct CommandFailure: Error {
    let message: String
    let code: Int32

    init(_ message: String, code: Int32 = 2) {
        self.message = message
        self.code = code
    }
}
