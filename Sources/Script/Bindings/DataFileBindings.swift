import Engine
import Foundation

/// `data.load_csv`, `load_idx`, `load_npy`, `save_npy`.
extension DataBindings {
    /// A FileNotFoundError naming the path (and the working directory for relative paths).
    static func requireFile(_ path: String, _ function: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let cwd = FileManager.default.currentDirectoryPath
            let hint = path.hasPrefix("/") ? "" : " (relative to the working directory \(cwd))"
            throw ScriptError(.fileNotFoundError, "\(function)(): no such file: '\(path)'\(hint)")
        }
        if isDirectory.boolValue {
            throw ScriptError(.valueError, "\(function)(): '\(path)' is a directory, not a file")
        }
    }

    static func installFiles(_ m: BindingModule) {
        function(m, "load_csv", "load_csv(path, delimiter=',', header=None)",
                 "A numeric CSV file as a float32 tensor [rows, columns]. header=None skips a first row that holds any non-number; True/False force it.") { a in
            try a.check(max: 3, keywords: ["path", "delimiter", "header"])
            let path = try a.string(0, "path")
            let delimiter = try a.string(1, "delimiter", default: ",")
            guard delimiter.count == 1, let d = delimiter.first else {
                throw ScriptError(.valueError, "load_csv(): delimiter must be one character, got '\(delimiter)'")
            }
            let header = a.optional(2, "header").flatMap { $0.isNone ? nil : truthy($0) }
            try requireFile(path, "load_csv")
            let table = try CSV.load(path: path, delimiter: d, hasHeader: header)
            return TensorBindings.wrap(try Tensor(table.values, shape: table.shape))
        }
        function(m, "load_idx", "load_idx(path)",
                 "An IDX file (MNIST's format, uncompressed) as a tensor: float32 values as stored (pixels 0…255), except one-dimensional integer files (labels), which come back int64.") { a in
            try a.check(max: 1, keywords: ["path"])
            let path = try a.string(0, "path")
            try requireFile(path, "load_idx")
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ScriptError(.osError, "load_idx(): cannot read '\(path)': \(error.localizedDescription)")
            }
            let array = try IDX.decode(bytes, source: path)
            let integerCodes: Set<UInt8> = [0x08, 0x09, 0x0B, 0x0C]
            if array.shape.count == 1, bytes.count > 2, integerCodes.contains(bytes[2]) {
                return TensorBindings.wrap(try Tensor(array.values.map { Int64($0) }, shape: array.shape))
            }
            return TensorBindings.wrap(try Tensor(array.values, shape: array.shape))
        }
        function(m, "load_npy", "load_npy(path)",
                 "A NumPy .npy file as a tensor: float32/float64 → float32, int64/uint8 → int64, bool → bool.") { a in
            try a.check(max: 1, keywords: ["path"])
            let path = try a.string(0, "path")
            try requireFile(path, "load_npy")
            let array = try NPY.load(path: path)
            let t: Tensor
            switch array.values {
            case .float32(let v): t = try Tensor(v, shape: array.shape)
            case .float64(let v): t = try Tensor(v.map { Float($0) }, shape: array.shape)
            case .int64(let v): t = try Tensor(v, shape: array.shape)
            case .uint8(let v): t = try Tensor(v.map { Int64($0) }, shape: array.shape)
            case .bool(let v): t = try Tensor(v, shape: array.shape)
            }
            return TensorBindings.wrap(t)
        }
        function(m, "save_npy", "save_npy(path, tensor)",
                 "Writes a tensor (or nested list) to a NumPy .npy file that numpy.load reads, keeping its dtype (float32, int64 or bool).") { a in
            try a.check(max: 2, keywords: ["path", "tensor"])
            let path = try a.string(0, "path")
            let t = try TensorBindings.tensorArgument(try a.required(1, "tensor"), "save_npy() tensor")
            let values: NPYValues
            switch t.dtype {
            case .float32: values = .float32(t.floatArray())
            case .int64: values = .int64(t.int64Array())
            case .bool: values = .bool(t.boolArray())
            }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ScriptError(.fileNotFoundError, "save_npy(): the folder '\(folder)' does not exist; create it first")
            }
            try NPY.save(NPYArray(values: values, shape: t.shape), path: path)
            return .none
        }
    }
}
