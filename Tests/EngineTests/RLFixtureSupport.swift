import Foundation

/// Reads a JSON fixture committed under Tests/EngineTests/fixtures/.
func loadJSONFixture(_ relativePath: String, filePath: String = #filePath) throws -> [String: Any] {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("fixtures").appendingPathComponent(relativePath)
    let data = try Data(contentsOf: url)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw CocoaError(.fileReadCorruptFile)
    }
    return object
}

/// The URL of a fixture file (for binary fixtures).
func fixtureURL(_ relativePath: String, filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("fixtures").appendingPathComponent(relativePath)
}

func doubles(_ value: Any?) -> [Double] {
    (value as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
}

func ints(_ value: Any?) -> [Int] {
    (value as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } ?? []
}
