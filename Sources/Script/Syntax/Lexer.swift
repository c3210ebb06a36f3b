/// A position range in a source text; lines and columns count from 1, columns in Unicode scalars.
public struct Span: Sendable, Equatable {
    public var line: Int, column: Int, endLine: Int, endColumn: Int
    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = line; self.column = column; self.endLine = endLine; self.endColumn = endColumn
    }
    static let none = Span(line: 0, column: 0, endLine: 0, endColumn: 0)
    func to(_ other: Span) -> Span { Span(line: line, column: column, endLine: other.endLine, endColumn: other.endColumn) }
}

/// A syntax error. `incomplete` marks "unexpected end of input" (the cell may continue).
public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    public var kind: String   // SyntaxError, IndentationError, TabError
    public var message: String
    public var line: Int, column: Int
    public var incomplete: Bool
    public var description: String { "\(kind): \(message) (line \(line))" }
}

enum TokenKind: Equatable {
    case name(String), int(Int), float(Double), string(String), fstring(String, Int /*col offset*/)
    case op(String), newline, indent, dedent, eof, magic(String, String)
}

struct Token {
    var kind: TokenKind
    var span: Span
}

/// Turns source text into tokens, with INDENT/DEDENT and implicit line joining.
struct Lexer {
    let chars: [Unicode.Scalar]
    var i = 0, line = 1, lineStart = 0
    var tokens: [Token] = []
    var indents = [0]
    var depth = 0  // bracket nesting
    var openBrackets: [(Int, Int)] = []

    init(_ source: String) { chars = Array(source.unicodeScalars) }

    var col: Int { i - lineStart + 1 }

    func err(_ msg: String, incomplete: Bool = false, kind: String = "SyntaxError", line l: Int? = nil, col c: Int? = nil) -> SyntaxError {
        SyntaxError(kind: kind, message: msg, line: l ?? line, column: c ?? (i - lineStart + 1), incomplete: incomplete)
    }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < chars.count ? chars[i + k] : nil }

    mutating func add(_ k: TokenKind, _ sl: Int, _ sc: Int) {
        tokens.append(Token(kind: k, span: Span(line: sl, column: sc, endLine: line, endColumn: col)))
    }

    static func tokenize(_ source: String) throws -> [Token] {
        var lx = Lexer(source)
        try lx.run()
        return lx.tokens
    }

    mutating func run() throws {
        var atLineStart = true
        while true {
            if atLineStartAfterMagic { atLineStartAfterMagic = false; atLineStart = true }
            if atLineStart && depth == 0 {
                atLineStart = false
                // measure indentation
                var n = 0
                let start = i
                while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" {
                    if c == "\t" {
                        // a tab only matters if the line has content
                        var j = i
                        while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                        if j < chars.count, chars[j] != "\n", chars[j] != "#", chars[j] != "\r" {
                            throw err("indentation contains a tab; indent with spaces only", kind: "TabError", col: i - lineStart + 1)
                        }
                    }
                    n += 1; i += 1
                }
                _ = start
                guard let c = peek() else { break }
                if c == "\n" || c == "#" || c == "\r" {
                    // blank or comment line: no indentation tokens
                    if c == "#" { while let d = peek(), d != "\n" { i += 1 } }
                    if peek() == "\r" { i += 1 }
                    if peek() == "\n" { i += 1; line += 1; lineStart = i; atLineStart = true }
                    continue
                }
                if c == "\\" && peek(1) == "\n" { i += 2; line += 1; lineStart = i; continue }
                if c == "%" { try lexMagic(); continue }
                if n > indents[indents.count - 1] {
                    indents.append(n)
                    tokens.append(Token(kind: .indent, span: Span(line: line, column: 1, endLine: line, endColumn: n + 1)))
                } else {
                    while n < indents[indents.count - 1] {
                        indents.removeLast()
                        tokens.append(Token(kind: .dedent, span: Span(line: line, column: 1, endLine: line, endColumn: n + 1)))
                    }
                    if n != indents[indents.count - 1] {
                        throw err("unindent does not match any outer indentation level", kind: "IndentationError", col: n + 1)
                    }
                }
            }
            guard let c = peek() else { break }
            let sl = line, sc = col
            switch c {
            case " ", "\t", "\r", "\u{0C}":
                i += 1
            case "\n":
                i += 1
                if depth == 0 {
                    tokens.append(Token(kind: .newline, span: Span(line: sl, column: sc, endLine: sl, endColumn: sc + 1)))
                    atLineStart = true
                }
                line += 1; lineStart = i
            case "#":
                while let d = peek(), d != "\n" { i += 1 }
            case "\\":
                if peek(1) == "\n" { i += 2; line += 1; lineStart = i }
                else if peek(1) == "\r" && peek(2) == "\n" { i += 3; line += 1; lineStart = i }
                else if peek(1) == nil { throw err("unexpected end of input after '\\'", incomplete: true) }
                else { throw err("unexpected character after line continuation character") }
            default:
                if c.properties.isXIDStart || c == "_" {
                    var s = String.UnicodeScalarView()
                    while let d = peek(), d.properties.isXIDContinue || d == "_" { s.append(d); i += 1 }
                    let word = String(s)
                    if let q = peek(), q == "'" || q == "\"", ["f", "r", "rf", "fr", "F", "R", "b", "B"].contains(word) {
                        let lw = word.lowercased()
                        try lexString(raw: lw.contains("r"), f: lw.contains("f"), sl: sl, sc: sc)
                    } else {
                        add(.name(word), sl, sc)
                    }
                } else if c.properties.numericType != nil && c.isASCII || (c == "." && (peek(1).map { ("0"..."9").contains($0) } ?? false)) {
                    try lexNumber(sl, sc)
                } else if c == "'" || c == "\"" {
                    try lexString(raw: false, f: false, sl: sl, sc: sc)
                } else {
                    try lexOp(c, sl, sc)
                }
            }
        }
        if depth > 0, let (bl, bc) = openBrackets.last {
            throw err("'\(chars.isEmpty ? "(" : "bracket")' was never closed", incomplete: true, line: bl, col: bc)
        }
        if let last = tokens.last, last.kind != .newline, last.kind != .dedent {
            tokens.append(Token(kind: .newline, span: Span(line: line, column: col, endLine: line, endColumn: col)))
        }
        while indents.count > 1 {
            indents.removeLast()
            tokens.append(Token(kind: .dedent, span: Span(line: line, column: col, endLine: line, endColumn: col)))
        }
        tokens.append(Token(kind: .eof, span: Span(line: line, column: col, endLine: line, endColumn: col)))
    }

    static let ops3: Set<String> = ["**=", "//=", ">>=", "<<=", "..."]
    static let ops2: Set<String> = ["**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=", "->", "<<", ">>"]
    static let ops1: Set<Character> = ["+", "-", "*", "/", "%", "@", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "&", "|", "^", "~"]

    mutating func lexOp(_ c: Unicode.Scalar, _ sl: Int, _ sc: Int) throws {
        func str(_ n: Int) -> String? {
            guard i + n <= chars.count else { return nil }
            var s = String.UnicodeScalarView(); s.append(contentsOf: chars[i..<i + n]); return String(s)
        }
        if let s = str(3), Lexer.ops3.contains(s) { i += 3; add(.op(s), sl, sc); return }
        if let s = str(2), Lexer.ops2.contains(s) { i += 2; add(.op(s), sl, sc); return }
        if Lexer.ops1.contains(Character(c)) {
            i += 1
            switch c {
            case "(", "[", "{": depth += 1; openBrackets.append((sl, sc))
            case ")", "]", "}":
                if depth == 0 { throw err("unmatched '\(c)'", col: sc) }
                depth -= 1; openBrackets.removeLast()
            default: break
            }
            add(.op(String(c)), sl, sc); return
        }
        if c == "!" { throw err("invalid syntax: '!' (use 'not' or '!=')") }
        throw err("invalid character '\(c)' (U+\(String(c.value, radix: 16, uppercase: true)))")
    }

    /// `%time stmt` / `%timeit stmt` at the start of a line: the rest of the line is kept as text.
    mutating func lexMagic() throws {
        let sl = line, sc = col
        i += 1
        var name = ""
        while let d = peek(), d.properties.isXIDContinue { name.unicodeScalars.append(d); i += 1 }
        guard name == "time" || name == "timeit" else { throw err("unknown magic '%\(name)' (only %time and %timeit exist)", col: sc) }
        var rest = ""
        while let d = peek(), d != "\n" { rest.unicodeScalars.append(d); i += 1 }
        add(.magic(name, rest), sl, sc)
        tokens.append(Token(kind: .newline, span: Span(line: line, column: col, endLine: line, endColumn: col)))
        if peek() == "\n" { i += 1; line += 1; lineStart = i }
        atLineStartAfterMagic = true
    }

    var atLineStartAfterMagic = false

    mutating func lexNumber(_ sl: Int, _ sc: Int) throws {
        var s = ""
        var isFloat = false
        if peek() == "0", let x = peek(1), "xXoObB".unicodeScalars.contains(x) {
            i += 2
            let radix = (x == "x" || x == "X") ? 16 : (x == "o" || x == "O") ? 8 : 2
            while let d = peek(), d.properties.isXIDContinue { if d != "_" { s.unicodeScalars.append(d) }; i += 1 }
            guard let v = Int(s, radix: radix) else { throw err("invalid number literal", col: sc) }
            add(.int(v), sl, sc); return
        }
        func digits() { while let d = peek(), ("0"..."9").contains(d) || d == "_" { if d != "_" { s.unicodeScalars.append(d) }; i += 1 } }
        digits()
        if peek() == "." { isFloat = true; s += "."; i += 1; digits() }
        if let e = peek(), e == "e" || e == "E" {
            let n1 = peek(1)
            if let n1, ("0"..."9").contains(n1) || ((n1 == "+" || n1 == "-") && (peek(2).map { ("0"..."9").contains($0) } ?? false)) {
                isFloat = true; s += "e"; i += 1
                if n1 == "+" || n1 == "-" { s.unicodeScalars.append(n1); i += 1 }
                digits()
            }
        }
        if let d = peek(), d.properties.isXIDStart { throw err("invalid decimal literal", col: sc) }
        if isFloat {
            guard let v = Double(s) else { throw err("invalid float literal", col: sc) }
            add(.float(v), sl, sc)
        } else {
            guard let v = Int(s) else { throw err("integer literal too large (ints are 64-bit)", col: sc) }
            add(.int(v), sl, sc)
        }
    }

    mutating func lexString(raw: Bool, f: Bool, sl: Int, sc: Int) throws {
        guard let q = peek() else { return }
        let triple = peek(1) == q && peek(2) == q
        i += triple ? 3 : 1
        let bodyCol = col
        var out = String.UnicodeScalarView()
        var braces = 0
        while true {
            guard let c = peek() else {
                throw err(triple ? "unterminated triple-quoted string" : "unterminated string literal", incomplete: triple, line: triple ? line : sl, col: sc)
            }
            if f && braces > 0 && (c == "'" || c == "\"") && c != q {
                // a nested string inside a replacement field: copy it verbatim
                out.append(c); i += 1
                while let d = peek(), d != c, d != "\n" { out.append(d); i += 1 }
                if peek() == c { out.append(c); i += 1 }
                continue
            }
            if c == q {
                if !triple { i += 1; break }
                if peek(1) == q && peek(2) == q { i += 3; break }
                out.append(c); i += 1; continue
            }
            if c == "\n" {
                if !triple { throw err("unterminated string literal", line: sl, col: sc) }
                out.append(c); i += 1; line += 1; lineStart = i; continue
            }
            if f {
                if c == "{" { if peek(1) == "{" && braces == 0 { out.append("{"); out.append("{"); i += 2; continue }; braces += 1 }
                if c == "}" { if braces > 0 { braces -= 1 } else if peek(1) == "}" { out.append("}"); out.append("}"); i += 2; continue } }
            }
            if c == "\\" {
                guard let n = peek(1) else { throw err("unterminated string literal", incomplete: triple) }
                if raw || (f && braces > 0) { out.append(c); out.append(n); i += 2; if n == "\n" { line += 1; lineStart = i }; continue }
                i += 2
                switch n {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                case "\\": out.append("\\")
                case "'": out.append("'")
                case "\"": out.append("\"")
                case "a": out.append("\u{07}")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "v": out.append("\u{0B}")
                case "\n": line += 1; lineStart = i
                case "x", "u", "U":
                    let len = n == "x" ? 2 : n == "u" ? 4 : 8
                    var h = ""
                    for _ in 0..<len { if let d = peek() { h.unicodeScalars.append(d); i += 1 } }
                    guard let v = UInt32(h, radix: 16), let s = Unicode.Scalar(v) else { throw err("invalid \\\(n) escape in string") }
                    out.append(s)
                default: out.append("\\"); out.append(n)
                }
                continue
            }
            out.append(c); i += 1
        }
        add(f ? .fstring(String(out), bodyCol) : .string(String(out)), sl, sc)
    }
}
