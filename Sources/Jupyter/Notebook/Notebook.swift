/// A notebook in nbformat 4, as read from a `.ipynb` file.
///
/// Only what the headless runner needs is typed; everything else (notebook and cell metadata the
/// runner does not use, attachments, keys added by other tools) is carried through unchanged, so a
/// notebook written back differs from the one read only where cells were executed.
public struct Notebook: Equatable, Sendable {
    public var nbformat: Int
    public var nbformatMinor: Int
    /// The notebook's `metadata` object (kernelspec, language_info, anything else), kept as read.
    public var metadata: [String: JSON]
    public var cells: [NotebookCell]
    /// Top-level members other than the four above, kept as read.
    public var otherMembers: [String: JSON]

    public init(nbformat: Int = 4, nbformatMinor: Int = 5, metadata: [String: JSON] = [:],
                cells: [NotebookCell] = [], otherMembers: [String: JSON] = [:]) {
        self.nbformat = nbformat
        self.nbformatMinor = nbformatMinor
        self.metadata = metadata
        self.cells = cells
        self.otherMembers = otherMembers
    }
}

/// One cell. Markdown and raw cells are never changed by the runner; code cells get new
/// `outputs`, `execution_count` and `metadata.execution`.
public struct NotebookCell: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case code, markdown, raw
    }

    public var kind: Kind
    /// The nbformat 4.5 cell id (`nil` only until the reader or writer assigns one).
    public var id: String?
    /// The `source` exactly as the file had it: a string, or a list of lines.
    public var rawSource: JSON
    public var metadata: [String: JSON]
    /// Code cells only.
    public var outputs: [NotebookOutput]
    /// Code cells only; `nil` is written as `null`.
    public var executionCount: Int?
    /// Members other than the ones above (`attachments`, keys added by other tools), kept as read.
    public var otherMembers: [String: JSON]

    public init(kind: Kind, id: String? = nil, source: String, metadata: [String: JSON] = [:],
                outputs: [NotebookOutput] = [], executionCount: Int? = nil, otherMembers: [String: JSON] = [:]) {
        self.kind = kind
        self.id = id
        self.rawSource = .array(NotebookText.splitLines(source).map { .string($0) })
        self.metadata = metadata
        self.outputs = outputs
        self.executionCount = executionCount
        self.otherMembers = otherMembers
    }

    /// The cell's text, joined when the file stored it as a list of lines.
    public var source: String {
        switch rawSource {
        case .string(let s): return s
        case .array(let lines): return lines.compactMap(\.stringValue).joined()
        default: return ""
        }
    }

    /// The cell's `metadata.tags` (strings only).
    public var tags: [String] {
        metadata["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

/// Text helpers shared by the reader and writer.
public enum NotebookText {
    /// Splits after each line break, keeping the breaks, like Python's `str.splitlines(True)`
    /// (which nbformat uses when it writes): `\n`, `\r\n`, `\r`, `\v`, `\f`, `\x1c`–`\x1e`,
    /// `\x85`, U+2028 and U+2029 each end a line.
    public static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            current.append(scalar)
            let isBreak: Bool
            switch scalar.value {
            case 0x0D:
                if pending == "\n" {
                    current.append("\n")
                    pending = scalars.next()
                }
                isBreak = true
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: isBreak = true
            default: isBreak = false
            }
            if isBreak {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }
}
