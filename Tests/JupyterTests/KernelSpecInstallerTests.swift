import Foundation
import Testing
@testable import Jupyter

@Suite struct KernelSpecInstallerTests {
    func installer(_ env: [String: String]) -> KernelSpecInstaller {
        KernelSpecInstaller(name: "myelin", executable: "/opt/bin/myelin", logoDirectory: nil, environment: env)
    }

    @Test func userDirectoryFollowsJupyterPrecedence() throws {
        #expect(try installer(["JUPYTER_DATA_DIR": "/j", "XDG_DATA_HOME": "/x", "HOME": "/h"]).kernelsDirectory(for: .user) == "/j/kernels")
        #expect(try installer(["XDG_DATA_HOME": "/x", "HOME": "/h"]).kernelsDirectory(for: .user) == "/x/jupyter/kernels")
        #expect(try installer(["HOME": "/h"]).kernelsDirectory(for: .user) == "/h/.local/share/jupyter/kernels")
        #expect(throws: KernelSpecError.self) { try installer([:]).kernelsDirectory(for: .user) }
    }

    @Test func sysPrefixNeedsAnEnvironment() throws {
        #expect(try installer(["VIRTUAL_ENV": "/v"]).kernelsDirectory(for: .sysPrefix) == "/v/share/jupyter/kernels")
        #expect(throws: KernelSpecError.self) { try installer([:]).kernelsDirectory(for: .sysPrefix) }
    }

    @Test func kernelJSONStartsThisBinary() {
        let spec = installer([:]).kernelJSON
        #expect(spec["argv"] == ["/opt/bin/myelin", "kernel", "-f", "{connection_file}"])
        #expect(spec["language"] == "myelin")
        #expect(spec["interrupt_mode"] == "message")
    }

    @Test func kernelJSONStartsTheLauncherWhenThereIsOne() {
        var withLauncher = installer([:])
        withLauncher.launcher = "/opt/bin/myelin-launcher"
        #expect(withLauncher.kernelJSON["argv"] == ["/opt/bin/myelin-launcher", "-f", "{connection_file}"])
    }

    @Test func installWritesKernelJSONAndRejectsBadNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("myelin-spec-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try installer([:]).install(at: .prefix(dir))
        let text = try String(contentsOfFile: written + "/kernel.json", encoding: .utf8)
        #expect(try JSON.parse(text)["display_name"] == "Myelin")
        var bad = installer([:])
        bad.name = "../escape"
        #expect(throws: KernelSpecError.self) { try bad.install(at: .prefix(dir)) }
    }
}
