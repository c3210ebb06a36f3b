import Foundation
import Testing
@testable import Engine

@Suite struct DataNPYTests {
    private func load(_ name: String) throws -> NPYArray {
        try NPY.load(path: fixtureURL("data/\(name)").path)
    }

    @Test func readsFilesWrittenByNumPy() throws {
        #expect(try load("f32_2x3.npy") == NPYArray(values: .float32([-0.5, -0.25, 0, 0.25, 0.5, 0.75]), shape: [2, 3]))
        #expect(try load("f64_vec.npy") == NPYArray(values: .float64([1.5, -2.25, 1e-300, Double.pi]), shape: [4]))
        #expect(try load("i64_2x2x2.npy") == NPYArray(values: .int64([-3, 1 << 40, 0, 7, -1, 5, 9, -(1 << 62)]), shape: [2, 2, 2]))
        #expect(try load("u8_3.npy") == NPYArray(values: .uint8([0, 127, 255]), shape: [3]))
        #expect(try load("bool_4.npy") == NPYArray(values: .bool([true, false, false, true]), shape: [4]))
        #expect(try load("f64_scalar.npy") == NPYArray(values: .float64([2.5]), shape: []))
        #expect(try load("f8_bigendian.npy") == NPYArray(values: .float64([1, -2, 0.125]), shape: [3]))
        #expect(try load("f32_v2.npy") == NPYArray(values: .float32([1, 2, 3, 4]), shape: [2, 2]))
    }

    @Test func rejectsFortranOrderAndOtherDtypes() throws {
        #expect(throws: DataError("load_npy: Fortran-ordered arrays are not supported; save a C-ordered copy (np.ascontiguousarray)")) {
            try load("fortran.npy")
        }
        do {
            _ = try load("i32_unsupported.npy")
            Issue.record("int32 accepted")
        } catch let e as DataError {
            #expect(e.message.contains("dtype '<i4' is not supported"))
        }
    }

    @Test func roundTripsEveryDtypeAndMatchesNumPyBytes() throws {
        let arrays = [
            NPYArray(values: .float32([1, -2.5, .infinity, 0]), shape: [2, 2]),
            NPYArray(values: .float64([0.1, -1e308]), shape: [2, 1]),
            NPYArray(values: .int64([Int64.min, Int64.max, 0]), shape: [3]),
            NPYArray(values: .uint8([]), shape: [0, 5]),
            NPYArray(values: .bool([true]), shape: []),
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("myelin-npy-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, a) in arrays.enumerated() {
            let path = dir.appendingPathComponent("a\(i).npy").path
            try NPY.save(a, path: path)
            #expect(try NPY.load(path: path) == a)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect((data.count - Int(data[8]) - 10) == a.values.count * [4, 8, 8, 1, 1][i])
            #expect((10 + Int(data[8])) % 64 == 0) // data 64-byte aligned like NumPy
        }
        // Byte-identical to NumPy's own writer for the same array.
        let numpy = try Data(contentsOf: fixtureURL("data/f32_2x3.npy"))
        #expect(try NPY.encode(try load("f32_2x3.npy")) == numpy)
        #expect(throws: DataError.self) { try NPY.encode(NPYArray(values: .float32([1, 2]), shape: [3])) }
        #expect(throws: DataError.self) { try NPY.encode(NPYArray(values: .float32([1, 2]), shape: [Int.max, 4])) }
        #expect(throws: DataError.self) { try NPY.encode(NPYArray(values: .float32([1, 2]), shape: [-1, -2])) }
    }

    @Test func mangledFilesGiveErrorsNotCrashes() throws {
        let good = [UInt8](try Data(contentsOf: fixtureURL("data/i64_2x2x2.npy")))
        var inputs: [[UInt8]] = [[], Array(good[0..<5]), Array(good[0..<9]), Array(good[0..<40]), Array(good.dropLast())]
        let g = RandomGenerator(seed: 12)
        for _ in 0..<300 {
            var m = good
            for _ in 0..<(1 + g.nextInt(below: 4)) { m[g.nextInt(below: m.count)] = UInt8(g.nextInt(below: 256)) }
            inputs.append(m)
        }
        let header = String(decoding: good[10..<Int(good[8]) + 10], as: UTF8.self)
        for bad in ["{'descr': '<i8', 'fortran_order': False, 'shape': (-2, 2), }",
                    "{'descr': '<i8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
                    "{'descr': '<i8', 'shape': (8,), }", "{'descr': '<i8', 'fortran_order': Maybe, 'shape': (8,), }",
                    "{'descr': '<i8', 'fortran_order': False, 'shape': (8,)", "not a dict", header.replacingOccurrences(of: "'<i8'", with: "'<i8")] {
            var bytes = Array(good[0..<8])
            let h = Array(bad.utf8)
            bytes += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + Array(good[(Int(good[8]) + 10)...])
            inputs.append(bytes)
        }
        var rejected = 0
        for input in inputs {
            do { _ = try NPY.decode(Data(input)) } catch is DataError { rejected += 1 }
        }
        #expect(rejected >= 12)
    }
}

@Suite struct DataIDXAndCSVTests {
    @Test func readsTinyIDXFiles() throws {
        let shorts = try IDX.load(path: fixtureURL("data/tiny_short.idx").path)
        #expect(shorts == LoadedArray(values: [1, -2, 300, -400, 0, 32767], shape: [2, 3]))
        let floats = try IDX.load(path: fixtureURL("data/tiny_float.idx").path)
        #expect(floats == LoadedArray(values: [0.5, -1.25, 3], shape: [3]))
        let bytes = try IDX.encodeUInt8([1, 2, 3, 250, 0, 9], shape: [3, 2])
        #expect(try IDX.decode(bytes) == LoadedArray(values: [1, 2, 3, 250, 0, 9], shape: [3, 2]))
    }

    @Test func mangledIDXGivesClearErrors() throws {
        #expect(throws: DataError("load_idx: x is gzip-compressed; decompress it first (gunzip)")) {
            try IDX.decode(Data([0x1F, 0x8B, 8, 0, 0]), source: "x")
        }
        let good = [UInt8](try Data(contentsOf: fixtureURL("data/tiny_short.idx")))
        var inputs: [[UInt8]] = [[], [0, 0], [0, 0, 0x0B, 2, 0, 0], [0, 0, 0x07, 1, 0, 0, 0, 1, 5],
                                 [0, 0, 0x08, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                                 Array(good.dropLast()), good + [0]]
        let g = RandomGenerator(seed: 4)
        for _ in 0..<300 {
            var m = good
            m[g.nextInt(below: 12)] = UInt8(g.nextInt(below: 256))
            inputs.append(m)
        }
        var rejected = 0
        for input in inputs {
            do { _ = try IDX.decode(Data(input)) } catch is DataError { rejected += 1 }
        }
        #expect(rejected >= 7)
    }

    @Test func csvParsesNumbersAndReportsBadCells() throws {
        let t = try CSV.parse("a,b\n1,2.5\r\n\n-3, 4e2\n")
        #expect(t == CSVTable(header: ["a", "b"], values: [1, 2.5, -3, 400], shape: [2, 2]))
        #expect(try CSV.parse("1;2\n3;4", delimiter: ";").header == nil)
        #expect(throws: DataError("load_csv: CSV text line 3, column 2: \"x\" is not a number")) {
            try CSV.parse("a,b\n1,2\n3,x")
        }
        #expect(throws: DataError("load_csv: CSV text line 2 has 1 cells, expected 2")) { try CSV.parse("1,2\n3") }
        #expect(throws: DataError.self) { try CSV.parse("\n\n") }
        #expect(throws: DataError.self) { try CSV.load(path: "/nonexistent/file.csv") }
    }
}
