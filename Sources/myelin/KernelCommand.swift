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

    /// The language's interpreter; replaced by the Script adapter when the language is wired.
    static var makeLanguageInterpreter: (() -> Interpreter)? = { ScriptInterpreter() }

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw CommandFailure("cannot read connection file '\(file)'")
        }
        let connection: ConnectionInfo
        do { connection = try ConnectionInfo.load(path: file) } catch let error as ConnectionFileError {
            throw CommandFailure("\(file): \(error.description)")
        }
        var makeInterpreter: () -> Interpreter = { EchoInterpreter() }
        if !echo {
            if let language = KernelCommand.makeLanguageInterpreter {
                makeInterpreter = language
            } else {
                FileHandle.standardError.write(Data("myelin kernel: the language is not wired yet; serving the echo interpreter\n".utf8))
            }
        }
        do {
            _ = try Kernel(connection: connection, makeInterpreter: makeInterpreter).run()
        } catch let error as KernelError {
            throw CommandFailure(error.description, code: 1)
        } catch let error as ZMQError {
            throw CommandFailure("zeromq: \(error.description)", code: 1)
        }
    }
}
