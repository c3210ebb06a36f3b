import Testing
import Foundation
@testable import Plot

/// Golden images: reference figures rendered now must match the committed PNGs within a small mean
/// difference (font rasterization or colour rounding may drift by a level; layout changes do not pass).
/// Set PLOT_UPDATE_GOLDEN=1 to rewrite them after an intended change, then look at them.
private let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
private let updating = ProcessInfo.processInfo.environment["PLOT_UPDATE_GOLDEN"] == "1"

private func compare(_ canvas: Canvas, golden name: String, tolerance: Double = 0.5) throws {
    let url = goldenDir.appendingPathComponent(name)
    if updating {
        let png = try PNGEncoder.encode(rgba: canvas.pixels, width: canvas.width, height: canvas.height, level: 9)
        try Data(png).write(to: url)
    }
    let stored = try readPNG([UInt8](Data(contentsOf: url)))
    #expect(stored.width == canvas.width && stored.height == canvas.height)
    let diff = meanAbsoluteDifference(stored.rgba, canvas.pixels)
    #expect(diff < tolerance, "\(name): mean absolute difference \(diff)")
}

@Suite struct GoldenTests {
    @Test func linesWithLegend() throws { try compare(try ReferenceFigures.lines().render(), golden: "lines.png") }
    @Test func imageWithColorbar() throws { try compare(try ReferenceFigures.image().render(), golden: "image.png") }
    @Test func galleryOfSeries() throws { try compare(try ReferenceFigures.gallery().render(), golden: "gallery.png") }

    @Test func aDifferentFigureDoesNotMatch() throws {
        let fig = try ReferenceFigures.lines()
        fig.axes[0].title("Another title")
        let stored = try readPNG([UInt8](Data(contentsOf: goldenDir.appendingPathComponent("lines.png"))))
        let other = try ReferenceFigures.image().render()
        #expect(meanAbsoluteDifference(stored.rgba, other.pixels) > 2)
    }

    /// The kernelspec logos are drawn by this rasterizer (see `Logo`); the committed files must match.
    @Test(arguments: [32, 64]) func kernelspecLogos(size: Int) throws {
        let url = goldenDir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kernelspec/logo-\(size)x\(size).png")
        let canvas = Logo.draw(size: size)
        if updating {
            try Data(try PNGEncoder.encode(rgba: canvas.pixels, width: size, height: size, dropAlpha: false, level: 9)).write(to: url)
        }
        let stored = try readPNG([UInt8](Data(contentsOf: url)))
        #expect(stored.colorType == 6 && stored.width == size)
        #expect(meanAbsoluteDifference(stored.rgba, canvas.pixels) < 0.5)
    }
}

/// Myelin's logo: a neuron's axon wrapped in myelin segments, on a blue disc.
enum Logo {
    static func draw(size: Int) -> Canvas {
        let s = Double(size)
        let c = Canvas(width: size, height: size, background: .clear)
        var disc = Path(); disc.circle(center: Point(s / 2, s / 2), radius: s * 0.47)
        c.fill(disc, color: Palette.tab10[0])
        // The axon: a gentle S-curve across the disc.
        var axon = Path()
        axon.move(to: Point(s * 0.12, s * 0.62))
        axon.quad(to: Point(s * 0.5, s * 0.5), control: Point(s * 0.3, s * 0.30))
        axon.quad(to: Point(s * 0.88, s * 0.38), control: Point(s * 0.7, s * 0.70))
        c.stroke(axon, color: .white, style: StrokeStyle(width: s * 0.07, cap: .round))
        // Myelin sheaths: three rounded segments along the curve, orange like tab10's second colour.
        for cx in [0.28, 0.5, 0.72] {
            let x0 = s * (cx - 0.035), x1 = s * (cx + 0.035)
            var seg = Path(); seg.move(to: Point(x0, axonY(x0 / s) * s)); seg.line(to: Point(x1, axonY(x1 / s) * s))
            c.stroke(seg, color: Palette.tab10[1], style: StrokeStyle(width: s * 0.12, cap: .round))
        }
        // The cell body.
        var soma = Path(); soma.circle(center: Point(s * 0.14, s * 0.62), radius: s * 0.09)
        c.fill(soma, color: .white)
        return c
    }

    /// The axon curve's height (fraction of the size) at a horizontal position, found by sampling.
    private static func axonY(_ u: Double) -> Double {
        func piece(_ p0: (Double, Double), _ c: (Double, Double), _ p1: (Double, Double)) -> [(Double, Double)] {
            (0...200).map { k in let t = Double(k) / 200, v = 1 - t
                return (v * v * p0.0 + 2 * v * t * c.0 + t * t * p1.0, v * v * p0.1 + 2 * v * t * c.1 + t * t * p1.1) }
        }
        let pts = piece((0.12, 0.62), (0.3, 0.30), (0.5, 0.5)) + piece((0.5, 0.5), (0.7, 0.70), (0.88, 0.38))
        return pts.min { abs($0.0 - u) < abs($1.0 - u) }?.1 ?? 0.5
    }
}
