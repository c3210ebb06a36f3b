/// Why a file is not a notebook the runner can use. The message says what is wrong and where
/// (cells counted from 1); the caller adds the file name.
public struct NotebookError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Notebook {
    /// Reads a notebook from the bytes of a `.ipynb` file, checking it enough to run it and write it
    /// back valid: nbformat 4, a `cells` list, each cell's type, source, metadata and outputs.
    /// Cells without an id (nbformat < 4.5) or with an invalid or duplicate one get a fresh id, and
    /// the notebook becomes nbformat 4.5.
    public static func read(bytes: [UInt8]) throws -> Notebook {
        let json: JSON
        do {
            json = try JSON.parse(bytes: bytes)
        } catch let error as JSONParseError {
            throw NotebookError("not valid JSON (\(error.description))")
        }
        return try Notebook(json: json)
    }

    /// Builds a notebook from its parsed JSON; see `read(bytes:)`.
    public init(json: JSON) throws {
        guard var members = json.objectValue else {
            throw NotebookError("not a notebook: the top level is not a JSON object")
        }
        guard let version = members.removeValue(forKey: "nbformat") else {
            throw NotebookError("not a notebook: it has no 'nbformat' version")
        }
        guard let major = version.intValue, major == 4 else {
            let shown = version.intValue.map(String.init) ?? version.serialized()
            throw NotebookError("nbformat \(shown) is not supported, only nbformat 4 "
                + "(convert it with 'jupyter nbconvert --to notebook --nbformat 4')")
        }
        guard let minor = members.removeValue(forKey: "nbformat_minor")?.intValue, minor >= 0 else {
            throw NotebookError("'nbformat_minor' is missing or not a whole number")
        }
        let metadata = members.removeValue(forKey: "metadata") ?? .object([:])
        guard let metadataObject = metadata.objectValue else {
            throw NotebookError("the notebook's 'metadata' is not an object")
        }
        guard let cellsJSON = members.removeValue(forKey: "cells") else {
            throw NotebookError("it has no 'cells' list")
        }
        guard let cellList = cellsJSON.arrayValue else {
            throw NotebookError("'cells' is not a list")
        }
        var cells: [NotebookCell] = []
        cells.reserveCapacity(cellList.count)
        for (index, cell) in cellList.enumerated() {
            do {
                cells.append(try NotebookCell(json: cell))
            } catch let error as NotebookError {
                throw NotebookError("cell \(index + 1): \(error.message)")
            }
        }
        self.init(nbformat: 4, nbformatMinor: max(minor, 5), metadata: metadataObject, cells: cells,
                  otherMembers: members)
        assignMissingCellIDs()
    }

    /// Gives every cell without a valid, unique id a new one (8 random hex digits, like nbformat).
    public mutating func assignMissingCellIDs() {
        var seen = Set<String>()
        for index in cells.indices {
            if let id = cells[index].id, NotebookCell.isValidID(id), !seen.contains(id) {
                seen.insert(id)
                continue
            }
            var fresh = NotebookCell.randomID()
            while seen.contains(fresh) { fresh = NotebookCell.randomID() }
            seen.insert(fresh)
            cells[index].id = fresh
        }
    }
}

extension NotebookCell {
    /// nbformat 4.5: 1 to 64 characters from `a-z A-Z 0-9 - _`.
    public static func isValidID(_ id: String) -> Bool {
        guard (1...64).contains(id.utf8.count) else { return false }
        return id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }

    static func randomID() -> String {
        let value = UInt32.random(in: 0...UInt32.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    init(json: JSON) throws {
        guard var members = json.objectValue else { throw NotebookError("not a JSON object") }
        guard let typeName = members.removeValue(forKey: "cell_type")?.stringValue else {
            throw NotebookError("no 'cell_type'")
        }
        guard let kind = Kind(rawValue: typeName) else {
            throw NotebookError("unknown cell_type '\(typeName)' (expected code, markdown or raw)")
        }
        let source = members.removeValue(forKey: "source") ?? .string("")
        switch source {
        case .string: break
        case .array(let lines) where lines.allSatisfy({ $0.stringValue != nil }): break
        default: throw NotebookError("'source' is neither a string nor a list of strings")
        }
        let metadata = members.removeValue(forKey: "metadata") ?? .object([:])
        guard let metadataObject = metadata.objectValue else { throw NotebookError("'metadata' is not an object") }
        let id = members.removeValue(forKey: "id")
        if let id, id.stringValue == nil { throw NotebookError("'id' is not a string") }

        var outputs: [NotebookOutput] = []
        var count: Int?
        if kind == .code {
            let outputList = members.removeValue(forKey: "outputs") ?? .array([])
            guard let list = outputList.arrayValue else { throw NotebookError("'outputs' is not a list") }
            for (n, output) in list.enumerated() {
                guard output["output_type"]?.stringValue != nil else {
                    throw NotebookError("output \(n + 1) has no 'output_type'")
                }
                outputs.append(.stored(output))
            }
            switch members.removeValue(forKey: "execution_count") {
            case nil, .null?: count = nil
            case let value?:
                guard let n = value.intValue else { throw NotebookError("'execution_count' is not a whole number") }
                count = n
            }
        }
        self.kind = kind
        self.id = id?.stringValue
        self.rawSource = source
        self.metadata = metadataObject
        self.outputs = outputs
        self.executionCount = count
        self.otherMembers = members
    }
}
