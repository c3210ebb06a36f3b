/// Expression nodes. Every node carries the span used by tracebacks' carets.
final class Expr {
    indirect enum Kind {
        case name(String)
        case int(Int), float(Double), string(String), fstring([FPart])
        case const(ConstKind)
        case list([Expr]), tuple([Expr]), set([Expr]), dict([(Expr?, Expr)])
        case binary(BinOp, Expr, Expr)
        case unary(UnaryOp, Expr)
        case and(Expr, Expr), or(Expr, Expr), not(Expr)
        case compare(Expr, [(CmpOp, Expr)])
        case call(Expr, [Arg])
        case attribute(Expr, String)
        case `subscript`(Expr, Expr)
        case slice(Expr?, Expr?, Expr?)
        case ifExpr(Expr, Expr, Expr)    // cond, then, else
        case lambda(Params, Expr)
        case listComp(Expr, [Comp]), setComp(Expr, [Comp]), dictComp(Expr, Expr, [Comp])
        case starred(Expr)
    }
    enum ConstKind { case none, `true`, `false`, ellipsis }
    let kind: Kind
    let span: Span
    init(_ kind: Kind, _ span: Span) { self.kind = kind; self.span = span }
}

enum FPart { case literal(String), field(Expr, conversion: Character?, spec: [FPart]?) }

enum Arg { case positional(Expr), star(Expr), keyword(String, Expr), doubleStar(Expr) }

struct Comp { var target: Expr; var iter: Expr; var conditions: [Expr] }

struct Params {
    var names: [String] = []
    var defaults: [Expr] = []        // for the last defaults.count names
    var varargs: String?
    var kwonly: [String] = []
    var kwonlyDefaults: [Expr?] = []
    var kwargs: String?
}

enum BinOp: String { case add = "+", sub = "-", mul = "*", div = "/", floordiv = "//", mod = "%", pow = "**", matmul = "@", and = "&", or = "|", xor = "^", lshift = "<<", rshift = ">>" }
enum UnaryOp: String { case neg = "-", pos = "+", invert = "~" }
enum CmpOp: String { case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in", notIn = "not in", `is` = "is", isNot = "is not" }

final class Stmt {
    indirect enum Kind {
        case expr(Expr)
        case assign([Expr], Expr)
        case augAssign(Expr, BinOp, Expr)
        case annAssign(Expr, Expr?)
        case ifStmt(Expr, [Stmt], [Stmt])
        case whileStmt(Expr, [Stmt], [Stmt])
        case forStmt(Expr, Expr, [Stmt], [Stmt])
        case breakStmt, continueStmt, pass
        case def(String, Params, [Stmt])
        case classDef(String, Expr?, [Stmt])
        case returnStmt(Expr?)
        case global([String]), nonlocal([String])
        case with(Expr, Expr?, [Stmt])
        case assert(Expr, Expr?)
        case tryStmt([Stmt], [Handler], [Stmt], [Stmt])   // body, handlers, else, finally
        case raise(Expr?, Expr?)
        case del([Expr])
        case importStmt([(String, String?)])
        case fromImport(String, [(String, String?)])
        case magic(String, String)   // %time / %timeit and the statement text
    }
    let kind: Kind
    let span: Span
    init(_ kind: Kind, _ span: Span) { self.kind = kind; self.span = span }
}

struct Handler { var type: Expr?; var name: String?; var body: [Stmt]; var span: Span }
