import Foundation

/// Records what running cells show into a notebook's outputs, the way nbclient does:
/// consecutive streams of the same name merge; `display_data` and `execute_result` append;
/// a display id's later `update_display_data` (or a new display with the same id) replaces the
/// bundle of every earlier output with that id, in any cell; `clear_output` empties the current
/// cell's outputs at once, or, with `wait`, just before its next output.
///
/// Called on the execution thread while the runner waits on another; a lock keeps the two apart,
/// and `detach()` makes a cell that never stopped unable to change the notebook afterwards.
final class NotebookOutputRecorder: ExecutionOutput, @unchecked Sendable {
    private let lock = NSLock()
    /// Every cell's outputs, indexed like the notebook's cells.
    private var outputs: [[NotebookOutput]]
    private var currentCell = 0
    /// display id → cell index → positions in that cell's outputs (nbclient's `_display_id_map`).
    private var displayTargets: [String: [Int: [Int]]] = [:]
    private var clearBeforeNextOutput = false
    private var detached = false

    init(cellCount: Int) {
        outputs = Array(repeating: [], count: cellCount)
    }

    /// Starts recording for cell `index`, with no outputs yet.
    func begin(cell index: Int) {
        locked {
            currentCell = index
            outputs[index] = []
            clearBeforeNextOutput = false  // a pending clear does not carry into the next cell
            forgetDisplays(inCell: index)
        }
    }

    /// Ends the current cell: streams get nbclient's carriage-return and backspace clean-up.
    func end() {
        locked {
            let cell = currentCell
            outputs[cell] = outputs[cell].map { output in
                if case .stream(let name, let text) = output {
                    return .stream(name: name, text: NotebookOutputRecorder.resolveControlCharacters(text))
                }
                return output
            }
        }
    }

    /// Ignores everything from now on (a cell that would not stop after its timeout).
    func detach() { locked { detached = true } }

    /// Appends a last output and detaches, in one step so nothing slips in between.
    func appendAndDetach(_ output: NotebookOutput) {
        locked {
            add(output, displayID: nil)
            detached = true
        }
    }

    /// The outputs recorded so far for cell `index`.
    func outputs(ofCell index: Int) -> [NotebookOutput] { withLock { outputs[index] } }

    /// Appends an output to the current cell from the runner (the result value, an error).
    func append(_ output: NotebookOutput) { locked { add(output, displayID: nil) } }

    // MARK: ExecutionOutput

    func stream(_ name: StreamName, _ text: String) {
        locked {
            applyPendingClear()
            let cell = currentCell
            if case .stream(let lastName, let lastText)? = outputs[cell].last, lastName == name {
                outputs[cell][outputs[cell].count - 1] = .stream(name: name, text: lastText + text)
            } else {
                outputs[cell].append(.stream(name: name, text: text))
            }
        }
    }

    func display(_ data: DisplayData, displayID: String?, update: Bool) {
        locked {
            if let displayID { updateTargets(of: displayID, with: data) }
            if !update { add(.displayData(data), displayID: displayID) }
        }
    }

    func clearOutput(wait: Bool) {
        locked {
            if wait {
                clearBeforeNextOutput = true
            } else {
                outputs[currentCell] = []
                forgetDisplays(inCell: currentCell)
            }
        }
    }

    /// Headless runs have no one to answer, like nbclient's `allow_stdin=False`.
    func requestInput(prompt: String, password: Bool) throws -> String {
        throw InputNotAllowed()
    }

    // MARK: Internals (called with the lock held)

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Runs `body` under the lock unless the recorder was detached.
    private func locked(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if !detached { body() }
    }

    private func add(_ output: NotebookOutput, displayID: String?) {
        applyPendingClear()
        let cell = currentCell
        if let displayID {
            displayTargets[displayID, default: [:]][cell, default: []].append(outputs[cell].count)
        }
        outputs[cell].append(output)
    }

    private func applyPendingClear() {
        guard clearBeforeNextOutput else { return }
        clearBeforeNextOutput = false
        outputs[currentCell] = []
        forgetDisplays(inCell: currentCell)
    }

    private func forgetDisplays(inCell cell: Int) {
        for id in displayTargets.keys { displayTargets[id]?[cell] = nil }
    }

    private func updateTargets(of displayID: String, with data: DisplayData) {
        guard let targets = displayTargets[displayID] else { return }
        for (cell, positions) in targets {
            for position in positions where outputs[cell].indices.contains(position) {
                outputs[cell][position] = outputs[cell][position].replacingDisplay(with: data)
            }
        }
    }

    /// What a terminal would show: a character followed by backspace is removed, and text before a
    /// carriage return that is not followed by a newline is overwritten (nbclient's stream clean-up).
    static func resolveControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\u{08}" }) else { return text }
        var scalars = Array(text.unicodeScalars)
        // Backspaces: drop "x\b" pairs (x not a newline) until none are left.
        var changed = true
        while changed {
            changed = false
            var kept: [Unicode.Scalar] = []
            kept.reserveCapacity(scalars.count)
            var i = 0
            while i < scalars.count {
                if i + 1 < scalars.count, scalars[i] != "\n", scalars[i + 1] == "\u{08}" {
                    i += 2
                    changed = true
                } else {
                    kept.append(scalars[i])
                    i += 1
                }
            }
            scalars = kept
        }
        // Carriage returns: in each line keep what follows the last "\r" that has text after it.
        var result = String.UnicodeScalarView()
        var lineStart = 0
        while lineStart <= scalars.count {
            let lineEnd = scalars[lineStart...].firstIndex(of: "\n") ?? scalars.count
            var keepFrom = lineStart
            if lineEnd > lineStart {
                for i in stride(from: lineEnd - 1, through: lineStart, by: -1) where scalars[i] == "\r" && i + 1 < lineEnd {
                    keepFrom = i + 1
                    break
                }
            }
            result.append(contentsOf: scalars[keepFrom..<lineEnd])
            if lineEnd < scalars.count { result.append("\n") }
            lineStart = lineEnd + 1
        }
        return String(result)
    }
}
