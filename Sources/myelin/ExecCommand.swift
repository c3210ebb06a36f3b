import ArgumentParser
import Foundation

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run notebooks headless (for CI) and write their outputs back.",
        discussion: "A PATH is a notebook (.ipynb), a script (.myl) or a directory (its notebooks in name order).")

    @Argument(help: ArgumentHelp("Notebooks, scripts or directories.", valueName: "PATH"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Write executed copies into DIR instead of in place.", valueName: "DIR"))
    var output: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one notebook, script or directory") }
    }

    func run() throws {
        var notebooks: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw CommandFailure("no such file or directory: '\(path)'")
            }
            if isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                notebooks += names.filter { $0.hasSuffix(".ipynb") }.sorted().map { path + "/" + $0 }
            } else {
                notebooks.append(path)
            }
        }
        if notebooks.isEmpty {
            print("No notebooks found in \(paths.joined(separator: " ")).")
            return
        }
        throw CommandFailure("running notebooks is not built yet in this version", code: 1)
    }
}
