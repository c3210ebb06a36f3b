import Testing
@testable import Jupyter

@Suite struct KernelConnectionTests {
    private let valid = #"""
    {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
     "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "myelin"}
    """#

    @Test func parsesAJupyterClientConnectionFile() throws {
        let info = try ConnectionInfo.parse(Array(valid.utf8))
        #expect(info.shellPort == 5001 && info.hbPort == 5005)
        #expect(info.key == Array("abc".utf8))
        #expect(info.endpoint(info.iopubPort) == "tcp://127.0.0.1:5002")
    }

    @Test func ipcEndpointsFollowJupyterClient() throws {
        let text = valid.replacingOccurrences(of: "\"tcp\"", with: "\"ipc\"")
            .replacingOccurrences(of: "127.0.0.1", with: "/tmp/k")
        let info = try ConnectionInfo.parse(Array(text.utf8))
        #expect(info.endpoint(info.shellPort) == "ipc:///tmp/k-5001")
    }

    @Test(arguments: [
        ("not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (#"{"ip": "127.0.0.1"}"#, "no 'shell_port'"),
        (#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "no 'ip'"),
        (#"{"ip": "x", "shell_port": 0, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "'shell_port' 0 is not a port"),
        (#"{"ip": "x", "shell_port": 70000, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "70000"),
        (#"{"ip": "x", "shell_port": "abc", "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "must be a port number"),
        (#"{"ip": "x", "shell_port": 1, "iopub_port": 1, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "must all differ"),
        (#"{"ip": "x", "transport": "udp", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "unsupported transport"),
        (#"{"ip": "x", "key": "k", "signature_scheme": "hmac-md5", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "signature_scheme"),
        (#"{"ip": 5, "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}"#, "'ip' must be a string"),
    ])
    func rejectsBadFilesWithAClearMessage(_ text: String, _ mentions: String) {
        do {
            _ = try ConnectionInfo.parse(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch let error as ConnectionFileError {
            #expect(error.description.contains(mentions), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: ConnectionFileError.self) { try ConnectionInfo.load(path: "/no/such/connection.json") }
    }
}
