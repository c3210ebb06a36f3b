import Foundation

/// Where a kernelspec goes, as `jupyter kernelspec install` decides it.
public enum KernelSpecLocation: Equatable, Sendable {
    case user
    case sysPrefix
    case prefix(String)
}

public struct KernelSpecError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes `kernel.json` (and the logos) into a Jupyter kernels directory.
public struct KernelSpecInstaller {
    public var name: String
    public var executable: String
    /// `myelin-launcher`, which pre-binds the kernel's ports and execs `executable kernel -f FILE`;
    /// without it Jupyter runs `executable kernel -f FILE` directly (slower to answer at start).
    public var launcher: String?
    public var logoDirectory: String?
    public var environment: [String: String]

    public init(name: String, executable: String, launcher: String? = nil, logoDirectory: String?,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.name = name
        self.executable = executable
        self.launcher = launcher
        self.logoDirectory = logoDirectory
        self.environment = environment
    }

    /// The kernelspec's command line.
    public var argv: [String] {
        if let launcher { return [launcher, "-f", "{connection_file}"] }
        return [executable, "kernel", "-f", "{connection_file}"]
    }

    /// The `kernel.json` contents: how Jupyter starts this kernel.
    public var kernelJSON: JSON {
        [
            "argv": .array(argv.map { .string($0) }),
            "display_name": "Myelin",
            "language": "myelin",
            "interrupt_mode": "message",
            "metadata": ["debugger": false, "supported_encryption": ["curve"]],
        ]
    }

    /// The `kernels` directory for a location, following Jupyter's search rules.
    public func kernelsDirectory(for location: KernelSpecLocation) throws -> String {
        switch location {
        case .user:
            if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty { return dir + "/kernels" }
            if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/jupyter/kernels" }
            guard let home = environment["HOME"], !home.isEmpty else {
                throw KernelSpecError("cannot find the user's data directory: HOME is not set (use --prefix DIR)")
            }
            return home + "/.local/share/jupyter/kernels"
        case .sysPrefix:
            guard let prefix = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"], !prefix.isEmpty else {
                throw KernelSpecError("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX); use --user or --prefix DIR")
            }
            return prefix + "/share/jupyter/kernels"
        case .prefix(let prefix):
            return prefix + "/share/jupyter/kernels"
        }
    }

    /// Installs the spec and returns the directory written.
    @discardableResult
    public func install(at location: KernelSpecLocation) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw KernelSpecError("invalid kernel name '\(name)': use letters, digits, '-', '_' and '.'")
        }
        let target = try kernelsDirectory(for: location) + "/" + name
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: target, withIntermediateDirectories: true)
            try (kernelJSON.pretty(indent: 1) + "\n").write(toFile: target + "/kernel.json", atomically: true, encoding: .utf8)
            if let logos = logoDirectory {
                for logo in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] where files.fileExists(atPath: logos + "/" + logo) {
                    try? files.removeItem(atPath: target + "/" + logo)
                    try files.copyItem(atPath: logos + "/" + logo, toPath: target + "/" + logo)
                }
            }
        } catch {
            throw KernelSpecError("cannot write the kernelspec to \(target): \(error.localizedDescription)")
        }
        return target
    }
}
