import Foundation

/// Decides when a live display may be redrawn: at most `maxPerSecond` times a second, and always for
/// the final state. Time comes from the caller (seconds, monotonic), so the rule is testable.
public struct RenderThrottle: Sendable {
    public let minInterval: Double
    private var last: Double?

    public init(maxPerSecond: Double = 5) { minInterval = 1 / max(0.001, maxPerSecond) }

    /// True when a redraw at time `now` is due (and records it as done).
    public mutating func shouldRender(now: Double) -> Bool {
        if let l = last, now - l < minInterval { return false }
        last = now
        return true
    }
}

/// A chart that grows during training: named series of points added one step at a time
/// (`live.add(loss: 0.3, acc: 0.9)` in scripts), drawn as lines against the step number.
public final class LiveChart {
    public private(set) var names: [String] = []
    public private(set) var values: [String: [Double]] = [:]
    public private(set) var steps: [String: [Double]] = [:]
    public private(set) var step = 0
    public var title: String?
    public var xlabel = "step"
    private var throttle: RenderThrottle

    public init(title: String? = nil, maxRendersPerSecond: Double = 5) {
        self.title = title
        throttle = RenderThrottle(maxPerSecond: maxRendersPerSecond)
    }

    /// Adds one point per named value at the next step (names keep their first-seen order).
    public func add(_ points: [(name: String, value: Double)]) {
        for (name, value) in points {
            if values[name] == nil { names.append(name); values[name] = []; steps[name] = [] }
            values[name]?.append(value)
            steps[name]?.append(Double(step))
        }
        step += 1
    }

    /// Whether the display should be redrawn now (the binding calls this after each `add`).
    public func shouldRender(now: Double = ProcessInfo.processInfo.systemUptime) -> Bool { throttle.shouldRender(now: now) }

    /// The current chart as a figure: one line per name, a legend when there are several.
    public func figure() throws -> Figure {
        let fig = try Figure()
        let ax = fig.axes[0]
        for name in names { try ax.line(x: steps[name] ?? [], y: values[name] ?? [], label: name) }
        if let t = title { ax.title(t) }
        ax.xlabel(xlabel)
        ax.grid()
        if names.count > 1 { ax.legend() }
        return fig
    }
}

/// A progress bar model: count out of total, rate, ETA and the latest metrics, as HTML and plain text.
public struct ProgressBar {
    public let total: Int?
    public private(set) var count = 0
    public private(set) var metrics: [(String, Double)] = []
    public let description: String
    private let start: Double
    private var now: Double
    private var throttle: RenderThrottle

    public init(total: Int?, description: String = "", start: Double = ProcessInfo.processInfo.systemUptime) {
        self.total = total.map { max(0, $0) }
        self.description = description
        self.start = start; now = start
        throttle = RenderThrottle(maxPerSecond: 5)
    }

    /// Advances by `n` at time `now`, replacing the shown metrics when given. Returns whether to redraw.
    public mutating func advance(_ n: Int = 1, metrics m: [(String, Double)]? = nil,
                                 now t: Double = ProcessInfo.processInfo.systemUptime) -> Bool {
        count += max(0, n); now = t
        if let m { metrics = m }
        let finished = total.map { count >= $0 } ?? false
        return throttle.shouldRender(now: t) || finished
    }

    /// Items per second so far (0 before any time has passed).
    public var rate: Double { now > start ? Double(count) / (now - start) : 0 }
    /// Seconds left at the current rate, when the total is known.
    public var eta: Double? {
        guard let t = total, rate > 0 else { return nil }
        return Double(max(0, t - count)) / rate
    }
    public var fraction: Double? { total.map { $0 > 0 ? min(1, Double(count) / Double($0)) : 1 } }

    static func duration(_ s: Double) -> String {
        let v = Int(s.rounded())
        return v >= 3600 ? String(format: "%d:%02d:%02d", v / 3600, v / 60 % 60, v % 60) : String(format: "%02d:%02d", v / 60, v % 60)
    }

    private var statusText: String {
        var parts: [String] = []
        parts.append(total.map { "\(count)/\($0)" } ?? "\(count)")
        parts.append("[\(ProgressBar.duration(now - start))" + (eta.map { "<\(ProgressBar.duration($0))" } ?? "") + ", "
                     + (rate >= 1 || rate == 0 ? "\(Ticks.format(rate, digits: 3)) it/s]" : "\(Ticks.format(1 / rate, digits: 3)) s/it]"))
        if !metrics.isEmpty { parts.append(metrics.map { "\($0.0)=\(Ticks.format($0.1, digits: 4))" }.joined(separator: " ")) }
        return parts.joined(separator: " ")
    }

    /// The text/plain form, like `train 40% |████      | 40/100 [00:02<00:03, 20 it/s] loss=0.31`.
    public var text: String {
        var s = description.isEmpty ? "" : description + " "
        if let f = fraction {
            let width = 20, filled = Int((f * Double(width)).rounded(.down))
            s += String(format: "%3d%% |", Int((f * 100).rounded(.down))) + String(repeating: "█", count: filled)
                + String(repeating: " ", count: width - filled) + "| "
        }
        return s + statusText
    }

    /// The text/html form: a <progress> element and the same status line (escaped).
    public var html: String {
        let esc = { (s: String) in s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;") }
        let bar = total.map { "<progress value='\(count)' max='\($0)' style='width:300px'></progress>" } ?? ""
        return "<div><span>\(esc(description))</span> \(bar) <span style='font-family:monospace'>\(esc(statusText))</span></div>"
    }
}
