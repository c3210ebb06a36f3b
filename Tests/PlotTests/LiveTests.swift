import Testing
@testable import Plot

@Suite struct LiveTests {
    @Test func throttleAllowsAtMostFivePerSecond() {
        var t = RenderThrottle(maxPerSecond: 5)
        let times = stride(from: 0.0, to: 2.0, by: 0.01)
        let renders = times.filter { t.shouldRender(now: $0) }.count
        #expect(renders == 10)
        var u = RenderThrottle()
        let decisions = [0, 0.1, 0.25].map { u.shouldRender(now: $0) }
        #expect(decisions == [true, false, true])
    }

    @Test func liveChartKeepsSeriesInOrder() throws {
        let live = LiveChart(title: "training")
        live.add([("loss", 1.0), ("acc", 0.5)])
        live.add([("loss", 0.5)])
        live.add([("loss", 0.25), ("acc", 0.75)])
        #expect(live.names == ["loss", "acc"])
        #expect(live.values["loss"] == [1, 0.5, 0.25] && live.steps["acc"] == [0, 2])
        let fig = try live.figure()
        #expect(fig.axes[0].series.count == 2)
        #expect(try fig.renderPNG().width == 640)
    }

    @Test func progressBarReportsCountRateAndETA() {
        var bar = ProgressBar(total: 100, description: "train", start: 0)
        let first = bar.advance(10, now: 0.1)
        let second = bar.advance(10, metrics: [("loss", 0.3125)], now: 0.15)
        #expect(first && !second)
        _ = bar.advance(20, now: 2)  // 40 done in 2 s
        #expect(bar.count == 40 && abs(bar.rate - 20) < 1e-9 && abs((bar.eta ?? 0) - 3) < 1e-9)
        #expect(bar.text == "train  40% |████████            | 40/100 [00:02<00:03, 20 it/s] loss=0.3125")
        #expect(bar.html.contains("<progress value='40' max='100'") && bar.html.contains("loss=0.3125"))
        let finished = bar.advance(60, now: 2.01)
        #expect(finished)  // finishing always redraws
        var open = ProgressBar(total: nil, description: "<b>", start: 0)
        _ = open.advance(3, now: 1)
        #expect(open.text.hasPrefix("<b> 3 [00:01, 3 it/s]") && open.html.contains("&lt;b&gt;"))
    }
}
