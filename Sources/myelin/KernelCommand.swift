import ArgumentParser
import Foundation

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Serve a Jupyter kernel on the sockets named in a connection file.",
        discussion: "Jupyter starts this for you (see 'myelin install'); run it by hand only to debug.")

    @Option(name: .shortAndLong, help: ArgumentHelp("The connection file Jupyter wrote.", valueName: "CONNECTION_FILE"))
    var file: String

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw CommandFailure("cannot read connection file '\(file)'")
        }
        throw CommandFailure("the kernel is not built yet in this version", code: 1)
    }
}
