extension GridWorld {
    /// A text picture of the grid for notebooks: `#` walls, terminal rewards, `S` the start, and
    /// optionally each state's value (`values[s]`) or greedy action (`policy[s]`, as ↑ → ↓ ←).
    /// Arrays of the wrong length are an error.
    public func render(values: [Double]? = nil, policy: [Int]? = nil) throws -> String {
        let n = rows * cols
        for (argument, count) in [("values", values?.count), ("policy", policy?.count)] {
            if let count, count != n {
                throw EnvironmentError.invalidConfiguration(env: name, reason: "render needs \(n) entries in \(argument), got \(count)")
            }
        }
        let arrows = ["↑", "→", "↓", "←"]
        var lines: [String] = []
        for r in 0..<rows {
            var cells: [String] = []
            for c in 0..<cols {
                let s = r * cols + c
                let cell: String
                if isWall(s) {
                    cell = "#"
                } else if let reward = terminals[Cell(r, c)] {
                    cell = formatNumber(reward)
                } else if let values {
                    cell = formatNumber(values[s])
                } else if let policy {
                    cell = (0..<4).contains(policy[s]) ? arrows[policy[s]] : "?"
                } else {
                    cell = Cell(r, c) == start ? "S" : "."
                }
                cells.append(cell)
            }
            lines.append(cells.map { String(repeating: " ", count: max(0, 7 - $0.count)) + $0 }.joined())
        }
        return lines.joined(separator: "\n")
    }

    private func formatNumber(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let scaled = (x * 100).rounded() / 100
        return scaled == scaled.rounded() ? "\(Int(scaled))" : "\(scaled)"
    }
}
