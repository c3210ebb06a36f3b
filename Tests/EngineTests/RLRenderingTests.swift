import Testing
@testable import Engine

@Suite struct CliffWalkingRenderingTests {
    @Test func picturesTheAgentCliffAndGoal() throws {
        let env = CliffWalking()
        _ = try env.reset()
        let lines = try env.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == Array(repeating: "o", count: 12).joined(separator: " "))
        #expect(lines[3] == "x " + Array(repeating: "C", count: 10).joined(separator: " ") + " T")
    }

    @Test func valuesArePaddedAndPolicyIsArrows() throws {
        let env = CliffWalking()
        let values = try env.render(values: (0..<48).map { -Double($0) / 4 })
        // values are rounded to one decimal, half away from zero (-0.25 → -0.3), right-aligned in 7
        #expect(values.split(separator: "\n")[0].hasPrefix("      0   -0.3   -0.5"))
        let policy = try env.render(policy: Array(repeating: 1, count: 48))
        #expect(policy.split(separator: "\n")[0] == Substring(Array(repeating: "→", count: 12).joined(separator: " ")))
        #expect(throws: EnvironmentError.self) { try env.render(values: [1]) }
    }

    @Test func hugeValuesKeepTheirFloatSpellingInsteadOfTrapping() throws {
        // Int(1e300) would trap; values come straight from a student's table.
        let env = CliffWalking()
        let text = try env.render(values: [1e300, -1e20, .infinity] + Array(repeating: 2, count: 45))
        #expect(text.split(separator: "\n")[0].hasPrefix(" 1e+300 -1e+20    inf      2"))
    }
}
