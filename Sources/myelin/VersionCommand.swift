import ArgumentParser
import COpenBLAS
import CZeroMQ
import Foundation

enum MyelinVersion {
    static let version = "0.1.0"

    static var swift: String {
        #if compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    static var openBLAS: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    static var zeroMQ: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the versions of Myelin, Swift, OpenBLAS and libzmq.")

    func run() throws {
        print("myelin \(MyelinVersion.version)")
        print("swift \(MyelinVersion.swift)")
        print("openblas \(MyelinVersion.openBLAS)")
        print("libzmq \(MyelinVersion.zeroMQ)")
    }
}
