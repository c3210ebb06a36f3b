import Foundation
@testable import Plot

/// The figures the golden-image tests and the benchmark draw.
enum ReferenceFigures {
    static func lines() throws -> Figure {
        let fig = try Figure()
        let ax = fig.axes[0]
        let x = (0..<200).map { Double($0) / 199 * 10 }
        try ax.line(x: x, y: x.map { sin($0) }, label: "sin(x)")
        try ax.line(x: x, y: x.map { 0.8 * cos($0) }, label: "0.8·cos(x)", style: "--")
        ax.title("Two waves")
        ax.xlabel("x (radians)")
        ax.ylabel("amplitude α")
        ax.legend()
        return fig
    }

    static func scatter(points: Int = 2000) throws -> Figure {
        let fig = try Figure()
        let ax = fig.axes[0]
        var state: UInt64 = 42
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        func normal() -> Double { (-2 * log(max(uniform(), 1e-12))).squareRoot() * cos(2 * Double.pi * uniform()) }
        var xs: [Double] = [], ys: [Double] = [], labels: [Int] = []
        for i in 0..<points {
            let k = i % 3
            xs.append(normal() + Double(k) * 2.5); ys.append(normal() + Double(k % 2) * 3); labels.append(k)
        }
        try ax.scatter(x: xs, y: ys, c: .labels(labels), s: 12)
        ax.title("2000 points in three classes")
        return fig
    }

    static func image() throws -> Figure {
        let fig = try Figure()
        let values = (0..<(28 * 28)).map { i -> Double in
            let r = Double(i / 28) - 13.5, c = Double(i % 28) - 13.5
            return exp(-(r * r + c * c) / 60) * (1 + 0.5 * sin(c / 3))
        }
        try fig.axes[0].image(values, rows: 28, cols: 28, cmap: .viridis, colorbar: true)
        fig.axes[0].title("28×28 image")
        return fig
    }

    static func gallery() throws -> Figure {
        let fig = try Figure(rows: 2, cols: 3, size: (12, 7))
        let a0 = try fig.axes(0)
        try a0.bar(heights: [3, 7, 2, 5], labels: ["cat", "dog", "fox", "owl"]); a0.title("bar")
        let a1 = try fig.axes(1)
        var samples: [Double] = []
        for i in 0..<1000 {
            let u = sin(Double(i) * 12.9898) * 43758.5453
            let f = u - u.rounded(.down)
            samples.append(f + f * f)
        }
        try a1.hist(samples, bins: 20)
        a1.title("hist"); a1.grid()
        let a2 = try fig.axes(2)
        try a2.heatmap([50, 2, 1, 3, 45, 4, 0, 6, 48], rows: 3, cols: 3, xlabels: ["a", "b", "c"], ylabels: ["a", "b", "c"], cmap: .reds)
        a2.title("confusion"); a2.xlabel("predicted"); a2.ylabel("true")
        let a3 = try fig.axes(3)
        try a3.hinton((0..<48).map { sin(Double($0) * 1.7) * Double($0 % 5) }, rows: 6, cols: 8); a3.title("hinton")
        let a4 = try fig.axes(4)
        let g = (0..<40).map { Double($0) / 39 * 4 - 2 }
        try a4.contour(g.flatMap { y in g.map { x in x * x - y * y } }, rows: 40, cols: 40, x: g, y: g, cmap: .rdbu); a4.title("contour")
        let a5 = try fig.axes(5)
        let pts: [Double] = [-1, -1, -0.5, -1.2, -1.2, 0.2, 1, 1, 0.8, 1.3, 1.5, 0.4, 0.2, -1.5, -0.3, 1.6]
        try a5.decisionBoundary(points: pts, labels: [0, 0, 0, 1, 1, 1, 0, 1]) { grid in
            stride(from: 0, to: grid.count, by: 2).map { grid[$0] + grid[$0 + 1] > 0 ? 1 : 0 }
        }
        a5.title("decision boundary")
        a5.yscale(.linear)
        return fig
    }

    static func logAndGrid() throws -> Figure {
        let fig = try Figure(rows: 1, cols: 2, size: (9, 3.5))
        let a = try fig.axes(0)
        let x = (1...50).map(Double.init)
        try a.line(x: x, y: x.map { 100 * exp(-$0 / 8) + 0.1 }, label: "loss", marker: "o", markerSize: 3)
        a.yscale(.log); a.grid(); a.title("log scale"); a.legend()
        let b = try fig.axes(1)
        try b.images((0..<(6 * 64)).map { Double(($0 * 7919) % 97) / 97 }, count: 6, rows: 8, cols: 8, gridCols: 3, titles: (0..<6).map { "#\($0)" })
        b.title("images")
        return fig
    }
}
