/// What the text pictures of grid environments share: argument checks, arrows and numbers.
enum GridText {
    static let arrows = ["↑", "→", "↓", "←"]

    /// `values`/`policy` must have one entry per state.
    static func checkLengths(env: String, states n: Int, values: [Double]?, policy: [Int]?) throws {
        for (argument, count) in [("values", values?.count), ("policy", policy?.count)] {
            if let count, count != n {
                throw EnvironmentError.invalidConfiguration(env: env, reason: "render needs \(n) entries in \(argument), got \(count)")
            }
        }
    }

    static func arrow(_ action: Int) -> String { (0..<4).contains(action) ? arrows[action] : "?" }

    /// `x` rounded to `decimals`, without a trailing `.0` for whole numbers.
    static func number(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        let scale = Double((0..<decimals).reduce(1) { acc, _ in acc * 10 })
        let scaled = (x * scale).rounded() / scale
        // Int(_:) traps beyond ±2^63; whole numbers that large keep their float spelling.
        return scaled == scaled.rounded() && Swift.abs(scaled) < 1e15 ? "\(Int(scaled))" : "\(scaled)"
    }

    /// `rows` lines of `cols` cells, each cell's text from `cell(row, column, state)`.
    static func picture(rows: Int, cols: Int, separator: String = "", _ cell: (Int, Int, Int) -> String) -> String {
        (0..<rows).map { r in (0..<cols).map { c in cell(r, c, r * cols + c) }.joined(separator: separator) }
            .joined(separator: "\n")
    }

    static func rightAligned(_ text: String, width: Int = 7) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

extension GridWorld {
    /// A text picture of the grid for notebooks: `#` walls, terminal rewards, `S` the start, and
    /// optionally each state's value (`values[s]`) or greedy action (`policy[s]`, as ↑ → ↓ ←).
    /// Arrays of the wrong length are an error.
    public func render(values: [Double]? = nil, policy: [Int]? = nil) throws -> String {
        try GridText.checkLengths(env: name, states: rows * cols, values: values, policy: policy)
        return GridText.picture(rows: rows, cols: cols) { r, c, s in
            let cell: String
            if isWall(s) {
                cell = "#"
            } else if let reward = terminals[Cell(r, c)] {
                cell = GridText.number(reward, decimals: 2)
            } else if let values {
                cell = GridText.number(values[s], decimals: 2)
            } else if let policy {
                cell = GridText.arrow(policy[s])
            } else {
                cell = Cell(r, c) == start ? "S" : "."
            }
            return GridText.rightAligned(cell)
        }
    }
}

extension CliffWalking {
    /// A text picture like Gymnasium's ansi rendering (`o` cells, `C` cliff, `T` goal, `x` agent), or
    /// with each state's value (right-aligned) or greedy action. Arrays of the wrong length are an error.
    public func render(values: [Double]? = nil, policy: [Int]? = nil) throws -> String {
        let rows = CliffWalking.rows, cols = CliffWalking.cols
        try GridText.checkLengths(env: name, states: rows * cols, values: values, policy: policy)
        return GridText.picture(rows: rows, cols: cols, separator: values == nil ? " " : "") { r, c, s in
            let isCliff = r == rows - 1 && c > 0 && c < cols - 1
            let text: String
            if isCliff { text = "C" } else if s == CliffWalking.goalState { text = "T" }
            else if let values { text = GridText.number(values[s], decimals: 1) }
            else if let policy { text = GridText.arrow(policy[s]) }
            else { text = state == s ? "x" : "o" }
            return values == nil ? text : GridText.rightAligned(text)
        }
    }
}
