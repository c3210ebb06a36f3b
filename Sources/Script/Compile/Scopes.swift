/// The symbol-table pass: which names are locals, cells (captured by inner functions), free
/// (captured from outside) or globals, for every function, lambda and class body.
final class ScopeInfo {
    enum Kind { case module, function, classBody }
    let kind: Kind
    weak var parent: ScopeInfo?
    var assigned: [String] = []          // in first-assignment order
    var assignedSet = Set<String>()
    var globals = Set<String>(), nonlocals = Set<String>()
    var used = Set<String>()
    var children: [ScopeInfo] = []
    var cells = Set<String>()
    var free: [String] = []
    var usesSuper = false
    init(_ k: Kind, _ p: ScopeInfo?) { kind = k; parent = p }

    func assign(_ n: String) { if assignedSet.insert(n).inserted { assigned.append(n) } }
    func isLocal(_ n: String) -> Bool { assignedSet.contains(n) && !globals.contains(n) && !nonlocals.contains(n) }
    func addFree(_ n: String) { if !free.contains(n) { free.append(n) } }
}

struct ScopeAnalyzer {
    var scopes: [ObjectIdentifier: ScopeInfo] = [:]

    mutating func analyze(module body: [Stmt]) throws -> ScopeInfo {
        let m = ScopeInfo(.module, nil)
        for s in body { try visit(s, m) }
        try resolve(m)
        return m
    }

    mutating func visitBody(_ b: [Stmt], _ sc: ScopeInfo) throws { for s in b { try visit(s, sc) } }

    mutating func params(_ ps: Params, _ sc: ScopeInfo) {
        for n in ps.names { sc.assign(n) }
        if let v = ps.varargs { sc.assign(v) }
        for n in ps.kwonly { sc.assign(n) }
        if let k = ps.kwargs { sc.assign(k) }
    }

    mutating func visit(_ s: Stmt, _ sc: ScopeInfo) throws {
        switch s.kind {
        case .expr(let e): try expr(e, sc)
        case .assign(let ts, let v): for t in ts { try target(t, sc) }; try expr(v, sc)
        case .augAssign(let t, _, let v): try target(t, sc); try expr(t, sc); try expr(v, sc)
        case .annAssign(let t, let v): try target(t, sc); if let v { try expr(v, sc) }
        case .ifStmt(let c, let a, let b): try expr(c, sc); try visitBody(a, sc); try visitBody(b, sc)
        case .whileStmt(let c, let a, let b): try expr(c, sc); try visitBody(a, sc); try visitBody(b, sc)
        case .forStmt(let t, let it, let a, let b): try target(t, sc); try expr(it, sc); try visitBody(a, sc); try visitBody(b, sc)
        case .breakStmt, .continueStmt, .pass, .magic: break
        case .def(let name, let ps, let body):
            sc.assign(name)
            for d in ps.defaults { try expr(d, sc) }
            for d in ps.kwonlyDefaults { if let d { try expr(d, sc) } }
            let f = ScopeInfo(.function, sc)
            sc.children.append(f)
            scopes[ObjectIdentifier(s)] = f
            params(ps, f)
            try visitBody(body, f)
        case .classDef(let name, let base, let body):
            sc.assign(name)
            if let base { try expr(base, sc) }
            let c = ScopeInfo(.classBody, sc)
            sc.children.append(c)
            scopes[ObjectIdentifier(s)] = c
            try visitBody(body, c)
        case .returnStmt(let e): if let e { try expr(e, sc) }
        case .global(let ns):
            for n in ns { sc.globals.insert(n) }
        case .nonlocal(let ns):
            if sc.kind == .module { throw SyntaxError(kind: "SyntaxError", message: "nonlocal declaration not allowed at module level", line: s.span.line, column: s.span.column, incomplete: false) }
            for n in ns { sc.nonlocals.insert(n) }
        case .with(let e, let t, let b): try expr(e, sc); if let t { try target(t, sc) }; try visitBody(b, sc)
        case .assert(let c, let m): try expr(c, sc); if let m { try expr(m, sc) }
        case .tryStmt(let b, let hs, let e, let f):
            try visitBody(b, sc)
            for h in hs { if let t = h.type { try expr(t, sc) }; if let n = h.name { sc.assign(n) }; try visitBody(h.body, sc) }
            try visitBody(e, sc); try visitBody(f, sc)
        case .raise(let e, let c): if let e { try expr(e, sc) }; if let c { try expr(c, sc) }
        case .del(let ts): for t in ts { try target(t, sc); try expr(t, sc) }
        case .importStmt(let ns): for (n, a) in ns { sc.assign(a ?? String(n.split(separator: ".")[0])) }
        case .fromImport(_, let ns): for (n, a) in ns where n != "*" { sc.assign(a ?? n) }
        }
    }

    mutating func target(_ t: Expr, _ sc: ScopeInfo) throws {
        switch t.kind {
        case .name(let n): sc.assign(n)
        case .tuple(let xs), .list(let xs): for x in xs { try target(x, sc) }
        case .starred(let x): try target(x, sc)
        case .attribute(let o, _): try expr(o, sc)
        case .subscript(let o, let i): try expr(o, sc); try expr(i, sc)
        default: break
        }
    }

    mutating func expr(_ e: Expr, _ sc: ScopeInfo) throws {
        switch e.kind {
        case .name(let n): sc.used.insert(n)
        case .int, .float, .string, .const: break
        case .fstring(let parts): try fparts(parts, sc)
        case .list(let xs), .tuple(let xs), .set(let xs): for x in xs { try expr(x, sc) }
        case .dict(let items): for (k, v) in items { if let k { try expr(k, sc) }; try expr(v, sc) }
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): try expr(a, sc); try expr(b, sc)
        case .unary(_, let a), .not(let a), .starred(let a): try expr(a, sc)
        case .compare(let a, let rest): try expr(a, sc); for (_, x) in rest { try expr(x, sc) }
        case .call(let f, let args):
            try expr(f, sc)
            if case .name("super") = f.kind, args.isEmpty {
                // zero-argument super() reads the class being defined through a `__class__` cell
                sc.used.insert("__class__"); sc.usesSuper = true
            }
            for a in args {
                switch a { case .positional(let x), .star(let x), .keyword(_, let x), .doubleStar(let x): try expr(x, sc) }
            }
        case .attribute(let o, _): try expr(o, sc)
        case .subscript(let o, let i): try expr(o, sc); try expr(i, sc)
        case .slice(let a, let b, let c): for x in [a, b, c] { if let x { try expr(x, sc) } }
        case .ifExpr(let c, let a, let b): try expr(c, sc); try expr(a, sc); try expr(b, sc)
        case .lambda(let ps, let body):
            for d in ps.defaults { try expr(d, sc) }
            let f = ScopeInfo(.function, sc)
            sc.children.append(f)
            scopes[ObjectIdentifier(e)] = f
            params(ps, f)
            try expr(body, f)
        case .listComp(let x, let comps), .setComp(let x, let comps):
            try compsVisit(comps, sc); try expr(x, sc)
        case .dictComp(let k, let v, let comps):
            try compsVisit(comps, sc); try expr(k, sc); try expr(v, sc)
        }
    }

    mutating func compsVisit(_ comps: [Comp], _ sc: ScopeInfo) throws {
        // comprehension targets live in hidden slots of the enclosing scope; only uses matter here
        for c in comps { try expr(c.iter, sc); try expr(c.target, sc); for x in c.conditions { try expr(x, sc) } }
    }

    mutating func fparts(_ parts: [FPart], _ sc: ScopeInfo) throws {
        for p in parts { if case .field(let e, _, let spec) = p { try expr(e, sc); if let spec { try fparts(spec, sc) } } }
    }

    /// Decides cells and free variables, children first.
    func resolve(_ sc: ScopeInfo) throws {
        for c in sc.children { try resolve(c) }
        guard sc.kind != .module else { return }
        if sc.kind == .classBody && sc.children.contains(where: { $0.free.contains("__class__") }) {
            sc.assign("__class__"); sc.cells.insert("__class__")
        }
        var names = sc.used
        for c in sc.children { for n in c.free { names.insert(n) } }
        for n in sc.nonlocals { names.insert(n) }
        for n in names.sorted() {
            if sc.globals.contains(n) { continue }
            if sc.isLocal(n) {
                if sc.kind == .function && sc.children.contains(where: { $0.free.contains(n) }) { sc.cells.insert(n) }
                if sc.kind == .classBody && n != "__class__" { continue }
                continue
            }
            // look outward through enclosing functions (class bodies only provide __class__)
            var a = sc.parent
            while let s = a {
                if s.kind == .module { break }
                if s.kind == .function && s.globals.contains(n) { break }
                if (s.kind == .function && s.isLocal(n)) || (n == "__class__" && s.kind == .classBody) || (s.kind == .function && s.nonlocals.contains(n)) {
                    sc.addFree(n)
                    break
                }
                a = s.parent
            }
            if sc.nonlocals.contains(n) && !sc.free.contains(n) {
                throw SyntaxError(kind: "SyntaxError", message: "no binding for nonlocal '\(n)' found", line: 0, column: 0, incomplete: false)
            }
        }
        // a free name this scope passes through from further out must also be free in each scope between
    }
}
