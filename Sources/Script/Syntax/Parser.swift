/// Recursive-descent parser over the lexer's tokens. Nesting is bounded (`maxDepth`) so deeply
/// nested input is a SyntaxError rather than a stack overflow.
struct Parser {
    var toks: [Token]
    var p = 0
    var depth = 0
    static let maxDepth = 400

    static func parse(_ source: String) throws -> [Stmt] {
        var ps = Parser(toks: try Lexer.tokenize(source))
        return try ps.module()
    }

    static func parseExpression(_ source: String, line: Int = 1, column: Int = 1) throws -> Expr {
        var toks = try Lexer.tokenize("(" + source + ")")
        for k in toks.indices {
            var s = toks[k].span
            if s.line == 1 { s.column += column - 2; if s.endLine == 1 { s.endColumn += column - 2 } }
            s.line += line - 1; s.endLine += line - 1
            toks[k].span = s
        }
        var ps = Parser(toks: toks)
        let e = try ps.expr()
        return e
    }

    var tok: Token { toks[p] }
    var kind: TokenKind { toks[p].kind }

    func error(_ msg: String, at t: Token? = nil) -> SyntaxError {
        let t = t ?? tok
        return SyntaxError(kind: "SyntaxError", message: msg, line: t.span.line, column: t.span.column, incomplete: t.kind == .eof)
    }

    func isOp(_ s: String) -> Bool { if case .op(s) = kind { return true }; return false }
    func isName(_ s: String) -> Bool { if case .name(s) = kind { return true }; return false }
    mutating func accept(_ s: String) -> Bool { if isOp(s) || isName(s) { p += 1; return true }; return false }
    mutating func expect(_ s: String, _ what: String? = nil) throws {
        if accept(s) { return }
        throw error(what ?? "expected '\(s)'\(describeHere())")
    }
    func describeHere() -> String {
        switch kind {
        case .eof: return " but the input ended"
        case .newline: return " at the end of the line"
        case .name(let n): return ", found '\(n)'"
        case .op(let o): return ", found '\(o)'"
        case .indent: return ", found an unexpected indent"
        default: return ""
        }
    }
    static let keywords: Set<String> = ["False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "async", "await"]

    mutating func identifier() throws -> String {
        if case .name(let n) = kind, !Parser.keywords.contains(n) { p += 1; return n }
        throw error("expected a name\(describeHere())")
    }

    mutating func module() throws -> [Stmt] {
        var out: [Stmt] = []
        while kind != .eof {
            if kind == .newline { p += 1; continue }
            if kind == .indent { throw SyntaxError(kind: "IndentationError", message: "unexpected indent", line: tok.span.line, column: tok.span.column, incomplete: false) }
            out += try statement()
        }
        return out
    }

    mutating func block() throws -> [Stmt] {
        try expect(":")
        if kind != .newline { return try simpleStatements() }
        p += 1
        guard kind == .indent else {
            if toks[p...].allSatisfy({ $0.kind == .dedent || $0.kind == .eof }) {
                throw SyntaxError(kind: "IndentationError", message: "expected an indented block", line: tok.span.line, column: tok.span.column, incomplete: true)
            }
            throw SyntaxError(kind: "IndentationError", message: "expected an indented block", line: tok.span.line, column: tok.span.column, incomplete: false)
        }
        p += 1
        var out: [Stmt] = []
        while kind != .dedent && kind != .eof {
            if kind == .newline { p += 1; continue }
            out += try statement()
        }
        if kind == .dedent { p += 1 }
        return out
    }

    mutating func statement() throws -> [Stmt] {
        let start = tok.span
        if case .magic(let name, let text) = kind {
            p += 1; if kind == .newline { p += 1 }
            return [Stmt(.magic(name, text), start)]
        }
        guard case .name(let kw) = kind else { return try simpleStatements() }
        switch kw {
        case "if": p += 1; return [try ifRest(start)]
        case "while":
            p += 1
            let c = try namedExpr()
            let body = try block()
            var orelse: [Stmt] = []
            if accept("else") { orelse = try block() }
            return [Stmt(.whileStmt(c, body, orelse), start)]
        case "for":
            p += 1
            let target = try targetList()
            try expect("in")
            let it = try exprList()
            let body = try block()
            var orelse: [Stmt] = []
            if accept("else") { orelse = try block() }
            return [Stmt(.forStmt(target, it, body, orelse), start)]
        case "def":
            p += 1
            let name = try identifier()
            try expect("(")
            let params = try parameters(close: ")")
            try expect(")")
            if accept("->") { _ = try expr() }
            let body = try block()
            return [Stmt(.def(name, params, body), start)]
        case "class":
            p += 1
            let name = try identifier()
            var base: Expr?
            if accept("(") {
                if !isOp(")") { base = try expr(); if accept(",") && !isOp(")") { throw error("multiple inheritance is not supported") } }
                try expect(")")
            }
            return [Stmt(.classDef(name, base, try block()), start)]
        case "with":
            p += 1
            let e = try expr()
            var target: Expr?
            if accept("as") { target = try target1() }
            if isOp(",") { throw error("only one context manager per 'with' is supported") }
            return [Stmt(.with(e, target, try block()), start)]
        case "try":
            p += 1
            let body = try block()
            var handlers: [Handler] = []
            while isName("except") {
                let hs = tok.span
                p += 1
                var type: Expr?, name: String?
                if !isOp(":") {
                    type = try expr()
                    if accept("as") { name = try identifier() }
                }
                handlers.append(Handler(type: type, name: name, body: try block(), span: hs))
            }
            var orelse: [Stmt] = [], fin: [Stmt] = []
            if !handlers.isEmpty && accept("else") { orelse = try block() }
            if accept("finally") { fin = try block() }
            if handlers.isEmpty && fin.isEmpty { throw error("expected 'except' or 'finally' block") }
            return [Stmt(.tryStmt(body, handlers, orelse, fin), start)]
        case "elif", "else", "except", "finally":
            throw error("'\(kw)' without a matching statement before it")
        default:
            return try simpleStatements()
        }
    }

    mutating func ifRest(_ start: Span) throws -> Stmt {
        let c = try namedExpr()
        let body = try block()
        var orelse: [Stmt] = []
        if isName("elif") { let s = tok.span; p += 1; orelse = [try ifRest(s)] }
        else if accept("else") { orelse = try block() }
        return Stmt(.ifStmt(c, body, orelse), start)
    }

    mutating func simpleStatements() throws -> [Stmt] {
        var out = [try simpleStatement()]
        while accept(";") {
            if kind == .newline || kind == .eof { break }
            out.append(try simpleStatement())
        }
        if kind == .newline { p += 1 }
        else if kind != .eof && kind != .dedent { throw error("invalid syntax\(describeHere())") }
        return out
    }

    mutating func simpleStatement() throws -> Stmt {
        let start = tok.span
        if case .name(let kw) = kind {
            switch kw {
            case "pass": p += 1; return Stmt(.pass, start)
            case "break": p += 1; return Stmt(.breakStmt, start)
            case "continue": p += 1; return Stmt(.continueStmt, start)
            case "return":
                p += 1
                let v: Expr? = atStatementEnd ? nil : try exprList()
                return Stmt(.returnStmt(v), start.to(prevSpan))
            case "global", "nonlocal":
                p += 1
                var names = [try identifier()]
                while accept(",") { names.append(try identifier()) }
                return Stmt(kw == "global" ? .global(names) : .nonlocal(names), start)
            case "assert":
                p += 1
                let c = try expr()
                var msg: Expr?
                if accept(",") { msg = try expr() }
                return Stmt(.assert(c, msg), start.to(prevSpan))
            case "raise":
                p += 1
                var e: Expr?, cause: Expr?
                if !atStatementEnd { e = try expr(); if accept("from") { cause = try expr() } }
                return Stmt(.raise(e, cause), start.to(prevSpan))
            case "del":
                p += 1
                var ts = [try target1()]
                while accept(",") { if atStatementEnd { break }; ts.append(try target1()) }
                return Stmt(.del(ts), start)
            case "import":
                p += 1
                var names: [(String, String?)] = []
                repeat {
                    var n = try identifier()
                    while accept(".") { n += "." + (try identifier()) }
                    var alias: String?
                    if accept("as") { alias = try identifier() }
                    names.append((n, alias))
                } while accept(",")
                return Stmt(.importStmt(names), start.to(prevSpan))
            case "from":
                p += 1
                var m = try identifier()
                while accept(".") { m += "." + (try identifier()) }
                try expect("import")
                var names: [(String, String?)] = []
                let paren = accept("(")
                if accept("*") { names.append(("*", nil)) } else {
                    repeat {
                        if paren && isOp(")") { break }
                        let n = try identifier()
                        var alias: String?
                        if accept("as") { alias = try identifier() }
                        names.append((n, alias))
                    } while accept(",")
                }
                if paren { try expect(")") }
                return Stmt(.fromImport(m, names), start.to(prevSpan))
            case "yield", "async", "await":
                throw error("'\(kw)' is not supported in Myelin")
            default: break
            }
        }
        let first = try exprListWithStar()
        if case .op(let o) = kind, o.count >= 2, o.hasSuffix("="), o != "==", o != "<=", o != ">=", o != "!=" {
            let opText = String(o.dropLast())
            guard let op = BinOp(rawValue: opText) else { throw error("invalid operator '\(o)'") }
            try checkTarget(first, aug: true)
            p += 1
            let v = try exprList()
            return Stmt(.augAssign(first, op, v), start.to(prevSpan))
        }
        if isOp(":") {
            // annotated assignment `x: int = 3`
            p += 1
            _ = try expr()
            var v: Expr?
            if accept("=") { v = try exprList() }
            try checkTarget(first, aug: false)
            return Stmt(.annAssign(first, v), start.to(prevSpan))
        }
        if isOp("=") {
            var targets = [first]
            var value = first
            while accept("=") {
                value = try exprListWithStar()
                targets.append(value)
            }
            targets.removeLast()
            for t in targets { try checkTarget(t, aug: false) }
            return Stmt(.assign(targets, value), start.to(prevSpan))
        }
        return Stmt(.expr(first), first.span)
    }

    func checkTarget(_ e: Expr, aug: Bool) throws {
        switch e.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let xs), .list(let xs):
            if aug { break }
            for x in xs { try checkTarget(x, aug: false) }
            return
        case .starred(let x): if !aug { try checkTarget(x, aug: false); return }
        default: break
        }
        let what: String
        switch e.kind {
        case .call: what = "function call"
        case .int, .float, .string, .const: what = "literal"
        default: what = "expression"
        }
        throw SyntaxError(kind: "SyntaxError", message: "cannot assign to \(what)", line: e.span.line, column: e.span.column, incomplete: false)
    }

    var atStatementEnd: Bool { kind == .newline || kind == .eof || isOp(";") || kind == .dedent }
    var prevSpan: Span { toks[max(0, p - 1)].span }

    mutating func parameters(close: String) throws -> Params {
        var ps = Params()
        var seenDefault = false, kwOnly = false
        while !isOp(close) {
            if accept("**") { ps.kwargs = try identifier() }
            else if accept("*") {
                if isOp(",") { kwOnly = true } else { ps.varargs = try identifier(); kwOnly = true }
            } else {
                let n = try identifier()
                if close == ")" && accept(":") { _ = try expr() }
                if kwOnly {
                    ps.kwonly.append(n)
                    ps.kwonlyDefaults.append(accept("=") ? try expr() : nil)
                } else {
                    ps.names.append(n)
                    if accept("=") { ps.defaults.append(try expr()); seenDefault = true }
                    else if seenDefault { throw error("a parameter without a default follows one with a default") }
                }
            }
            if !accept(",") { break }
        }
        let all = ps.names + ps.kwonly + [ps.varargs, ps.kwargs].compactMap { $0 }
        if Set(all).count != all.count { throw error("duplicate parameter name") }
        return ps
    }

    // MARK: expressions

    mutating func exprList() throws -> Expr {
        let first = try expr()
        guard isOp(",") else { return first }
        var xs = [first]
        while accept(",") { if atExprListEnd { break }; xs.append(try expr()) }
        return Expr(.tuple(xs), first.span.to(prevSpan))
    }

    mutating func exprListWithStar() throws -> Expr {
        let first = try starOrExpr()
        guard isOp(",") else { return first }
        var xs = [first]
        while accept(",") { if atExprListEnd { break }; xs.append(try starOrExpr()) }
        return Expr(.tuple(xs), first.span.to(prevSpan))
    }

    var atExprListEnd: Bool {
        if atStatementEnd { return true }
        if case .op(let o) = kind { return o == "=" || o == ")" || o == "]" || o == "}" || o == ":" || (o.hasSuffix("=") && o.count >= 2 && o != "==" && o != "<=" && o != ">=" && o != "!=") }
        return isName("in")
    }

    mutating func starOrExpr() throws -> Expr {
        let s = tok.span
        if accept("*") { let e = try bitOr(); return Expr(.starred(e), s.to(e.span)) }
        return try expr()
    }

    /// Targets of `for`: `a`, `a, b`, `(a, b)`.
    mutating func targetList() throws -> Expr {
        let first = try target1()
        guard isOp(",") else { return first }
        var xs = [first]
        while accept(",") { if isName("in") || isOp("=") { break }; xs.append(try target1()) }
        let t = Expr(.tuple(xs), first.span.to(prevSpan))
        try checkTarget(t, aug: false)
        return t
    }

    mutating func target1() throws -> Expr {
        let s = tok.span
        if accept("*") { let e = try primary(); return Expr(.starred(e), s.to(e.span)) }
        let e = try bitOr()
        try checkTarget(e, aug: false)
        return e
    }

    mutating func namedExpr() throws -> Expr { try expr() }

    mutating func enter() throws {
        depth += 1
        if depth > Parser.maxDepth { throw error("too many nested parentheses, brackets or expressions (limit \(Parser.maxDepth))") }
    }

    mutating func expr() throws -> Expr {
        try enter(); defer { depth -= 1 }
        if isName("lambda") {
            let s = tok.span
            p += 1
            let ps = try parameters(close: ":")
            try expect(":")
            let body = try expr()
            return Expr(.lambda(ps, body), s.to(body.span))
        }
        let e = try orExpr()
        if isName("if") {
            p += 1
            let c = try orExpr()
            try expect("else", "expected 'else' in a conditional expression\(describeHere())")
            let other = try expr()
            return Expr(.ifExpr(c, e, other), e.span.to(other.span))
        }
        return e
    }

    mutating func orExpr() throws -> Expr {
        var l = try andExpr()
        while accept("or") { let r = try andExpr(); l = Expr(.or(l, r), l.span.to(r.span)) }
        return l
    }
    mutating func andExpr() throws -> Expr {
        var l = try notExpr()
        while accept("and") { let r = try notExpr(); l = Expr(.and(l, r), l.span.to(r.span)) }
        return l
    }
    mutating func notExpr() throws -> Expr {
        let s = tok.span
        if accept("not") { try enter(); defer { depth -= 1 }; let e = try notExpr(); return Expr(.not(e), s.to(e.span)) }
        return try comparison()
    }
    mutating func comparison() throws -> Expr {
        let first = try bitOr()
        var rest: [(CmpOp, Expr)] = []
        while true {
            var op: CmpOp?
            switch kind {
            case .op(let o): op = CmpOp(rawValue: o)
            case .name("in"): op = .in
            case .name("is"): op = .is
            case .name("not"): if case .name("in") = toks[p + 1].kind { op = .notIn }
            default: break
            }
            guard var o = op else { break }
            p += 1
            if o == .notIn { p += 1 }
            if o == .is && accept("not") { o = .isNot }
            rest.append((o, try bitOr()))
        }
        if rest.isEmpty { return first }
        return Expr(.compare(first, rest), first.span.to(rest[rest.count - 1].1.span))
    }
    mutating func binLevel(_ ops: [String], _ next: (inout Parser) throws -> Expr) throws -> Expr {
        var l = try next(&self)
        while case .op(let o) = kind, ops.contains(o) {
            p += 1
            let r = try next(&self)
            l = Expr(.binary(BinOp(rawValue: o) ?? .add, l, r), l.span.to(r.span))
        }
        return l
    }
    mutating func bitOr() throws -> Expr { try binLevel(["|"]) { try $0.bitXor() } }
    mutating func bitXor() throws -> Expr { try binLevel(["^"]) { try $0.bitAnd() } }
    mutating func bitAnd() throws -> Expr { try binLevel(["&"]) { try $0.shift() } }
    mutating func shift() throws -> Expr { try binLevel(["<<", ">>"]) { try $0.arith() } }
    mutating func arith() throws -> Expr { try binLevel(["+", "-"]) { try $0.term() } }
    mutating func term() throws -> Expr { try binLevel(["*", "/", "//", "%", "@"]) { try $0.factor() } }
    mutating func factor() throws -> Expr {
        let s = tok.span
        if case .op(let o) = kind, let u = UnaryOp(rawValue: o) {
            p += 1
            try enter(); defer { depth -= 1 }
            let e = try factor()
            return Expr(.unary(u, e), s.to(e.span))
        }
        return try power()
    }
    mutating func power() throws -> Expr {
        let b = try primary()
        if accept("**") {
            try enter(); defer { depth -= 1 }
            let e = try factor()
            return Expr(.binary(.pow, b, e), b.span.to(e.span))
        }
        return b
    }

    mutating func primary() throws -> Expr {
        var e = try atom()
        while true {
            if accept("(") {
                try enter(); defer { depth -= 1 }
                let args = try callArgs()
                try expect(")")
                e = Expr(.call(e, args), e.span.to(prevSpan))
            } else if accept("[") {
                try enter(); defer { depth -= 1 }
                let idx = try subscriptList()
                try expect("]")
                e = Expr(.subscript(e, idx), e.span.to(prevSpan))
            } else if accept(".") {
                let n = try identifier()
                e = Expr(.attribute(e, n), e.span.to(prevSpan))
            } else { return e }
        }
    }

    mutating func callArgs() throws -> [Arg] {
        var args: [Arg] = []
        while !isOp(")") {
            if accept("**") { args.append(.doubleStar(try expr())) }
            else if accept("*") { args.append(.star(try expr())) }
            else if case .name(let n) = kind, case .op("=") = toks[p + 1].kind {
                p += 2
                args.append(.keyword(n, try expr()))
            } else {
                let e = try expr()
                if isName("for") {
                    let comps = try compFor()
                    args.append(.positional(Expr(.listComp(e, comps), e.span.to(prevSpan))))
                } else { args.append(.positional(e)) }
            }
            if !accept(",") { break }
        }
        return args
    }

    mutating func subscriptList() throws -> Expr {
        let first = try subscriptItem()
        guard isOp(",") else { return first }
        var xs = [first]
        while accept(",") { if isOp("]") { break }; xs.append(try subscriptItem()) }
        return Expr(.tuple(xs), first.span.to(prevSpan))
    }

    mutating func subscriptItem() throws -> Expr {
        let s = tok.span
        var lo: Expr?
        if !isOp(":") { lo = try expr(); if !isOp(":") { return lo! } }
        p += 1
        var hi: Expr?, step: Expr?
        if !isOp(":") && !isOp("]") && !isOp(",") { hi = try expr() }
        if accept(":") { if !isOp("]") && !isOp(",") { step = try expr() } }
        return Expr(.slice(lo, hi, step), s.to(prevSpan))
    }

    mutating func compFor() throws -> [Comp] {
        var comps: [Comp] = []
        while accept("for") {
            let t = try targetList()
            try expect("in")
            let it = try orExpr()
            var conds: [Expr] = []
            while accept("if") { conds.append(try orExprNoCond()) }
            comps.append(Comp(target: t, iter: it, conditions: conds))
        }
        return comps
    }
    mutating func orExprNoCond() throws -> Expr { try orExpr() }

    mutating func atom() throws -> Expr {
        let t = tok
        let s = t.span
        switch t.kind {
        case .int(let v): p += 1; return Expr(.int(v), s)
        case .float(let v): p += 1; return Expr(.float(v), s)
        case .string, .fstring:
            var parts: [FPart] = []
            var isF = false
            var end = s
            while true {
                if case .string(let str) = kind { parts.append(.literal(str)); end = tok.span; p += 1 }
                else if case .fstring(let body, let col) = kind { isF = true; parts += try fstringParts(body, line: tok.span.line, column: col); end = tok.span; p += 1 }
                else { break }
            }
            if !isF { return Expr(.string(parts.map { if case .literal(let x) = $0 { return x } else { return "" } }.joined()), s.to(end)) }
            return Expr(.fstring(parts), s.to(end))
        case .name(let n):
            switch n {
            case "None": p += 1; return Expr(.const(.none), s)
            case "True": p += 1; return Expr(.const(.true), s)
            case "False": p += 1; return Expr(.const(.false), s)
            default:
                if Parser.keywords.contains(n) { throw error("invalid syntax: unexpected keyword '\(n)'") }
                p += 1; return Expr(.name(n), s)
            }
        case .op("..."): p += 1; return Expr(.const(.ellipsis), s)
        case .op("("):
            p += 1
            try enter(); defer { depth -= 1 }
            if accept(")") { return Expr(.tuple([]), s.to(prevSpan)) }
            let first = try starOrExpr()
            if isName("for") {
                let comps = try compFor()
                try expect(")")
                return Expr(.listComp(first, comps), s.to(prevSpan))  // generator expressions are evaluated eagerly
            }
            if accept(")") { return first }
            var xs = [first]
            while accept(",") { if isOp(")") { break }; xs.append(try starOrExpr()) }
            try expect(")")
            return Expr(.tuple(xs), s.to(prevSpan))
        case .op("["):
            p += 1
            try enter(); defer { depth -= 1 }
            if accept("]") { return Expr(.list([]), s.to(prevSpan)) }
            let first = try starOrExpr()
            if isName("for") {
                let comps = try compFor()
                try expect("]")
                return Expr(.listComp(first, comps), s.to(prevSpan))
            }
            var xs = [first]
            while accept(",") { if isOp("]") { break }; xs.append(try starOrExpr()) }
            try expect("]")
            return Expr(.list(xs), s.to(prevSpan))
        case .op("{"):
            p += 1
            try enter(); defer { depth -= 1 }
            if accept("}") { return Expr(.dict([]), s.to(prevSpan)) }
            if accept("**") {
                var items: [(Expr?, Expr)] = [(nil, try bitOr())]
                try dictRest(&items)
                return Expr(.dict(items), s.to(prevSpan))
            }
            let first = try starOrExpr()
            if accept(":") {
                let v = try expr()
                if isName("for") {
                    let comps = try compFor()
                    try expect("}")
                    return Expr(.dictComp(first, v, comps), s.to(prevSpan))
                }
                var items: [(Expr?, Expr)] = [(first, v)]
                try dictRest(&items)
                return Expr(.dict(items), s.to(prevSpan))
            }
            if isName("for") {
                let comps = try compFor()
                try expect("}")
                return Expr(.setComp(first, comps), s.to(prevSpan))
            }
            var xs = [first]
            while accept(",") { if isOp("}") { break }; xs.append(try starOrExpr()) }
            try expect("}")
            return Expr(.set(xs), s.to(prevSpan))
        case .eof: throw error("unexpected end of input")
        case .newline: throw error("invalid syntax: the line ends where an expression was expected")
        case .indent: throw SyntaxError(kind: "IndentationError", message: "unexpected indent", line: s.line, column: s.column, incomplete: false)
        default: throw error("invalid syntax\(describeHere())")
        }
    }

    mutating func dictRest(_ items: inout [(Expr?, Expr)]) throws {
        while accept(",") {
            if isOp("}") { break }
            if accept("**") { items.append((nil, try bitOr())); continue }
            let k = try expr()
            try expect(":")
            items.append((k, try expr()))
        }
        try expect("}")
    }

    /// Splits an f-string body into literal text and `{expr!c:spec}` fields.
    func fstringParts(_ body: String, line: Int, column: Int) throws -> [FPart] {
        let cs = Array(body.unicodeScalars)
        var parts: [FPart] = []
        var lit = String.UnicodeScalarView()
        var k = 0
        func fail(_ m: String) -> SyntaxError { SyntaxError(kind: "SyntaxError", message: "f-string: " + m, line: line, column: column + k, incomplete: false) }
        while k < cs.count {
            let c = cs[k]
            if c == "{" && k + 1 < cs.count && cs[k + 1] == "{" { lit.append("{"); k += 2; continue }
            if c == "}" && k + 1 < cs.count && cs[k + 1] == "}" { lit.append("}"); k += 2; continue }
            if c == "}" { throw fail("single '}' is not allowed") }
            if c != "{" { lit.append(c); k += 1; continue }
            if !lit.isEmpty { parts.append(.literal(String(lit))); lit = String.UnicodeScalarView() }
            k += 1
            let exprStart = k
            var d = 0
            var quote: Unicode.Scalar?
            while k < cs.count {
                let x = cs[k]
                if let q = quote { if x == q { quote = nil }; k += 1; continue }
                if x == "'" || x == "\"" { quote = x }
                else if x == "(" || x == "[" || x == "{" { d += 1 }
                else if x == ")" || x == "]" || x == "}" { if d == 0 { break }; d -= 1 }
                else if d == 0 && (x == ":" || (x == "!" && k + 1 < cs.count && cs[k + 1] != "=")) { break }
                k += 1
            }
            var exprText = String.UnicodeScalarView(); exprText.append(contentsOf: cs[exprStart..<k])
            var text = String(exprText)
            var selfDoc = false
            if text.hasSuffix("=") && !text.hasSuffix("==") { selfDoc = true; text.removeLast() }
            if text.trimmingSpaces.isEmpty { throw fail("empty expression not allowed") }
            let e = try Parser.parseExpression(text, line: line, column: column + exprStart)
            var conv: Character?
            var spec: [FPart]?
            if k < cs.count && cs[k] == "!" {
                guard k + 1 < cs.count, "rsa".unicodeScalars.contains(cs[k + 1]) else { throw fail("invalid conversion character") }
                conv = Character(cs[k + 1]); k += 2
            }
            if k < cs.count && cs[k] == ":" {
                k += 1
                let specStart = k
                var sd = 0
                while k < cs.count { if cs[k] == "{" { sd += 1 } else if cs[k] == "}" { if sd == 0 { break }; sd -= 1 }; k += 1 }
                var st = String.UnicodeScalarView(); st.append(contentsOf: cs[specStart..<k])
                spec = try fstringParts(String(st), line: line, column: column + specStart)
            }
            guard k < cs.count, cs[k] == "}" else { throw fail("expecting '}'") }
            k += 1
            if selfDoc { parts.append(.literal(text + "=")); if conv == nil && spec == nil { conv = "r" } }
            parts.append(.field(e, conversion: conv, spec: spec))
        }
        if !lit.isEmpty { parts.append(.literal(String(lit))) }
        return parts
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" { s.removeLast() }
        return String(s)
    }
}
