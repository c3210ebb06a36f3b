import ArgumentParser
import Foundation
import Script

// The language's modules (tensor, nn, plot, …) are registered before any session is made.
Bindings.installOnce()

// Usage errors exit with 2 and one line, as the CLI contract says (ArgumentParser's default is 64).
do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let connectionFile = KernelCommand.connectionFile(fromExactArguments: arguments) {
        try KernelCommand.serve(file: connectionFile, echo: false)  // Jupyter's launch: bind first (see there)
    } else if let run = RunCommand.scriptArguments(fromExactArguments: arguments) {
        try RunCommand.runScript(run.script, arguments: run.rest)
    } else {
        var command = try MyelinCommand.parseAsRoot()
        try command.run()
    }
} catch {
    let code = MyelinCommand.exitCode(for: error)
    if code == .success {
        MyelinCommand.exit(withError: error)  // --help and --version print and exit 0
    }
    if let failure = error as? CommandFailure {
        FileHandle.standardError.write(Data(("myelin: " + failure.message + "\n").utf8))
        exit(failure.code)
    }
    if let exitCode = error as? ExitCode {
        exit(exitCode.rawValue)
    }
    let message = MyelinCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    FileHandle.standardError.write(Data("myelin: \(message) (see 'myelin --help')\n".utf8))
    exit(2)
}
