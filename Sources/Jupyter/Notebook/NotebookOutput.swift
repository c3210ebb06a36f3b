/// One entry of a code cell's `outputs`.
///
/// Outputs the runner records are typed; outputs read from a file (of cells the runner does not
/// execute) stay `stored` and are written back exactly as read.
public enum NotebookOutput: Equatable, Sendable {
    case stream(name: StreamName, text: String)
    case displayData(DisplayData)
    case executeResult(DisplayData, executionCount: Int)
    case error(ExecutionError)
    /// An output read from a file, kept as it was.
    case stored(JSON)

    /// The output as nbformat writes it: multi-line text split into lists of lines (stream text,
    /// `text/*`, `application/javascript` and `image/svg+xml`), like nbformat's `split_lines`.
    public var json: JSON {
        switch self {
        case .stream(let name, let text):
            return ["output_type": "stream", "name": .string(name.rawValue), "text": NotebookOutput.lines(text)]
        case .displayData(let bundle):
            return ["output_type": "display_data", "data": NotebookOutput.mimeBundle(bundle.data),
                    "metadata": .object(bundle.metadata)]
        case .executeResult(let bundle, let count):
            return ["output_type": "execute_result", "execution_count": .int(count),
                    "data": NotebookOutput.mimeBundle(bundle.data), "metadata": .object(bundle.metadata)]
        case .error(let error):
            return ["output_type": "error", "ename": .string(error.ename), "evalue": .string(error.evalue),
                    "traceback": .array(error.traceback.map { .string($0) })]
        case .stored(let json):
            return json
        }
    }

    /// True for the outputs a display id can target (`display_data` and `execute_result`).
    var carriesDisplay: Bool {
        switch self {
        case .displayData, .executeResult: return true
        case .stored(let json):
            let type = json["output_type"]?.stringValue
            return type == "display_data" || type == "execute_result"
        default: return false
        }
    }

    /// The same output showing `bundle` instead (what `update_display_data` does to its target).
    func replacingDisplay(with bundle: DisplayData) -> NotebookOutput {
        switch self {
        case .displayData: return .displayData(bundle)
        case .executeResult(_, let count): return .executeResult(bundle, executionCount: count)
        case .stored(let json):
            guard var members = json.objectValue else { return self }
            members["data"] = NotebookOutput.mimeBundle(bundle.data)
            members["metadata"] = .object(bundle.metadata)
            return .stored(.object(members))
        default: return self
        }
    }

    private static let splitMimeTypes: Set<String> = ["application/javascript", "image/svg+xml"]

    static func mimeBundle(_ data: [String: JSON]) -> JSON {
        var out: [String: JSON] = [:]
        for (mime, value) in data {
            if case .string(let text) = value, mime.hasPrefix("text/") || splitMimeTypes.contains(mime) {
                out[mime] = lines(text)
            } else {
                out[mime] = value
            }
        }
        return .object(out)
    }

    static func lines(_ text: String) -> JSON {
        .array(NotebookText.splitLines(text).map { .string($0) })
    }
}
