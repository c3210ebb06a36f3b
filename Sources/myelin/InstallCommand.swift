import ArgumentParser
import Foundation
import Jupyter

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the Myelin kernelspec so Jupyter front-ends can start this kernel.",
        discussion: """
            Writes kernels/NAME/kernel.json (pointing at this myelin binary) and the logos. \
            The user directory is $JUPYTER_DATA_DIR/kernels, else $XDG_DATA_HOME/jupyter/kernels, \
            else ~/.local/share/jupyter/kernels. Check with 'jupyter kernelspec list'.
            """)

    @Flag(name: .long, help: "Install for this user (the default).")
    var user = false

    @Flag(name: .customLong("sys-prefix"), help: "Install into the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX).")
    var sysPrefix = false

    @Option(name: .long, help: ArgumentHelp("Install into PREFIX/share/jupyter/kernels.", valueName: "DIR"))
    var prefix: String?

    @Option(name: .long, help: "The kernelspec's directory name.")
    var name = "myelin"

    func validate() throws {
        let chosen = [user, sysPrefix, prefix != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose one of --user, --sys-prefix and --prefix") }
    }

    func run() throws {
        let location: KernelSpecLocation = sysPrefix ? .sysPrefix : prefix.map { .prefix(absolutePath($0)) } ?? .user
        let installer = KernelSpecInstaller(
            name: name, executable: ExecutablePath.current, launcher: ExecutablePath.launcher,
            logoDirectory: ExecutablePath.kernelspecResources)
        do {
            let dir = try installer.install(at: location)
            print("Installed kernelspec \(name) in \(dir)")
        } catch let error as KernelSpecError {
            throw CommandFailure(error.description)
        }
    }
}

func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// Where this binary and the repository's `kernelspec/` folder are.
enum ExecutablePath {
    static var current: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return absolutePath(CommandLine.arguments[0])
    }

    /// `myelin-launcher` beside this binary (built and installed with it), if it is there.
    static var launcher: String? {
        let path = (current as NSString).deletingLastPathComponent + "/myelin-launcher"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The logos: beside an installed binary (PREFIX/share/myelin/kernelspec) or in the source tree
    /// the binary was built in (.build/<config>/myelin → ../../kernelspec).
    static var kernelspecResources: String? {
        let binDir = (current as NSString).deletingLastPathComponent
        let candidates = [
            binDir + "/../share/myelin/kernelspec",
            binDir + "/../../kernelspec",
            binDir + "/../../../kernelspec",
            binDir + "/../../../../kernelspec",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/logo-64x64.png") }
            .map { ($0 as NSString).standardizingPath }
    }
}
