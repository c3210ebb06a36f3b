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
        return scaled == scaled.rounded() ? "\(Int(scaled))" : "\(scaled)"
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
        var lines: [String] = []
        for r in 0..<rows {
            var cells: [String] = []
            for c in 0..<cols {
                let s = r * cols + c
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
                cells.append(GridText.rightAligned(cell))
            }
            lines.append(cells.joined())
        }
        return lines.joined(separator: "\n")
    }
}

extension CliffWalking {
    /// A text picture like Gymnasium's ansi rendering (`o` cells, `C` cliff, `T` goal, `x` agent), or
    /// with each state's value (right-aligned) or greedy action. Arrays of the wrong length are an error.
    public func render(values: [Double]? = nil, policy: [Int]? = nil) throws -> String {
        let rows = CliffWalking.rows, cols = CliffWalking.cols
        try GridText.checkLengths(env: name, states: rows * cols, values: values, policy: policy)
        var lines: [String] = []
        for r in 0..<rows {
            var cells: [String] = []
            for c in 0..<cols {
                let s = r * cols + c
                let isCliff = r == rows - 1 && c > 0 && c < cols - 1
                let text: String
                if isCliff { text = "C" } else if s == CliffWalking.goalState { text = "T" }
                else if let values { text = GridText.number(values[s], decimals: 1) }
                else if let policy { text = GridText.arrow(policy[s]) }
                else { text = state == s ? "x" : "o" }
                cells.append(values == nil ? text : GridText.rightAligned(text))
            }
            lines.append(cells.joined(separator: values == nil ? " " : ""))
        }
        return lines.joined(separator: "\n")
    }
}
