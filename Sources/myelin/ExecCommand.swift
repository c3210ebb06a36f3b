import ArgumentParser
import Foundation
import Jupyter

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run notebooks headless (for CI) and write their outputs back.",
        discussion: """
            A PATH is a notebook (.ipynb), a script (.myl, run as one cell, its output printed) or a \
            directory (its notebooks in name order, not recursive). Each notebook runs on a fresh \
            interpreter. A notebook stops at its first error unless --allow-errors; cells tagged \
            skip-execution are not run; cells tagged raises-exception may fail. Exit status: 0 when \
            everything passed, 1 when a cell failed or timed out, 2 for usage errors and unreadable files.
            """)

    /// The interpreter each notebook runs on. Swap in the language's interpreter when it lands.
    static let makeInterpreter: () -> Interpreter = { ScriptInterpreter() }

    @Argument(help: ArgumentHelp("Notebooks, scripts or directories.", valueName: "PATH"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write executed copies into DIR instead of in place.", valueName: "DIR"))
    var output: String?

    @Flag(name: .long, help: "Run and report only; write nothing.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("Interrupt a cell that runs longer than this and fail its notebook.",
                                            valueName: "SECONDS"))
    var timeout: Double?

    @Flag(name: .customLong("allow-errors"),
          help: "Keep running after a failing cell (still exit 1 unless every failing cell is tagged raises-exception).")
    var allowErrors = false

    @Option(name: .long, help: ArgumentHelp("Run this many notebooks at once, each in its own process.", valueName: "N"))
    var jobs = 1

    /// Set by a parent `--jobs` run: print a result line per path instead of the table.
    @Flag(name: .customLong("report-result"), help: .hidden)
    var reportResult = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one notebook, script or directory") }
        if output != nil && check { throw ValidationError("--check writes nothing; do not combine it with --output") }
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let items = try ExecPlan.expand(paths)
        if items.isEmpty {
            Console.out("No notebooks found in \(paths.joined(separator: " ")).\n")
            return
        }
        let destination = try outputDestination(for: items)
        let rows: [HeadlessSummaryRow]
        if jobs > 1 && items.count > 1 {
            rows = ExecJobs(jobs: jobs, childArguments: childArguments(destination: destination)).run(items)
        } else {
            rows = items.map { run($0, destination: destination) }
        }
        if reportResult {
            for row in rows { Console.out(row.resultLine + "\n") }
        } else {
            Console.out("\n" + HeadlessSummary.table(rows))
        }
        let code = HeadlessSummary.exitCode(rows)
        if code != 0 { throw ExitCode(code) }
    }

    private var options: HeadlessOptions {
        HeadlessOptions(timeout: timeout, allowErrors: allowErrors)
    }

    /// Where each notebook is written: itself, a copy in --output, or nowhere (--check).
    private func outputDestination(for items: [ExecItem]) throws -> ExecDestination {
        if check { return .nowhere }
        guard let output else { return .inPlace }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw CommandFailure("--output '\(output)' is a file, not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure("cannot create the output directory '\(output)'")
            }
        }
        var seen: [String: String] = [:]
        for case .notebook(let path) in items {
            let name = (path as NSString).lastPathComponent
            if let other = seen[name] {
                throw CommandFailure("'\(other)' and '\(path)' would both be written to '\(output)/\(name)'")
            }
            seen[name] = path
        }
        return .directory(output)
    }

    private func childArguments(destination: ExecDestination) -> [String] {
        var arguments = ["exec", "--report-result"]
        switch destination {
        case .inPlace: break
        case .nowhere: arguments.append("--check")
        case .directory(let dir): arguments += ["--output", dir]
        }
        if let timeout { arguments += ["--timeout", String(timeout)] }
        if allowErrors { arguments.append("--allow-errors") }
        return arguments
    }

    private func run(_ item: ExecItem, destination: ExecDestination) -> HeadlessSummaryRow {
        let runner = NotebookRunner(options: options, makeInterpreter: ExecCommand.makeInterpreter)
        switch item {
        case .script(let path):
            guard let data = FileManager.default.contents(atPath: path),
                  let code = String(data: data, encoding: .utf8) else {
                Console.err("myelin: \(path): cannot read the script (missing, unreadable or not UTF-8)\n")
                return HeadlessSummaryRow(path: path, status: .unreadable, message: "cannot read the script")
            }
            let report = runner.runScript(code, output: ScriptConsoleOutput())
            reportFailures(report, path: path)
            return HeadlessSummaryRow(path: path, report: report)
        case .notebook(let path):
            var notebook: Notebook
            do {
                notebook = try Notebook.read(fromFile: path)
            } catch {
                let message = (error as? NotebookError)?.message ?? "\(error)"
                Console.err("myelin: \(path): \(message)\n")
                return HeadlessSummaryRow(path: path, status: .unreadable, message: message)
            }
            let report = runner.run(&notebook)
            reportFailures(report, path: path)
            var row = HeadlessSummaryRow(path: path, report: report)
            if let target = destination.path(for: path) {
                do {
                    try notebook.write(toFile: target)
                } catch {
                    Console.err("myelin: \(path): cannot write '\(target)': \(error.localizedDescription)\n")
                    row.status = .failed
                    row.message = "cannot write '\(target)'"
                }
            }
            return row
        }
    }

    /// Prints each failing cell's error (traceback included) to stderr, so CI logs show it.
    private func reportFailures(_ report: NotebookRunReport, path: String) {
        let isScript = path.hasSuffix(".myl")
        for failure in report.failures where !failure.expected {
            let place = isScript ? "" : " cell \(failure.cellIndex + 1)"
            var text = "myelin: \(path):\(place) failed:\n"
            let traceback = failure.error.traceback.joined(separator: "\n")
            text += traceback.isEmpty ? "\(failure.error.ename): \(failure.error.evalue)" : traceback
            Console.err(text.hasSuffix("\n") ? text : text + "\n")
        }
        if let message = report.message { Console.err("myelin: \(path): \(message)\n") }
    }
}

/// One thing to run.
enum ExecItem: Equatable {
    case notebook(String)
    case script(String)

    var path: String {
        switch self {
        case .notebook(let p), .script(let p): return p
        }
    }
}

enum ExecDestination {
    case inPlace
    case directory(String)
    case nowhere

    func path(for notebook: String) -> String? {
        switch self {
        case .inPlace: return notebook
        case .directory(let dir): return dir + "/" + (notebook as NSString).lastPathComponent
        case .nowhere: return nil
        }
    }
}

enum ExecPlan {
    /// Files as given; directories become their `.ipynb` files in name order (not recursive).
    static func expand(_ paths: [String]) throws -> [ExecItem] {
        var items: [ExecItem] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure("no such file or directory: '\(path)'")
            }
            if isDirectory.boolValue {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                    throw CommandFailure("cannot list the directory '\(path)'")
                }
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                items += names.filter { $0.hasSuffix(".ipynb") && !$0.hasPrefix(".") }.sorted()
                    .map { .notebook(base + "/" + $0) }
            } else if path.hasSuffix(".myl") {
                items.append(.script(path))
            } else {
                items.append(.notebook(path))
            }
        }
        return items
    }
}
