import Testing
@testable import Plot

@Suite struct TicksTests {
    @Test func unitRangeUsesTenthsWithOneDecimal() {
        let t = Ticks.linear(0, 1)
        #expect(t.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(t.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    }

    @Test func smallRangesNeverPrintFloatNoise() {
        for hi in [0.3, 0.7, 0.03, 3e-3] {
            let labels = Ticks.linear(0, hi).map(\.label)
            #expect(labels.count >= 3)
            #expect(labels.allSatisfy { $0.count <= 6 }, "\(labels)")
        }
        #expect(Ticks.linear(0, 0.3).map(\.label).contains("0.30") || Ticks.linear(0, 0.3).map(\.label).contains("0.3"))
        #expect(Ticks.format([0.1 + 0.2]) == ["0.3"])
        #expect(Ticks.format(0.1 + 0.2) == "0.3")
    }

    @Test func stepsFollowOneTwoFive() {
        for (lo, hi) in [(0.0, 7.3), (-3.2, 41.0), (100.0, 250.0), (0.0, 1e6), (-1.0, 1.0)] {
            let v = Ticks.linear(lo, hi).map(\.value)
            #expect(v.count >= 3 && v.count <= 11)
            let step = v[1] - v[0]
            let m = step / pow(10, floor(log10(step)))
            #expect([1, 2, 2.5, 5].contains { abs($0 - m) < 1e-9 }, "step \(step)")
            #expect(v.first! >= lo - 1e-9 && v.last! <= hi + 1e-9)
        }
        #expect(Ticks.linear(-1, 1).map(\.label) == ["−1.00", "−0.75", "−0.50", "−0.25", "0.00", "0.25", "0.50", "0.75", "1.00"]
                || Ticks.linear(-1, 1).map(\.label) == ["−1.0", "−0.5", "0.0", "0.5", "1.0"])
    }

    @Test func zeroIsNeverNegative() {
        #expect(!Ticks.linear(-0.6, 0.6).map(\.label).contains { $0.hasPrefix("−0.0") || $0 == "−0" })
    }

    @Test func logTicksAreDecades() {
        let t = Ticks.log(1, 1000)
        #expect(t.major.map(\.value) == [1, 10, 100, 1000])
        #expect(t.major.map(\.label) == ["10⁰", "10¹", "10²", "10³"])
        #expect(t.minor.count == 24)
        #expect(Ticks.log(1e-3, 1).major.map(\.label) == ["10⁻³", "10⁻²", "10⁻¹", "10⁰"])
    }

    @Test func hugeValuesUseScientificNotation() {
        #expect(Ticks.format([0, 2e6, 4e6]) == ["0", "2e6", "4e6"])
    }
}

import Foundation
