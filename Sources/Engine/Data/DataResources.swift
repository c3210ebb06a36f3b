import Foundation

/// Finds the files shipped in `Sources/Engine/Data/Resources` (copied by SwiftPM into the
/// `Myelin_Engine.resources` bundle next to the executable or test runner).
///
/// SwiftPM's generated `Bundle.module` stops the process when the bundle is missing; a kernel must
/// not die because a data file was not installed, so the lookup is done here with a clear error.
/// `MYELIN_DATA_DIR` overrides the location (a folder holding the resource files).
enum DataResources {
    static let bundleName = "Myelin_Engine.resources"

    /// Folders that may hold the resource files, most specific first.
    static var candidateDirectories: [URL] {
        var dirs: [URL] = []
        if let override = ProcessInfo.processInfo.environment["MYELIN_DATA_DIR"], !override.isEmpty {
            dirs.append(URL(fileURLWithPath: override))
        }
        var bases = [Bundle.main.bundleURL]
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            bases.append(exe)
        }
        for bundle in Bundle.allBundles { bases.append(bundle.bundleURL.deletingLastPathComponent()) }
        for base in bases {
            let bundle = base.appendingPathComponent(bundleName)
            dirs.append(bundle.appendingPathComponent("Resources"))
            dirs.append(bundle.appendingPathComponent("Contents/Resources/Resources")) // macOS bundle layout
        }
        return dirs
    }

    /// The URL of a shipped resource file; throws naming the places searched.
    static func url(_ name: String) throws -> URL {
        let fm = FileManager.default
        let dirs = candidateDirectories
        for dir in dirs {
            let file = dir.appendingPathComponent(name)
            if fm.isReadableFile(atPath: file.path) { return file }
        }
        throw DataError("""
            data file \(name) is missing: it ships in \(bundleName) next to the myelin executable \
            (searched \(dirs.map(\.path).joined(separator: ", "))); reinstall, or set MYELIN_DATA_DIR \
            to a folder holding Sources/Engine/Data/Resources' files
            """)
    }

    static func data(_ name: String) throws -> Data {
        let file = try url(name)
        do { return try Data(contentsOf: file) } catch {
            throw DataError("cannot read data file \(file.path): \(error.localizedDescription)")
        }
    }

    static func text(_ name: String) throws -> String {
        guard let text = String(data: try data(name), encoding: .utf8) else {
            throw DataError("data file \(name) is not UTF-8 text")
        }
        return text
    }
}
