import Foundation

/// The connection file Jupyter writes for a kernel: where to bind and how to sign.
public struct ConnectionInfo: Equatable, Sendable {
    public enum Transport: String, Sendable { case tcp, ipc }

    public var transport: Transport
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: [UInt8]
    public var signatureScheme: String
    /// CurveZMQ keys (Z85 text, 40 characters each) as jupyter_client ≥ 8.10 writes them with
    /// `transport_encryption`: when set, every socket is a CURVE server with this secret key.
    public var curveSecretKey: String? = nil
    public var curvePublicKey: String? = nil

    /// The ZeroMQ endpoint for `port` (`tcp://ip:port`, or `ipc://ip-port` as jupyter_client names them).
    public func endpoint(_ port: Int) -> String {
        switch transport {
        case .tcp: return "tcp://\(ip):\(port)"
        case .ipc: return "ipc://\(ip)-\(port)"
        }
    }

    /// Reads and checks a connection file.
    public static func load(path: String) throws -> ConnectionInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectionFileError("cannot read connection file '\(path)'")
        }
        return try parse(Array(data))
    }

    /// Parses connection-file JSON; every problem becomes a `ConnectionFileError` naming the field.
    public static func parse(_ bytes: [UInt8]) throws -> ConnectionInfo {
        let json: JSON
        do { json = try JSON.parse(bytes: bytes) } catch {
            throw ConnectionFileError("connection file is not valid JSON (\(error))")
        }
        guard json.objectValue != nil else { throw ConnectionFileError("connection file must be a JSON object") }

        let transportName = try optionalString(json, "transport") ?? "tcp"
        guard let transport = Transport(rawValue: transportName) else {
            throw ConnectionFileError("unsupported transport '\(transportName)' (use \"tcp\" or \"ipc\")")
        }
        let ip = try requiredString(json, "ip")
        if ip.isEmpty { throw ConnectionFileError("'ip' is empty") }
        let scheme = try optionalString(json, "signature_scheme") ?? "hmac-sha256"
        let key = try optionalString(json, "key") ?? ""
        if !key.isEmpty && scheme != "hmac-sha256" {
            throw ConnectionFileError("unsupported signature_scheme '\(scheme)' (only \"hmac-sha256\")")
        }
        let info = ConnectionInfo(
            transport: transport, ip: ip,
            shellPort: try port(json, "shell_port"), iopubPort: try port(json, "iopub_port"),
            stdinPort: try port(json, "stdin_port"), controlPort: try port(json, "control_port"),
            hbPort: try port(json, "hb_port"), key: Array(key.utf8), signatureScheme: scheme)
        var secured = info
        let secret = try optionalString(json, "curve_secretkey"), publicKey = try optionalString(json, "curve_publickey")
        if let secret {
            guard secret.utf8.count == 40 else {
                throw ConnectionFileError("'curve_secretkey' must be a 40-character Z85 key, got \(secret.utf8.count) characters")
            }
            if let publicKey, publicKey.utf8.count != 40 {
                throw ConnectionFileError("'curve_publickey' must be a 40-character Z85 key, got \(publicKey.utf8.count) characters")
            }
            secured.curveSecretKey = secret
            secured.curvePublicKey = publicKey
        }
        let ports = [info.shellPort, info.iopubPort, info.stdinPort, info.controlPort, info.hbPort]
        if Set(ports).count != ports.count { throw ConnectionFileError("the five ports must all differ, got \(ports)") }
        return secured
    }

    private static func requiredString(_ json: JSON, _ field: String) throws -> String {
        guard let value = json[field] else { throw ConnectionFileError("connection file has no '\(field)'") }
        guard let s = value.stringValue else { throw ConnectionFileError("'\(field)' must be a string") }
        return s
    }

    private static func optionalString(_ json: JSON, _ field: String) throws -> String? {
        guard let value = json[field], value != .null else { return nil }
        guard let s = value.stringValue else { throw ConnectionFileError("'\(field)' must be a string") }
        return s
    }

    private static func port(_ json: JSON, _ field: String) throws -> Int {
        guard let value = json[field] else { throw ConnectionFileError("connection file has no '\(field)'") }
        guard let n = value.intValue ?? value.stringValue.flatMap({ Int($0) }) else {
            throw ConnectionFileError("'\(field)' must be a port number, got \(value.serialized())")
        }
        guard (1...65535).contains(n) else { throw ConnectionFileError("'\(field)' \(n) is not a port in 1…65535") }
        return n
    }
}

/// A connection file that cannot be used, with what to fix.
public struct ConnectionFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
