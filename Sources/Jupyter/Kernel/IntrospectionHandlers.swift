/// complete / inspect / is_complete / history: small requests answered from the interpreter or
/// the history store.
extension KernelHandlers {
    /// `cursor_pos` in Unicode scalars, clamped into the code (a missing one means the end).
    private func cursor(_ content: JSON, in code: String) -> Int {
        let count = code.unicodeScalars.count
        return min(max(content["cursor_pos"]?.intValue ?? count, 0), count)
    }

    func complete(_ content: JSON) -> JSON {
        let code = content["code"]?.stringValue ?? ""
        let result = interpreter.complete(code: code, cursorPos: cursor(content, in: code))
        return ["status": "ok", "matches": .array(result.matches.map { .string($0) }),
                "cursor_start": .int(result.cursorStart), "cursor_end": .int(result.cursorEnd),
                "metadata": .object(result.metadata)]
    }

    func inspect(_ content: JSON) -> JSON {
        let code = content["code"]?.stringValue ?? ""
        let detail = content["detail_level"]?.intValue ?? 0
        guard let found = interpreter.inspect(code: code, cursorPos: cursor(content, in: code), detailLevel: detail) else {
            return ["status": "ok", "found": false, "data": [:], "metadata": [:]]
        }
        return ["status": "ok", "found": true, "data": .object(found.data), "metadata": .object(found.metadata)]
    }

    func isComplete(_ content: JSON) -> JSON {
        switch interpreter.isComplete(code: content["code"]?.stringValue ?? "") {
        case .complete: return ["status": "complete"]
        case .incomplete(let indent): return ["status": "incomplete", "indent": .string(indent)]
        case .invalid: return ["status": "invalid"]
        case .unknown: return ["status": "unknown"]
        }
    }

    func historyReply(_ content: JSON) -> JSON {
        let entries: [HistoryStore.Entry]
        switch content["hist_access_type"]?.stringValue ?? "tail" {
        case "tail":
            entries = history.tail(content["n"]?.intValue ?? 10)
        case "range":
            entries = history.range(session: content["session"]?.intValue ?? 0,
                                    start: content["start"]?.intValue ?? 1, stop: content["stop"]?.intValue)
        case "search":
            entries = history.search(pattern: content["pattern"]?.stringValue ?? "*", n: content["n"]?.intValue,
                                     unique: content["unique"]?.boolValue ?? false)
        case let other:
            return ["status": "error", "ename": "ValueError",
                    "evalue": .string("unknown hist_access_type '\(other)' (use tail, range or search)"),
                    "traceback": [], "history": []]
        }
        let withOutput = content["output"]?.boolValue ?? false
        let rows: [JSON] = entries.map { e in
            let input: JSON = withOutput ? [.string(e.input), .null] : .string(e.input)
            return [.int(e.session), .int(e.line), input]
        }
        return ["status": "ok", "history": .array(rows)]
    }
}
