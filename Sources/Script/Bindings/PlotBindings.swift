import Engine
import Foundation
import Plot

/// The `plot` module (LANGUAGE.md "Plots"): pyplot-style functions on the current axes, figures with
/// several axes, live charts, and figures shown as PNG when a cell ends (then closed, as matplotlib
/// inline does).
enum PlotBindings {
    static func install(_ table: BindingTable) {
        registerErrorMappingOnce()
        let state = PlotState()
        let module = BindingModule(name: "plot", doc: "Plots drawn in-process as PNG: line, scatter, bar, hist, image, images, heatmap, hinton, contour, decision_boundary; figures with several axes; live charts.")
        for m in axesMethods {
            module.add(NativeFunction(m.name, "\(m.name)(\(m.parameters))", doc: m.doc + " Acts on the current axes (a new figure when there is none).") { a in
                let hadFigure = state.current != nil
                let target = try state.currentAxes()
                do { try drawing(a.functionName) { try m.body(target.axes, a) } } catch {
                    // A call that fails on bad arguments leaves no empty figure behind to show.
                    if !hadFigure { state.discard(target.figure) }
                    throw error
                }
                state.touch(target.figure)
                return .none
            })
        }
        addFigureFunctions(module, state)
        addLiveFunctions(module, state)
        module.add(figureType)
        module.add(axesType)
        module.add(liveType)
        table.add(module)
        table.cellEndHooks.append { end in state.cellEnded(end) }
    }

    nonisolated(unsafe) private static var errorMappingRegistered = false
    private static func registerErrorMappingOnce() {
        if errorMappingRegistered { return }
        errorMappingRegistered = true
        ErrorMapping.register { ($0 as? PlotError).map { ScriptError(.valueError, $0.message) } }
    }

    /// Runs a Plot call, turning its errors into ValueErrors that name the function.
    static func drawing(_ name: String, _ body: () throws -> Void) throws {
        do { try body() } catch let e as PlotError {
            throw ScriptError(.valueError, e.message.hasPrefix(name) ? e.message : "\(name): \(e.message)")
        }
    }

    private static func addFigureFunctions(_ module: BindingModule, _ state: PlotState) {
        module.add(NativeFunction("figure", "figure(rows=1, cols=1, size=None)",
                                  doc: "A new figure with a rows×cols grid of axes (size in inches, default (6.4, 4.8) = 640×480 pixels); it becomes current and fig[i] is its i-th axes.") { a in
            try a.check(max: 3, keywords: ["rows", "cols", "size"])
            var size: (Double, Double)? = nil
            if let v = a.optional(2, "size"), !v.isNone {
                let pair = try PlotData.vector(v, "figure(size)")
                guard pair.count == 2 else { throw ScriptError(.valueError, "figure(size=…): expected (width, height) in inches") }
                size = (pair[0], pair[1])
            }
            var fig: Figure?
            try drawing("figure") { fig = try Figure(rows: try a.int(0, "rows", default: 1), cols: try a.int(1, "cols", default: 1), size: size) }
            guard let fig else { return .none }
            let f = ScriptFigure(fig, state: state)
            state.makeCurrent(f)
            return figureType.wrap(f)
        })
        module.add(NativeFunction("gcf", "gcf()", doc: "The current figure (a new one when there is none).") { a in
            try a.check(max: 0)
            return figureType.wrap(try state.currentAxes().figure)
        })
        module.add(NativeFunction("gca", "gca()", doc: "The current axes (of a new figure when there is none).") { a in
            try a.check(max: 0)
            let t = try state.currentAxes()
            return axesType.wrap(ScriptAxes(figure: t.figure, axes: t.axes))
        })
        module.add(NativeFunction("subplot", "subplot(index)", doc: "Makes axes `index` (0-based, row by row) of the current figure current, for the plot.* functions.") { a in
            try a.check(max: 1, keywords: ["index"])
            let f = try state.currentAxes().figure
            let i = try a.int(0, "index")
            var axes: Axes?
            try drawing("subplot") { axes = try f.figure.axes(i) }
            state.currentIndex = i < 0 ? i + f.figure.axes.count : i
            return axes.map { axesType.wrap(ScriptAxes(figure: f, axes: $0)) } ?? .none
        })
        module.add(NativeFunction("suptitle", "suptitle(text)", doc: "A title above all the axes of the current figure.") { a in
            try a.check(max: 1, keywords: ["text"])
            let f = try state.currentAxes().figure
            f.figure.suptitle = try a.string(0, "text")
            state.touch(f)
            return .none
        })
        module.add(NativeFunction("save", "save(path)", doc: "Writes the current figure as a PNG file (drawn at 2×).") { a in
            try a.check(max: 1, keywords: ["path"])
            guard let f = state.current else {
                throw ScriptError(.valueError, "plot.save: there is no current figure; draw something first (e.g. plot.line(y))")
            }
            try drawing("save") { try f.figure.save(path: try a.string(0, "path")) }
            return .none
        })
        module.add(NativeFunction("show", "show()", doc: "Shows the current figure now (instead of at the end of the cell) and closes it.") { a in
            try a.check(max: 0)
            state.showPending(output: VM.current?.output, skipping: nil, display: VM.current?.isRunningCell ?? false)
            return .none
        })
        module.add(NativeFunction("close", "close()", doc: "Closes the current figure without showing it; the next plot starts a new one.") { a in
            try a.check(max: 0)
            if let f = state.current { state.discard(f) }
            return .none
        })
    }
}

/// The per-session state of `plot`: the current figure and axes, the figures drawn in the running
/// cell (shown when it ends), and the live charts to bring up to date.
final class PlotState {
    var current: ScriptFigure?
    var currentIndex = 0
    /// Figures made or drawn on since the last cell ended, in order.
    var pending: [ScriptFigure] = []
    /// Live charts with points added since their last render.
    var staleLive: [ScriptLive] = []

    /// The current axes, making a 1×1 figure when there is none.
    func currentAxes() throws -> (figure: ScriptFigure, axes: Axes) {
        if current == nil { makeCurrent(ScriptFigure(try Figure(), state: self)) }
        guard let f = current else { throw ScriptError(.runtimeError, "plot: no current figure") }
        let i = min(max(0, currentIndex), f.figure.axes.count - 1)
        return (f, f.figure.axes[i])
    }

    func makeCurrent(_ f: ScriptFigure) {
        current = f
        currentIndex = 0
        touch(f)
    }

    /// Forgets a figure (not shown, no longer current).
    func discard(_ f: ScriptFigure) {
        pending.removeAll { $0 === f }
        if current === f { current = nil }
    }

    /// Marks a figure as drawn on in this cell (it shows when the cell ends).
    func touch(_ f: ScriptFigure) {
        if !pending.contains(where: { $0 === f }) { pending.append(f) }
    }

    /// Shows the pending figures (except the cell's value, which the cell shows itself), then closes them.
    func showPending(output: ScriptOutput?, skipping value: ScriptFigure?, display: Bool) {
        let figures = pending
        pending = []
        current = nil
        guard display, let output else { return }
        for f in figures where f !== value {
            do { output.display(try f.mimeBundle(), displayID: nil, update: false) } catch {
                output.write("plot: could not draw the figure: \(error)\n", to: .stderr)
            }
        }
    }

    func cellEnded(_ end: CellEnd) {
        let value = end.value.flatMap { $0.nativeObject?.payload as? ScriptFigure }
        showPending(output: end.output, skipping: value, display: end.isCell)
        let live = staleLive
        staleLive = []
        if end.isCell { for l in live { l.render(to: end.output) } }
    }
}

/// A figure as scripts hold it.
final class ScriptFigure {
    let figure: Figure
    weak var state: PlotState?
    init(_ figure: Figure, state: PlotState?) { self.figure = figure; self.state = state }

    var description: String {
        "<Figure \(figure.logicalWidth)x\(figure.logicalHeight) with \(figure.axes.count) axes>"
    }

    /// `image/png` (base64, drawn at 2×) with the logical size as metadata, and a text/plain fallback.
    func mimeBundle() throws -> MimeBundle {
        let r = try figure.renderPNG()
        return MimeBundle(data: ["image/png": Data(r.png).base64EncodedString(), "text/plain": description],
                          metadata: ["image/png": .object(["width": .number(Double(r.width)), "height": .number(Double(r.height))])])
    }
}

/// One axes of a figure as scripts hold it (`fig[0]`).
final class ScriptAxes {
    let figure: ScriptFigure
    let axes: Axes
    init(figure: ScriptFigure, axes: Axes) { self.figure = figure; self.axes = axes }
}

extension PlotBindings {
    static let figureType: NativeType = {
        let t = NativeType(name: "Figure", doc: "A figure: a grid of axes drawn together as one PNG. fig[i] is its i-th axes (row by row).")
        t.repr = { ($0.payload as? ScriptFigure)?.description ?? "<Figure>" }
        t.mimeBundle = { obj in
            guard let f = obj.payload as? ScriptFigure else { return nil }
            // Shown now (display(fig) or the cell's value): not again at the cell's end unless drawn on again.
            f.state?.pending.removeAll { $0 === f }
            return try? f.mimeBundle()
        }
        t.length = { obj in (obj.payload as? ScriptFigure)?.figure.axes.count ?? 0 }
        t.getItem = { obj, key in
            guard let f = obj.payload as? ScriptFigure else { return .none }
            guard let i = key.intValue else { throw ScriptError(.typeError, "fig[…]: the index must be an int, not \(typeName(key))") }
            var axes: Axes?
            do { axes = try f.figure.axes(i) } catch let e as PlotError { throw ScriptError(.indexError, e.message) }
            return axes.map { axesType.wrap(ScriptAxes(figure: f, axes: $0)) } ?? .none
        }
        t.methods["save"] = NativeFunction("save", "save(path)", doc: "Writes the figure as a PNG file (drawn at 2×).") { a in
            guard let f = a.positional.first?.nativeObject?.payload as? ScriptFigure else { return .none }
            let args = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords, functionName: "save")
            try args.check(max: 1, keywords: ["path"])
            try drawing("save") { try f.figure.save(path: try args.string(0, "path")) }
            return .none
        }
        t.methods["suptitle"] = NativeFunction("suptitle", "suptitle(text)", doc: "A title above all the axes.") { a in
            guard let f = a.positional.first?.nativeObject?.payload as? ScriptFigure else { return .none }
            let args = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords, functionName: "suptitle")
            try args.check(max: 1, keywords: ["text"])
            f.figure.suptitle = try args.string(0, "text")
            f.state?.touch(f)
            return .none
        }
        t.properties["axes"] = NativeProperty("axes", doc: "The list of axes, row by row.") { obj in
            guard let f = obj.payload as? ScriptFigure else { return .list([]) }
            return .list(f.figure.axes.map { axesType.wrap(ScriptAxes(figure: f, axes: $0)) })
        }
        return t
    }()

    static let axesType: NativeType = {
        let t = NativeType(name: "Axes", doc: "One plotting area of a figure, with the same drawing methods as the plot module (ax.line, ax.title, …).")
        t.repr = { obj in
            guard let ax = obj.payload as? ScriptAxes else { return "<Axes>" }
            return "<Axes \(ax.axes.titleText.map { "'\($0)' " } ?? "")of \(ax.figure.description)>"
        }
        for m in axesMethods {
            t.methods[m.name] = NativeFunction(m.name, "\(m.name)(\(m.parameters))", doc: m.doc) { a in
                guard let ax = a.positional.first?.nativeObject?.payload as? ScriptAxes else {
                    throw ScriptError(.typeError, "\(m.name)() must be called on an Axes")
                }
                let args = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords, functionName: m.name)
                try drawing(m.name) { try m.body(ax.axes, args) }
                ax.figure.state?.touch(ax.figure)
                return .none
            }
        }
        return t
    }()
}
