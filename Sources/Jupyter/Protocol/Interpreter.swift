/// The seam between the protocol and a language (DESIGN.md, after xeus' `xinterpreter`).
/// The kernel and the headless runner drive an `Interpreter`; they know nothing of the language.
///
/// Threads: `execute`, `complete`, `inspect` and `isComplete` are called on the one execution thread,
/// in request order. `interrupt()` is called from any other thread (control channel, SIGINT handler,
/// a timeout) while `execute` runs, and must return at once.
public protocol Interpreter: AnyObject {
    /// What `kernel_info_reply` reports.
    var kernelInfo: KernelInfo { get }

    /// Runs one cell. Output (streams, displays, input requests) goes through `output` as it happens;
    /// the returned value becomes `execute_result` (unless silent) and the reply's status.
    func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome

    /// Completion at `cursorPos`, counted in Unicode scalars of `code`.
    func complete(code: String, cursorPos: Int) -> Completion

    /// Help for the name at `cursorPos` (Shift-Tab); `nil` when nothing is found.
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> DisplayData?

    /// Whether `code` is a whole cell yet (for consoles deciding to run or to continue a line).
    func isComplete(code: String) -> Completeness

    /// Asks the running `execute` to stop with `KeyboardInterrupt` soon (within 100 ms). Thread-safe.
    func interrupt()

    /// The kernel is about to exit (or restart, a fresh interpreter follows).
    func shutdown(restart: Bool)
}

/// What `kernel_info_reply` says about the implementation and the language.
public struct KernelInfo: Sendable {
    public var implementation: String
    public var implementationVersion: String
    public var banner: String
    /// `language_info`: name, version, mimetype, file_extension, pygments_lexer, codemirror_mode, …
    public var languageInfo: JSON
    /// `help_links`: a list of `{"text": …, "url": …}`.
    public var helpLinks: JSON

    public init(implementation: String, implementationVersion: String, banner: String,
                languageInfo: JSON, helpLinks: JSON = .array([])) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.banner = banner
        self.languageInfo = languageInfo
        self.helpLinks = helpLinks
    }
}

/// One `execute_request` as the interpreter sees it.
public struct ExecuteRequest: Sendable {
    public var code: String
    /// The counter shown as `In [n]`; the interpreter names the cell `Cell In[n]` in tracebacks.
    public var executionCount: Int
    public var silent: Bool
    public var storeHistory: Bool
    /// When false, `output.requestInput` throws `InputNotAllowed`.
    public var allowStdin: Bool
    /// Expressions to evaluate after the code, by name (`user_expressions`).
    public var userExpressions: [String: String]

    public init(code: String, executionCount: Int, silent: Bool = false, storeHistory: Bool = true,
                allowStdin: Bool = false, userExpressions: [String: String] = [:]) {
        self.code = code
        self.executionCount = executionCount
        self.silent = silent
        self.storeHistory = storeHistory
        self.allowStdin = allowStdin
        self.userExpressions = userExpressions
    }
}

/// A MIME bundle (`text/plain`, `text/html`, `image/png` as base64, …) with its metadata
/// (for `image/png`: `{"width": w, "height": h}` in logical pixels).
public struct DisplayData: Equatable, Sendable {
    public var data: [String: JSON]
    public var metadata: [String: JSON]

    public init(data: [String: JSON], metadata: [String: JSON] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    public static func text(_ s: String) -> DisplayData { DisplayData(data: ["text/plain": .string(s)]) }
}

public enum StreamName: String, Sendable {
    case stdout, stderr
}

/// Where a running cell sends what it shows. The kernel publishes on IOPub/stdin; the headless
/// runner records into the notebook. All methods are called on the execution thread.
public protocol ExecutionOutput: AnyObject {
    func stream(_ name: StreamName, _ text: String)
    /// `display_data` (update false) or `update_display_data` (update true, `displayID` required).
    func display(_ data: DisplayData, displayID: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// Asks the front-end for a line of input (`input_request`); blocks until the reply.
    /// Throws `InputNotAllowed` when the request had `allow_stdin` false, or `InputInterrupted`.
    func requestInput(prompt: String, password: Bool) throws -> String
}

public struct InputNotAllowed: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "input() is not available: this front-end does not accept input (allow_stdin is false)" }
}

public struct InputInterrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "input() was interrupted" }
}

/// An error as Jupyter shows it: `ename`, `evalue` and the traceback lines (may contain ANSI colour).
public struct ExecutionError: Error, Equatable, Sendable {
    public var ename: String
    public var evalue: String
    public var traceback: [String]

    public init(ename: String, evalue: String, traceback: [String]) {
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
    }
}

public enum ExecuteOutcome: Sendable {
    /// `value` is the cell's last expression (nil when there is none or it was hidden with `;`).
    case ok(value: DisplayData?, userExpressions: [String: Result<DisplayData, ExecutionError>])
    case error(ExecutionError)
}

public struct Completion: Equatable, Sendable {
    public var matches: [String]
    /// The replaced range, in Unicode scalars of the code.
    public var cursorStart: Int
    public var cursorEnd: Int
    /// Optional `_jupyter_types_experimental`-style metadata.
    public var metadata: [String: JSON]

    public init(matches: [String], cursorStart: Int, cursorEnd: Int, metadata: [String: JSON] = [:]) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
        self.metadata = metadata
    }
}

public enum Completeness: Equatable, Sendable {
    case complete
    /// More lines are needed; `indent` is the suggested indentation of the next line.
    case incomplete(indent: String)
    case invalid
    case unknown
}
