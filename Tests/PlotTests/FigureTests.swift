import Testing
import Foundation
@testable import Plot

/// Counts pixels of roughly one colour in a canvas region.
private func count(_ c: Canvas, _ color: Color, in r: Rect? = nil, tolerance: Int = 40) -> Int {
    let area = r ?? Rect(x: 0, y: 0, width: Double(c.width), height: Double(c.height))
    var n = 0
    for y in Int(area.y)..<Int(area.maxY) { for x in Int(area.x)..<Int(area.maxX) {
        guard let p = c.pixel(x: x, y: y) else { continue }
        if abs(Int(p.r) - Int(channel(color.r))) + abs(Int(p.g) - Int(channel(color.g))) + abs(Int(p.b) - Int(channel(color.b))) < tolerance { n += 1 }
    } }
    return n
}

@Suite struct FigureTests {
    @Test func mismatchedLengthsThrowClearErrors() throws {
        let ax = Axes()
        #expect(throws: PlotError("line: x has 3 values but y has 2; they must have the same length")) { try ax.line(x: [1, 2, 3], y: [1, 2]) }
        #expect(throws: PlotError.self) { try ax.scatter(x: [1], y: [1, 2]) }
        #expect(throws: PlotError.self) { try ax.scatter(x: [1, 2], y: [1, 2], c: .labels([0])) }
        #expect(throws: PlotError.self) { try ax.bar(heights: [1, 2], labels: ["a"]) }
        #expect(throws: PlotError.self) { try ax.line(y: [1], style: "~~") }
        #expect(throws: PlotError.self) { try ax.line(y: [1], color: "nocolour") }
        #expect(throws: PlotError.self) { try ax.xlim(1, 1) }
        #expect(ax.series.isEmpty)
    }

    @Test func imagesMustBeTwoDimensional() {
        let ax = Axes()
        #expect(throws: PlotError.self) { try ax.image([1, 2, 3], rows: 2, cols: 2) }
        #expect(throws: PlotError.self) { try ax.image([1, 2, 3, 4], rows: 2, cols: 2, channels: 2) }
        #expect(throws: PlotError.self) { try ax.heatmap([1, 2, 3], rows: 1, cols: 2) }
        #expect(throws: PlotError.self) { try ax.images([1, 2, 3], count: 2, rows: 1, cols: 1) }
        #expect(throws: PlotError.self) { try ax.contour([1, 2, 3, 4], rows: 2, cols: 2, x: [1, 0]) }
        #expect(throws: PlotError.self) { try Figure(rows: 0, cols: 1) }
        #expect(throws: PlotError.self) { try Figure().axes(5) }
    }

    @Test func emptyDataDrawsEmptyAxes() throws {
        let fig = try Figure()
        try fig.axes[0].line(y: [])
        try fig.axes[0].scatter(x: [], y: [])
        try fig.axes[0].hist([])
        let c = try fig.render()
        // The frame is drawn (black pixels) and nothing blue.
        #expect(count(c, .black) > 1000)
        #expect(count(c, Palette.tab10[0], tolerance: 20) == 0)
    }

    @Test func nonFinitePointsAreSkipped() throws {
        let fig = try Figure()
        try fig.axes[0].line(y: [0, 1, .nan, 3, .infinity, 5, -.infinity])
        try fig.axes[0].scatter(x: [0, .nan, 2], y: [1, 2, .infinity])
        let c = try fig.render()
        #expect(count(c, Palette.tab10[0], tolerance: 20) > 100)
    }

    @Test func zoomedLimitsAndHugeValuesNeitherHangNorTrap() throws {
        let fig = try Figure()
        let ax = fig.axes[0]
        try ax.image([1, 2, 3, 4], rows: 2, cols: 2)  // first, so the lines are drawn over it
        try ax.line(x: [0, 1e6, 2e6], y: [0, 1e300, -1e300], style: "--")
        try ax.line(x: [-1e12, 1e12], y: [0.5, 0.5], marker: "o")
        try ax.line(x: [-1e308, 1e308], y: [0.2, 0.2])  // maps to ±inf pixels: skipped, not a crash
        try ax.scatter(x: [1e300, 0.5], y: [0.5, 1e300])
        try ax.bar(x: [0.5], heights: [1e305])
        try ax.xlim(0, 1); try ax.ylim(0, 1)
        let c = try fig.render()
        #expect(count(c, Palette.tab10[1], tolerance: 30) > 100)  // the horizontal line at 0.5 is there
    }

    @Test func clippingKeepsLinesContinuousInsideTheBox() {
        let box = Rect(x: 0, y: 0, width: 10, height: 10)
        let inside = clipSegment(Point(1, 1), Point(3, 7), to: box)
        #expect(inside?.0 == Point(1, 1) && inside?.1 == Point(3, 7))
        let crossing = clipSegment(Point(-10, 5), Point(20, 5), to: box)
        #expect(crossing?.0 == Point(0, 5) && crossing?.1 == Point(10, 5))
        #expect(clipSegment(Point(-5, -5), Point(-1, 20), to: box) == nil)
    }

    @Test func logAxesIgnoreNonPositiveValues() throws {
        let fig = try Figure()
        try fig.axes[0].line(x: [0, 1, 10, 100], y: [-1, 1, 10, 100])
        fig.axes[0].xscale(.log); fig.axes[0].yscale(.log)
        _ = try fig.renderPNG()
    }

    @Test func linesGoWhereTheDataSays() throws {
        let fig = try Figure()
        try fig.axes[0].line(x: [0, 1], y: [0, 0], color: "red")
        try fig.axes[0].xlim(-1, 1); try fig.axes[0].ylim(-1, 1)
        let c = try fig.render()
        // A horizontal red line in the vertical middle of the plot, only on the right half.
        var rows = Set<Int>(), cols = Set<Int>()
        for y in 0..<c.height { for x in 0..<c.width { if let p = c.pixel(x: x, y: y), p.r > 200, p.g < 80 { rows.insert(y); cols.insert(x) } } }
        #expect(rows.count >= 3 && rows.count <= 8)
        #expect(cols.min()! > c.width / 2 - 40 && cols.max()! > c.width * 3 / 4)
    }

    @Test func legendAvoidsTheData() throws {
        let fig = try Figure()
        let ax = fig.axes[0]
        // Data fills the upper right: the legend must go elsewhere (upper left is the next choice).
        try ax.scatter(x: (0..<100).map { 5 + Double($0 % 10) * 0.5 }, y: (0..<100).map { 5 + Double($0 / 10) * 0.5 }, label: "cluster")
        try ax.line(x: [0, 0.5], y: [0, 0.5], label: "corner")
        ax.legend()
        let c = try fig.render()
        let w = Double(c.width), h = Double(c.height)
        // The legend frame is light grey; look for it in the left half, upper part.
        let grey = Color(r: 0.8, g: 0.8, b: 0.8)
        #expect(count(c, grey, in: Rect(x: 0, y: 0, width: w / 2, height: h / 2), tolerance: 12) > 100)
        #expect(count(c, grey, in: Rect(x: w / 2, y: 0, width: w / 2, height: h / 2), tolerance: 12) < 20)
    }

    @Test func decisionBoundaryCallsTheModelOnceOnTheWholeGrid() throws {
        let ax = Axes()
        var calls = 0, sizes: [Int] = []
        try ax.decisionBoundary(points: [0, 0, 1, 1], labels: [0, 1], resolution: 50) { grid in
            calls += 1; sizes.append(grid.count)
            return stride(from: 0, to: grid.count, by: 2).map { grid[$0] > 0.5 ? 1 : 0 }
        }
        #expect(calls == 1 && sizes == [2 * 50 * 50])
        #expect(throws: PlotError.self) { try ax.decisionBoundary(points: [0, 0], labels: [0]) { _ in [1, 2, 3] } }
        #expect(throws: PlotError.self) { try ax.decisionBoundary(points: [0, 0, 1], labels: [0]) { _ in [] } }
    }

    @Test func colormapsRunFromTheirEnds() {
        let v0 = Colormap.viridis.color(0), v1 = Colormap.viridis.color(1)
        #expect(abs(v0.r - 0.267) < 0.01 && abs(v0.b - 0.329) < 0.01)
        #expect(abs(v1.r - 0.993) < 0.01 && abs(v1.g - 0.906) < 0.01)
        #expect(Colormap.gray.color(0) == Color(r: 0, g: 0, b: 0) && Colormap.gray.color(1) == Color(r: 1, g: 1, b: 1))
        #expect(Colormap.rdbu.color(0).r > 0.35 && Colormap.rdbu.color(0).g < 0.05 && Colormap.rdbu.color(1).b > 0.35 && Colormap.rdbu.color(1).r < 0.1)
        #expect(Colormap(name: "RdBu") == .rdbu && Colormap(name: "nope") == nil)
        #expect(Colormap.tab10.color(0.05) == Palette.tab10[0] && Colormap.tab10.color(0.95) == Palette.tab10[9])
    }

    @Test func savesAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plot-save-\(getpid()).png").path
        let fig = try Figure()
        try fig.axes[0].bar(heights: [1, 2])
        try fig.save(path: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try readPNG(bytes).width == 1280)
        try? FileManager.default.removeItem(atPath: path)
        #expect(throws: PlotError.self) { try fig.save(path: "/nonexistent-dir/x.png") }
    }
}
