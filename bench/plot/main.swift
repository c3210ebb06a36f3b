// Times Myelin's Plot on three figures, each drawn and saved as PNG (see bench/plot/run.sh).
// Usage: plotbench OUTDIR REPEATS → prints "name seconds" medians, one line per figure.
import Foundation
import Plot

func lines() throws -> Figure {
    let fig = try Figure()
    let ax = fig.axes[0]
    let x = (0..<200).map { Double($0) / 199 * 10 }
    try ax.line(x: x, y: x.map { sin($0) }, label: "sin(x)")
    try ax.line(x: x, y: x.map { 0.8 * cos($0) }, label: "0.8 cos(x)", style: "--")
    ax.title("Two waves"); ax.xlabel("x"); ax.ylabel("amplitude"); ax.legend()
    return fig
}

func scatter() throws -> Figure {
    let fig = try Figure()
    var state: UInt64 = 42
    func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
    var xs: [Double] = [], ys: [Double] = [], labels: [Int] = []
    for i in 0..<2000 {
        xs.append(uniform() * 4 + Double(i % 3) * 2); ys.append(uniform() * 4 + Double(i % 2) * 3); labels.append(i % 3)
    }
    try fig.axes[0].scatter(x: xs, y: ys, c: .labels(labels), s: 12)
    return fig
}

func image() throws -> Figure {
    let fig = try Figure()
    let values = (0..<784).map { i -> Double in let r = Double(i / 28) - 13.5, c = Double(i % 28) - 13.5; return exp(-(r * r + c * c) / 60) }
    try fig.axes[0].image(values, rows: 28, cols: 28, cmap: .viridis)
    return fig
}

let args = CommandLine.arguments
let out = args.count > 1 ? args[1] : NSTemporaryDirectory()
let repeats = args.count > 2 ? Int(args[2]) ?? 5 : 5
do {
    _ = try lines().renderPNG()  // load the font once, outside the timings
    for (name, make) in [("lines", lines), ("scatter2000", scatter), ("image28", image)] {
        var times: [Double] = []
        for _ in 0..<repeats {
            // CPU time of this process: the machine is shared, so wall time mostly measures the neighbours.
            let t0 = clock()
            try make().save(path: "\(out)/myelin_\(name).png")
            times.append(Double(clock() - t0) / Double(CLOCKS_PER_SEC))
        }
        print(name, times.sorted()[times.count / 2])
    }
} catch {
    print("error:", error)
    exit(1)
}
