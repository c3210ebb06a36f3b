import Foundation

extension Notebook {
    /// The notebook as JSON (cells without an id get one first, so the result is valid 4.5).
    public var json: JSON {
        var withIDs = self
        withIDs.assignMissingCellIDs()
        var members = otherMembers
        members["nbformat"] = .int(nbformat)
        members["nbformat_minor"] = .int(nbformatMinor)
        members["metadata"] = .object(metadata)
        members["cells"] = .array(withIDs.cells.map(\.json))
        return .object(members)
    }

    /// The file text nbformat would write: sorted keys, one-space indent, non-ASCII kept,
    /// a trailing newline.
    public func serialized() -> String {
        json.pretty(indent: 1) + "\n"
    }

    /// Writes the notebook to `path`, replacing the file atomically (a reader never sees half a file).
    public func write(toFile path: String) throws {
        try Data(serialized().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads and checks the notebook at `path`.
    public static func read(fromFile path: String) throws -> Notebook {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NotebookError("cannot read the file")
        }
        return try read(bytes: [UInt8](data))
    }
}

extension NotebookCell {
    /// The cell as nbformat writes it; `source` keeps the form (string or lines) it was read in.
    public var json: JSON {
        var members = otherMembers
        members["cell_type"] = .string(kind.rawValue)
        if let id { members["id"] = .string(id) }
        members["metadata"] = .object(metadata)
        members["source"] = rawSource
        if kind == .code {
            members["outputs"] = .array(outputs.map(\.json))
            members["execution_count"] = executionCount.map { .int($0) } ?? .null
        }
        return .object(members)
    }
}
