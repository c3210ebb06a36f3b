extension ScriptSession {
    /// Whether `code` is a whole cell: complete, incomplete (with the indent of the next line), or invalid.
    public func isComplete(code: String) -> Completeness {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        let lastLine = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map(String.init) ?? ""
        let lastIndent = String(lastLine.prefix { $0 == " " })
        let opensBlock = lastLine.trimmingCharacters(in: .whitespaces).hasSuffix(":")
        var failure: Error?
        // the parser recurses (bounded); run it where the stack is large, like execution
        LargeStack.run { do { _ = try Parser.parse(code) } catch { failure = error } }
        if let failure {
            guard let e = failure as? SyntaxError else { return .invalid }
            if e.incomplete { return .incomplete(indent: opensBlock ? lastIndent + "    " : lastIndent) }
            return .invalid
        }
        // inside an indented block, a blank line ends the cell (as in IPython)
        if !lastIndent.isEmpty && !code.hasSuffix("\n\n") && !(code.hasSuffix("\n") && lines.count >= 2 && lines[lines.count - 2].trimmingCharacters(in: .whitespaces).isEmpty) {
            return .incomplete(indent: lastIndent)
        }
        return .complete
    }

    static let keywordList = ["False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with"]

    /// Splits the code before the cursor into a dotted path and the partial last name.
    func dottedPathBefore(_ scalars: [Unicode.Scalar], _ cursor: Int) -> (path: [String], prefix: String, start: Int) {
        var i = cursor
        func isIdent(_ c: Unicode.Scalar) -> Bool { c.properties.isXIDContinue || c == "_" }
        while i > 0 && isIdent(scalars[i - 1]) { i -= 1 }
        let prefix = String(String.UnicodeScalarView(scalars[i..<cursor]))
        let start = i
        var path: [String] = []
        while i > 0 && scalars[i - 1] == "." {
            var j = i - 1
            while j > 0 && isIdent(scalars[j - 1]) { j -= 1 }
            if j == i - 1 { break }
            path.insert(String(String.UnicodeScalarView(scalars[j..<(i - 1)])), at: 0)
            i = j
        }
        return (path, prefix, start)
    }

    /// Tab completion at `cursorPos` (Unicode scalars): names, keywords, modules, attributes of live values.
    /// Never runs user code.
    public func complete(code: String, cursorPos: Int) -> CompletionResult {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(cursorPos, 0), scalars.count)
        let (path, prefix, start) = dottedPathBefore(scalars, cursor)
        var candidates: [String]
        let lineStart = scalars[..<start].lastIndex(of: "\n").map { $0 + 1 } ?? 0
        let lineBefore = String(String.UnicodeScalarView(scalars[lineStart..<start])).trimmingCharacters(in: .whitespaces)
        if !path.isEmpty {
            guard let v = vm.resolvePath(path) else { return CompletionResult(matches: [], start: start, end: cursor) }
            candidates = vm.attributeNames(of: v)
        } else if lineBefore == "import" || (lineBefore.hasPrefix("from") && !lineBefore.contains("import")) {
            candidates = Array(vm.table.modules.keys)
        } else {
            candidates = vm.globalNames() + Array(vm.builtins.keys) + Self.keywordList + Array(vm.table.modules.keys)
        }
        let matches = Array(Set(candidates.filter { $0.hasPrefix(prefix) && !$0.hasPrefix("__") })).sorted()
        return CompletionResult(matches: matches, start: start, end: cursor)
    }

    /// Shift-Tab help: the signature and docstring of the name at (or the call around) the cursor.
    public func inspect(code: String, cursorPos: Int, detail: Int = 0) -> String? {
        let scalars = Array(code.unicodeScalars)
        var cursor = min(max(cursorPos, 0), scalars.count)
        func isIdent(_ c: Unicode.Scalar) -> Bool { c.properties.isXIDContinue || c == "_" || c == "." }
        // extend to the end of the word under the cursor
        while cursor < scalars.count && isIdent(scalars[cursor]) && scalars[cursor] != "." { cursor += 1 }
        var (path, name, _) = dottedPathBefore(scalars, cursor)
        if name.isEmpty {
            // inside call parentheses: find the unmatched '(' and inspect what precedes it
            var depth = 0, i = cursor - 1
            while i >= 0 {
                let c = scalars[i]
                if c == ")" { depth += 1 } else if c == "(" { if depth == 0 { break }; depth -= 1 }
                i -= 1
            }
            guard i > 0 else { return nil }
            (path, name, _) = dottedPathBefore(scalars, i)
            if name.isEmpty { return nil }
        }
        guard let v = vm.resolvePath(path + [name]) else {
            if Self.keywordList.contains(name) { return "\(name): a keyword of the language" }
            return nil
        }
        var text = ""
        LargeStack.run {
            let previous = VM.current; VM.current = self.vm; defer { VM.current = previous }
            text = self.vm.helpText(for: v)
        }
        return text
    }

    /// Names defined by the user's cells.
    public var globalNames: [String] { vm.globalNames().sorted() }
}
