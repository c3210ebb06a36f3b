import ArgumentParser

struct MyelinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "myelin",
        abstract: "A Jupyter kernel for learning and teaching deep learning.",
        discussion: """
            Start with 'myelin install --user' to make the kernel visible to Jupyter, then pick \
            "Myelin" in JupyterLab, or run notebooks headless with 'myelin exec notebooks/'.
            """,
        version: MyelinVersion.version,
        subcommands: [KernelCommand.self, ExecCommand.self, RunCommand.self, InstallCommand.self, VersionCommand.self]
    )
}
