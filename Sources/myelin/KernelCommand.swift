import ArgumentParser
import Foundation
import Jupyter

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Serve a Jupyter kernel on the sockets named in a connection file.",
        discussion: "Jupyter starts this for you (see 'myelin install'); run it by hand only to debug.")

    @Option(name: .shortAndLong, help: ArgumentHelp("The connection file Jupyter wrote.", valueName: "CONNECTION_FILE"))
    var file: String

    /// Serve the protocol test interpreter instead of the language (for the kernel's own tests).
    @Flag(name: .long, help: ArgumentHelp("Use the protocol test interpreter.", visibility: .hidden))
    var echo = false

    func run() throws {
        try KernelCommand.serve(file: file, echo: echo)
    }

    /// The connection file of exactly `kernel -f FILE` (the kernelspec's command line), else nil.
    ///
    /// Jupyter connects about 20 ms after launching the kernel, and a connect that beats our bind waits
    /// out ZeroMQ's 100 ms reconnect interval; the argument parser's reflection costs ~4 ms before the
    /// sockets could be bound, so `main` serves this one form without it (issue 3, start-to-ready).
    static func connectionFile(fromExactArguments arguments: [String]) -> String? {
        guard arguments.count == 3, arguments[0] == "kernel", arguments[1] == "-f" || arguments[1] == "--file",
              !arguments[2].hasPrefix("-") else { return nil }
        return arguments[2]
    }

    static func serve(file: String, echo: Bool) throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw CommandFailure("cannot read connection file '\(file)'")
        }
        let connection: ConnectionInfo
        do { connection = try ConnectionInfo.load(path: file) } catch let error as ConnectionFileError {
            throw CommandFailure("\(file): \(error.description)")
        }
        let makeInterpreter: () -> Interpreter = echo ? { EchoInterpreter() } : { ScriptInterpreter() }
        do {
            _ = try Kernel(connection: connection, makeInterpreter: makeInterpreter).run()
        } catch let error as KernelError {
            throw CommandFailure(error.description, code: 1)
        } catch let error as ZMQError {
            throw CommandFailure("zeromq: \(error.description)", code: 1)
        }
    }
}
