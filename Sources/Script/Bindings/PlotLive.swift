import Engine
import Foundation
import Plot

/// A live chart as scripts hold it: shown once (`display_data` with a display id), then redrawn in
/// place (`update_display_data`, same id) at most a few times a second; the final state is drawn when
/// the cell ends.
final class ScriptLive {
    let chart: LiveChart
    let displayID = "myelin-live-" + UUID().uuidString.lowercased()
    private(set) var shown = false
    weak var state: PlotState?

    init(_ chart: LiveChart, state: PlotState) { self.chart = chart; self.state = state }

    /// Displays the chart (the first time) or updates it in place.
    func render(to output: ScriptOutput) {
        do {
            let fig = ScriptFigure(try chart.figure(), state: nil)
            var bundle = try fig.mimeBundle()
            bundle.data["text/plain"] = description
            output.display(bundle, displayID: displayID, update: shown)
            shown = true
        } catch {
            output.write("plot.live: could not draw the chart: \(error)\n", to: .stderr)
        }
    }

    var description: String {
        "<LiveChart \(chart.names.joined(separator: ", ")) (\(chart.step) steps)>"
    }
}

extension PlotBindings {
    static func addLiveFunctions(_ module: BindingModule, _ state: PlotState) {
        module.add(NativeFunction("live", "live(title=None, max_fps=5)",
                                  doc: "A chart that updates in place while training: live.add(loss=…, acc=…) adds one point per name at the next step; it is redrawn at most max_fps times a second and once more when the cell ends.") { a in
            try a.check(max: 2, keywords: ["title", "max_fps"])
            let fps = try a.double(1, "max_fps", default: 5)
            guard fps > 0, fps.isFinite else { throw ScriptError(.valueError, "live(max_fps=\(fps)): must be a positive number") }
            return liveType.wrap(ScriptLive(LiveChart(title: try PlotData.text(a, 0, "title"), maxRendersPerSecond: fps), state: state))
        })
    }

    static let liveType: NativeType = {
        let t = NativeType(name: "LiveChart", doc: "A chart that grows during training (from plot.live()); add points with live.add(loss=…, acc=…).")
        t.repr = { ($0.payload as? ScriptLive)?.description ?? "<LiveChart>" }
        t.methods["add"] = NativeFunction("add", "add(**values)",
                                          doc: "Adds one point per named value (numbers or one-element tensors) at the next step, e.g. live.add(loss=0.31, acc=0.9); a dict works too.") { a in
            guard let live = a.positional.first?.nativeObject?.payload as? ScriptLive else {
                throw ScriptError(.typeError, "add() must be called on a LiveChart")
            }
            var named = a.keywords
            if a.count == 2, let d = a.positional[1].asDict {
                for k in d.orderedKeys {
                    guard let name = k.stringValue else { throw ScriptError(.typeError, "LiveChart.add: dict keys must be names (str), not \(typeName(k))") }
                    named.append((name, try d.get(k) ?? .none))
                }
            } else if a.count > 1 {
                throw ScriptError(.typeError, "LiveChart.add takes named values, e.g. live.add(loss=0.31, acc=0.9)")
            }
            guard !named.isEmpty else { throw ScriptError(.typeError, "LiveChart.add: give at least one named value, e.g. live.add(loss=0.31)") }
            let points = try named.map { name, v in (name: name, value: try TensorBindings.scalar(v, "LiveChart.add(\(name)=…)")) }
            live.chart.add(points)
            if let vm = VM.current, vm.isRunningCell {
                if live.chart.shouldRender() {
                    live.render(to: vm.output)
                    live.state?.staleLive.removeAll { $0 === live }
                } else if let s = live.state, !s.staleLive.contains(where: { $0 === live }) {
                    s.staleLive.append(live)
                }
            }
            return .none
        }
        t.methods["save"] = NativeFunction("save", "save(path)", doc: "Writes the chart as it is now as a PNG file.") { a in
            guard let live = a.positional.first?.nativeObject?.payload as? ScriptLive else { return .none }
            let args = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords, functionName: "save")
            try args.check(max: 1, keywords: ["path"])
            try drawing("save") { try live.chart.figure().save(path: try args.string(0, "path")) }
            return .none
        }
        t.properties["values"] = NativeProperty("values", doc: "The points so far: a dict of name → list of values.", get: { obj in
            guard let live = obj.payload as? ScriptLive else { return .none }
            let d = DictObj()
            for n in live.chart.names { try d.set(.str(n), .list((live.chart.values[n] ?? []).map(Value.float))) }
            return .obj(d)
        })
        return t
    }()
}
