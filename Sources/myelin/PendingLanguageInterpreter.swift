import Jupyter

/// A stand-in until the Myelin language is wired into this binary: every code cell fails with a
/// clear error, so `myelin exec` works end to end (markdown-only notebooks pass, code cells fail).
/// Replace `ExecCommand.makeInterpreter` with the real `Script`-backed interpreter when it lands.
final class PendingLanguageInterpreter: Interpreter {
    static let message = "the Myelin language is not available in this build"

    var kernelInfo: KernelInfo {
        KernelInfo(implementation: "myelin", implementationVersion: MyelinVersion.version,
                   banner: "Myelin (language not available in this build)",
                   languageInfo: ["name": "myelin", "version": "0.1", "mimetype": "text/x-myelin",
                                  "file_extension": ".myl"])
    }

    func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome {
        .error(ExecutionError(ename: "LanguageUnavailable", evalue: PendingLanguageInterpreter.message,
                              traceback: ["LanguageUnavailable: " + PendingLanguageInterpreter.message]))
    }

    func complete(code: String, cursorPos: Int) -> Completion {
        Completion(matches: [], cursorStart: cursorPos, cursorEnd: cursorPos)
    }

    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> DisplayData? { nil }

    func isComplete(code: String) -> Completeness { .unknown }

    func interrupt() {}

    func shutdown(restart: Bool) {}
}
