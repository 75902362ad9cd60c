import Foundation

/// The one JSON shape every JSON channel writes: keys sorted (so bodies compare byte for byte in tests and
/// diffs), slashes unescaped, dates as ISO 8601 in UTC.
enum NotificationJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(value))
    }
}
