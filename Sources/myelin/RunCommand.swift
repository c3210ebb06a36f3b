import ArgumentParser
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Myelin script (.myl); with no file, start a small REPL.")

    @Argument(help: ArgumentHelp("The script to run.", valueName: "FILE.myl"))
    var script: String?

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script as sys.argv[1:].")
    var arguments: [String] = []

    func run() throws {
        if let script, !FileManager.default.isReadableFile(atPath: script) {
            throw CommandFailure("cannot read script '\(script)'")
        }
        throw CommandFailure("the language is not built yet in this version", code: 1)
    }
}
