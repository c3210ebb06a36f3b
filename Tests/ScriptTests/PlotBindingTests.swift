import Foundation
import Testing
@testable import Script

/// A session with every binding installed, writing into captured output.
private func plotSession() -> (ScriptSession, CapturedOutput) {
    Bindings.installOnce()
    let out = CapturedOutput()
    return (ScriptSession(output: out), out)
}

/// The PNG's pixel size from its IHDR chunk, after checking the signature and the final IEND chunk.
private func pngSize(base64 text: String?) -> (Int, Int)? {
    guard let text, let data = Data(base64Encoded: text) else { return nil }
    let b = [UInt8](data)
    guard b.count > 45, b.prefix(8) == [137, 80, 78, 71, 13, 10, 26, 10], b[12..<16] == [73, 72, 68, 82],
          b.suffix(8).prefix(4) == [73, 69, 78, 68] else { return nil }
    func be(_ i: Int) -> Int { b[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be(16), be(20))
}

private func metadataSize(_ bundle: MimeBundle) -> (Double, Double)? {
    guard case .object(let o)? = bundle.metadata["image/png"], case .number(let w)? = o["width"], case .number(let h)? = o["height"] else { return nil }
    return (w, h)
}

extension ScriptSuite {
    @Test func figureDrawnInACellShowsOnceAtTheEndAsA2xPNG() {
        let (s, out) = plotSession()
        let r = s.execute(code: "plot.line([1, 4, 9], label='sq')\nplot.title('t')\nplot.xlabel('x')\nplot.legend()", cellNumber: 1)
        #expect(r.error == nil)
        #expect(r.value == nil)
        #expect(out.displays.count == 1)
        guard let (bundle, id, update) = out.displays.first else { return }
        #expect(id == nil && update == false)
        #expect(bundle.data["text/plain"] == "<Figure 640x480 with 1 axes>")
        #expect(metadataSize(bundle)! == (640, 480))
        #expect(pngSize(base64: bundle.data["image/png"])! == (1280, 960))
        // Shown, then closed: a cell that draws nothing shows nothing; the next plot is a new figure.
        _ = s.execute(code: "x = 1", cellNumber: 2)
        #expect(out.displays.count == 1)
        _ = s.execute(code: "plot.scatter([1, 2], [3, 4])", cellNumber: 3)
        #expect(out.displays.count == 2)
    }

    @Test func figureThatIsTheCellValueShowsOnce() {
        let (s, out) = plotSession()
        let r = s.execute(code: "fig = plot.figure(rows=1, cols=2, size=(8, 3))\nfig[0].line([1, 2, 3])\nfig[1].scatter([1, 2], [3, 4], c=[0, 1])\nfig", cellNumber: 1)
        #expect(r.error == nil)
        #expect(out.displays.isEmpty)
        guard let v = r.value else { Issue.record("no value"); return }
        #expect(v.data["text/plain"] == "<Figure 800x300 with 2 axes>")
        #expect(metadataSize(v)! == (800, 300))
        #expect(pngSize(base64: v.data["image/png"])! == (1600, 600))
        // A second figure made in the same cell as a shown value still shows by itself.
        _ = s.execute(code: "plot.line([1, 2])\nf2 = plot.figure()\nf2[0].bar([1, 2, 3])\nf2", cellNumber: 2)
        #expect(out.displays.count == 1)
    }

    @Test func displayedFigureIsNotShownAgainUnlessDrawnOn() {
        let (s, out) = plotSession()
        _ = s.execute(code: "fig = plot.figure()\nplot.line([1, 2])\ndisplay(fig)", cellNumber: 1)
        #expect(out.displays.count == 1)
        _ = s.execute(code: "fig = plot.figure()\nplot.line([1, 2])\ndisplay(fig)\nplot.title('more')", cellNumber: 2)
        #expect(out.displays.count == 3)
    }

    @Test func figureDrawnBeforeAnErrorStillShows() {
        let (s, out) = plotSession()
        let r = s.execute(code: "plot.line([1, 2])\n1 / 0", cellNumber: 1)
        #expect(r.error?.name == "ZeroDivisionError")
        #expect(out.displays.count == 1)
    }

    @Test func scriptsDoNotShowFiguresButSaveThem() throws {
        let (s, out) = plotSession()
        let path = NSTemporaryDirectory() + "myelin-plot-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = s.runFile(code: "plot.hist([1, 2, 2, 3, 3, 3], bins=3)\nplot.save('\(path)')\nlive = plot.live()\nlive.add(loss=1.0)", path: "t.myl")
        #expect(r.error == nil)
        #expect(out.displays.isEmpty)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(pngSize(base64: bytes.base64EncodedString())! == (1280, 960))
    }

    @Test func liveChartDisplaysOnceThenUpdatesWithTheSameID() {
        let (s, out) = plotSession()
        // max_fps so low that only the first add renders during the loop; the cell's end draws the rest.
        let r = s.execute(code: "live = plot.live(title='training', max_fps=0.001)\nfor i in range(200):\n    live.add(loss=1.0 / (i + 1), acc=i / 200)", cellNumber: 1)
        #expect(r.error == nil)
        #expect(out.displays.count == 2)
        guard let first = out.displays.first, let last = out.displays.last else { return }
        #expect(first.2 == false && first.1 != nil)
        #expect(first.0.data["text/plain"] == "<LiveChart loss, acc (1 steps)>")
        #expect(last.1 == first.1 && last.2 == true)
        #expect(last.0.data["text/plain"] == "<LiveChart loss, acc (200 steps)>")
        #expect(pngSize(base64: last.0.data["image/png"]) != nil)
        #expect(metadataSize(last.0)! == (640, 480))
        // A later cell adding points updates the same display.
        _ = s.execute(code: "live.add(loss=0.001, acc=1)", cellNumber: 2)
        #expect(out.displays.last?.1 == first.1 && out.displays.last?.2 == true)
        #expect(s.globalRepr("live") == "<LiveChart loss, acc (201 steps)>")
    }

    @Test func dataArgumentsAcceptTensorsListsAndRanges() {
        let (s, out) = plotSession()
        let code = """
        plot.line(range(5), tensor([1, 2, 3, 4, 5]), color='red', style='--', width=2)
        plot.line((0.5, 1.5), label='tuple')
        plot.scatter(tensor([0.0, 1.0, 2.0]), [1, 2, 3], c=tensor([0, 1, 1]), s=50)
        plot.scatter([0, 1], [2, 3], c=[0.5, 0.7], cmap='RdBu')
        plot.hist(tensor([[1.0, 2.0], [2.0, 3.0]]), bins=3)
        plot.bar(['a', 'b'], [3, 4])
        plot.line([[1, 2], [2, 3], [3, 5]], label=['first', 'second'])
        plot.line([0, 1, 2], tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]]))
        plot.xscale('linear'); plot.yscale('log'); plot.xlim(0, 5); plot.ylim((0.1, 10)); plot.grid()
        """
        let r = s.execute(code: code, cellNumber: 1)
        #expect(r.error == nil, "\(r.error?.traceback ?? "")")
        #expect(out.displays.count == 1)
    }

    @Test func imagesHeatmapsHintonContourAndDecisionBoundaryDraw() {
        let (s, out) = plotSession()
        let code = """
        fig = plot.figure(rows=2, cols=3, size=(12, 7))
        fig[0].image([[0, 1, 2], [3, 4, 5]], cmap='gray')
        fig[1].images([[[0, 1], [1, 0]], [[1, 0], [0, 1]], [[1, 1], [0, 0]]], cols=2, titles=[0, 1, 'two'])
        fig[2].heatmap([[5, 1], [2, 7]], xlabels=['cat', 'dog'], ylabels=['cat', 'dog'])
        fig[3].hinton([[0.5, -1], [0.2, 0.9]])
        fig[4].contour([0, 1, 2], [0, 1], [[0, 1, 2], [1, 2, 3]])
        def model(g):
            return g
        fig[5].decision_boundary(model, [[0, 1], [1, 0], [0.2, 0.9]], [1, 0, 1], resolution=40)
        """
        let r = s.execute(code: code, cellNumber: 1)
        #expect(r.error == nil, "\(r.error?.traceback ?? "")")
        #expect(out.displays.count == 1)
        #expect(out.displays.first.flatMap { metadataSize($0.0) }! == (1200, 700))
    }

    @Test func badArgumentsRaiseClearErrorsNamingTheArgument() {
        let (s, _) = plotSession()
        func error(_ code: String) -> (String?, String) {
            let r = s.execute(code: code, cellNumber: 1)
            return (r.error?.name, r.error?.message ?? "")
        }
        var e = error("plot.line([1, 2, 3], [1, 2])")
        #expect(e.0 == "ShapeError" && e.1.contains("x has 3 values but y has 2"))
        e = error("plot.line([1, 2], color='blurple')")
        #expect(e.0 == "ValueError" && e.1.contains("color=\"blurple\""))
        e = error("plot.image([[1, 2], [3, 4]], cmap='jet')")
        #expect(e.0 == "ValueError" && e.1.contains("cmap") && e.1.contains("viridis"))
        e = error("plot.line([1, 2], style='~~')")
        #expect(e.0 == "ValueError" && e.1.contains("style"))
        e = error("plot.image([1, 2, 3])")
        #expect(e.0 == "ShapeError" && e.1.contains("image(img)"))
        e = error("plot.heatmap([[[1, 2], [3, 4]], [[1, 2], [3, 4]]])")
        #expect(e.0 == "ShapeError" && e.1.contains("heatmap(m)"))
        e = error("plot.scatter([1, 2], [3, 4], c=[0, 1, 2])")
        #expect(e.0 == "ShapeError" && e.1.contains("scatter(c)"))
        e = error("plot.line('abc')")
        #expect(e.0 == "TypeError" && e.1.contains("line(y)"))
        e = error("fig = plot.figure(rows=1, cols=2)\nfig[5]")
        #expect(e.0 == "IndexError" && e.1.contains("2 axes"))
        e = error("plot.figure(rows=0)")
        #expect(e.0 == "ValueError" && e.1.contains("rows"))
        e = error("def bad(g):\n    return [1.0, 2.0]\nplot.decision_boundary(bad, [[0, 1], [1, 0]], [0, 1])")
        #expect(e.0 == "ShapeError" && e.1.contains("decision_boundary(model)"))
        e = error("plot.decision_boundary(lambda g: g, [1, 2, 3], [0, 1, 0])")
        #expect(e.0 == "ShapeError" && e.1.contains("decision_boundary(x)"))
        e = error("plot.heatmap([])")
        #expect(e.0 == "ShapeError" && e.1.contains("heatmap(m): the matrix is empty"))
        e = error("plot.decision_boundary(3, [[0, 1]], [0])")
        #expect(e.0 == "TypeError" && e.1.contains("decision_boundary(model)"))
        e = error("plot.line([[1, 2], [3, 4]], label=['a'])")
        #expect(e.0 == "ValueError" && e.1.contains("1 labels for 2 columns"))
        e = error("plot.line([1, 2, 3], [[1, 2], [3, 4]])")
        #expect(e.0 == "ShapeError" && e.1.contains("x has 3 values but y has 2 rows"))
        e = error("plot.line([1, 2], width=-1)")
        #expect(e.0 == "ValueError" && e.1.contains("width"))
        e = error("plot.legend(loc='middle')")
        #expect(e.0 == "ValueError" && e.1.contains("loc"))
        e = error("plot.live().add(3)")
        #expect(e.0 == "TypeError")
        e = error("plot.line([1])\nplot.save('/nonexistent-dir/x.png')")
        #expect(e.0 == "ValueError" && e.1.contains("could not write"))
    }

    @Test func decisionBoundaryCallsTheModelOnceOnAGridWithoutGradients() {
        let (s, out) = plotSession()
        let code = """
        w = tensor([1.0, -1.0], requires_grad=True)
        calls = []
        def model(g):
            out = (g * w).sum(1)
            calls.append((list(g.shape), out.requires_grad))
            return out
        x = tensor([[0.0, 1.0], [1.0, 0.0], [0.5, 0.9]])
        plot.decision_boundary(model, x, tensor([0, 1, 0]), resolution=40)
        """
        let r = s.execute(code: code, cellNumber: 1)
        #expect(r.error == nil, "\(r.error?.traceback ?? "")")
        #expect(s.globalRepr("calls") == "[([1600, 2], False)]")
        #expect(out.displays.count == 1)
    }

    @Test func showDisplaysNowAndCloseDiscards() {
        let (s, out) = plotSession()
        _ = s.execute(code: "plot.line([1, 2])\nplot.show()\nprint(len(plot.gcf()))", cellNumber: 1)
        // show() drew the first figure; gcf() then made a new (empty) one, shown at the end.
        #expect(out.displays.count == 2)
        _ = s.execute(code: "plot.line([1, 2])\nplot.close()", cellNumber: 2)
        #expect(out.displays.count == 2)
        let r = s.execute(code: "fig = plot.figure(rows=2, cols=2)\nplot.subplot(3)\nplot.title('last')\nfig[3]", cellNumber: 3)
        #expect(r.value?.data["text/plain"] == "<Axes 'last' of <Figure 640x480 with 4 axes>>")
        #expect(out.displays.count == 3)
    }

    @Test func aCallThatFailsLeavesNoEmptyFigureToShow() {
        let (s, out) = plotSession()
        let r = s.execute(code: "plot.line([1, 2, 3], [1, 2])", cellNumber: 1)
        #expect(r.error?.name == "ShapeError")
        #expect(out.displays.isEmpty)
        // A figure that already had a plot still shows.
        _ = s.execute(code: "plot.line([1, 2])\nplot.line([1, 2, 3], [1, 2])", cellNumber: 2)
        #expect(out.displays.count == 1)
    }

    @Test func everyPlotFunctionHasASignatureAndDocstring() {
        Bindings.installOnce()
        let table = BindingTable.standard()
        guard let plot = table.modules["plot"] else { Issue.record("no plot module"); return }
        for name in ["line", "scatter", "bar", "hist", "image", "images", "heatmap", "hinton", "contour", "decision_boundary",
                     "title", "xlabel", "ylabel", "legend", "xscale", "yscale", "xlim", "ylim", "grid", "save", "figure", "live"] {
            let f = plot.functions[name]
            #expect(f != nil, "plot.\(name) is missing")
            #expect(f?.signature.hasPrefix(name + "(") == true && (f?.doc.count ?? 0) > 10)
        }
        #expect(PlotBindings.axesType.methods["scatter"]?.signature.hasPrefix("scatter(x, y") == true)
    }
}
