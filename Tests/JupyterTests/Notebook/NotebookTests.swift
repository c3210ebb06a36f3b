import Foundation
import Testing
@testable import Jupyter

@Suite struct NotebookTests {
    static let sample = #"""
    {"nbformat": 4, "nbformat_minor": 5,
     "metadata": {"kernelspec": {"name": "myelin", "display_name": "Myelin"}, "x-custom": {"keep": [1, 2.5]}},
     "x-top": "kept",
     "cells": [
      {"cell_type": "markdown", "id": "intro", "metadata": {"tags": ["a"]}, "source": "# Title\nText é",
       "attachments": {"p.png": {"image/png": "AAAA"}}},
      {"cell_type": "code", "id": "code-1", "metadata": {"x": 1}, "source": ["print(1)\n", "x"],
       "outputs": [{"output_type": "stream", "name": "stdout", "text": "old\n"}], "execution_count": 3},
      {"cell_type": "raw", "id": "r", "metadata": {}, "source": ""}
     ]}
    """#

    @Test func readsTheModelAndKeepsEverythingElse() throws {
        let nb = try Notebook.read(bytes: Array(Self.sample.utf8))
        #expect(nb.cells.map(\.kind) == [.markdown, .code, .raw])
        #expect(nb.cells.map(\.id) == ["intro", "code-1", "r"])
        #expect(nb.cells[1].source == "print(1)\nx")
        #expect(nb.cells[1].executionCount == 3)
        #expect(nb.cells[0].tags == ["a"])
        let again = try Notebook.read(bytes: Array(nb.serialized().utf8))
        #expect(again == nb)
        let json = try JSON.parse(nb.serialized())
        #expect(json["x-top"] == "kept")
        #expect(json["metadata"]?["x-custom"] == ["keep": [1, 2.5]])
        #expect(json["cells"]?.arrayValue?[0]["attachments"]?["p.png"]?["image/png"] == "AAAA")
        // Sources keep the form they were read in; stored outputs are untouched.
        #expect(json["cells"]?.arrayValue?[0]["source"] == "# Title\nText é")
        #expect(json["cells"]?.arrayValue?[1]["source"] == ["print(1)\n", "x"])
        #expect(json["cells"]?.arrayValue?[1]["outputs"] == [["output_type": "stream", "name": "stdout", "text": "old\n"]])
    }

    @Test func writesLikeNbformat() {
        var cell = NotebookCell(kind: .code, id: "c1", source: "a\nb")
        cell.outputs = [.stream(name: .stdout, text: "x\ny\n")]
        cell.executionCount = 1
        let nb = Notebook(metadata: ["k": "é"], cells: [cell])
        let expected = """
            {
             "cells": [
              {
               "cell_type": "code",
               "execution_count": 1,
               "id": "c1",
               "metadata": {},
               "outputs": [
                {
                 "name": "stdout",
                 "output_type": "stream",
                 "text": [
                  "x\\n",
                  "y\\n"
                 ]
                }
               ],
               "source": [
                "a\\n",
                "b"
               ]
              }
             ],
             "metadata": {
              "k": "é"
             },
             "nbformat": 4,
             "nbformat_minor": 5
            }

            """
        #expect(nb.serialized() == expected)
    }

    @Test func upgradesToFourFiveWithValidUniqueIDs() throws {
        let text = #"""
        {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
         {"cell_type": "code", "metadata": {}, "source": "", "outputs": [], "execution_count": null},
         {"cell_type": "markdown", "id": "same", "metadata": {}, "source": ""},
         {"cell_type": "markdown", "id": "same", "metadata": {}, "source": ""},
         {"cell_type": "markdown", "id": "bad id!", "metadata": {}, "source": ""}]}
        """#
        let nb = try Notebook.read(bytes: Array(text.utf8))
        #expect(nb.nbformatMinor == 5)
        let ids = nb.cells.compactMap(\.id)
        #expect(ids.count == 4 && Set(ids).count == 4)
        #expect(ids[1] == "same")
        #expect(ids.allSatisfy(NotebookCell.isValidID))
        #expect(!NotebookCell.isValidID("") && !NotebookCell.isValidID(String(repeating: "a", count: 65)))
    }

    @Test(arguments: [
        ("{ not json", "not valid JSON"),
        ("[1, 2]", "top level is not a JSON object"),
        (#"{"cells": []}"#, "no 'nbformat'"),
        (#"{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}"#, "nbformat 3 is not supported"),
        (#"{"nbformat": 5, "nbformat_minor": 0, "cells": []}"#, "nbformat 5 is not supported"),
        (#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}"#, "no 'cells'"),
        (#"{"nbformat": 4, "nbformat_minor": 5, "cells": {}}"#, "'cells' is not a list"),
        (#"{"nbformat": 4, "cells": []}"#, "nbformat_minor"),
        (#"{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "markdown", "source": ""}, {"cell_type": "graph", "source": ""}]}"#,
         "cell 2: unknown cell_type 'graph'"),
        (#"{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": [1]}]}"#,
         "cell 1: 'source' is neither"),
        (#"{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": "", "outputs": [{}]}]}"#,
         "cell 1: output 1 has no 'output_type'"),
        (#"{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": "", "execution_count": "1"}]}"#,
         "cell 1: 'execution_count'"),
    ])
    func rejectsWhatItCannotRunWithAClearMessage(_ text: String, _ fragment: String) {
        do {
            _ = try Notebook.read(bytes: Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch let error as NotebookError {
            #expect(error.message.contains(fragment), "\(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func splitsLinesLikePythonSplitlinesKeepends() {
        #expect(NotebookText.splitLines("") == [])
        #expect(NotebookText.splitLines("a") == ["a"])
        #expect(NotebookText.splitLines("a\nb\n") == ["a\n", "b\n"])
        #expect(NotebookText.splitLines("a\r\nb\rc\u{0B}d\u{2028}e") == ["a\r\n", "b\r", "c\u{0B}", "d\u{2028}", "e"])
        #expect(NotebookText.splitLines("\n\n") == ["\n", "\n"])
    }

    @Test func newOutputsSplitTextMimeTypesOnly() {
        let bundle = DisplayData(data: ["text/plain": "a\nb", "text/html": "<b>x</b>", "image/png": "iVBOR\nw==",
                                        "application/json": ["k": "v\nw"], "image/svg+xml": "<svg>\n</svg>"],
                                 metadata: ["image/png": ["width": 640, "height": 480]])
        let json = NotebookOutput.executeResult(bundle, executionCount: 4).json
        #expect(json["output_type"] == "execute_result" && json["execution_count"] == 4)
        #expect(json["data"]?["text/plain"] == ["a\n", "b"])
        #expect(json["data"]?["text/html"] == ["<b>x</b>"])
        #expect(json["data"]?["image/png"] == "iVBOR\nw==")
        #expect(json["data"]?["application/json"] == ["k": "v\nw"])
        #expect(json["data"]?["image/svg+xml"] == ["<svg>\n", "</svg>"])
        #expect(json["metadata"]?["image/png"]?["width"] == 640)
        let error = NotebookOutput.error(ExecutionError(ename: "E", evalue: "v", traceback: ["t1", "t2"])).json
        #expect(error == ["output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t1", "t2"]])
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("n.ipynb").path
        let nb = try Notebook.read(bytes: Array(Self.sample.utf8))
        try nb.write(toFile: path)
        #expect(try Notebook.read(fromFile: path) == nb)
        #expect(throws: NotebookError.self) { try Notebook.read(fromFile: dir.appendingPathComponent("none.ipynb").path) }
    }
}
