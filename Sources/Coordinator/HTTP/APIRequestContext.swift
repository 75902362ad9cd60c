import Foundation
import Hummingbird

/// The request context of every API route: JSON with snake_case keys and ISO 8601 times, both ways.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var responseEncoder: JSONEncoder { APIJSON.makeEncoder() }
    var requestDecoder: JSONDecoder { APIJSON.makeDecoder() }
}

/// The API's JSON conventions, shared by the server and the CLI that reads it.
enum APIJSON {
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Milliseconds: a command's round trip or a detection is a matter of milliseconds, and whole seconds
        // would hide it (`2026-11-29T12:00:00.123Z`, still ISO 8601).
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.timestamp))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// ISO 8601 in UTC with milliseconds.
    static let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in camelCaseKey(path.last) }
        // With or without fractional seconds, as older coordinators and other clients write them.
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            do {
                return try Self.timestamp.parse(text)
            } catch {
                do {
                    return try Date.ISO8601FormatStyle().parse(text)
                } catch {
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "not an ISO 8601 time: \(text)"
                    )
                }
            }
        }
        return decoder
    }

    /// `incident_id` → `incidentID`: snake case back to Swift's names, with the acronyms our names spell in
    /// capitals. Foundation's `convertFromSnakeCase` looks for `incidentId` instead, which fails a required
    /// `incidentID` and silently drops an optional one.
    static func camelCaseKey(_ key: (any CodingKey)?) -> any CodingKey {
        guard let key else { return JSONKey(stringValue: "") }
        let words = key.stringValue.split(separator: "_", omittingEmptySubsequences: false)
        guard key.intValue == nil, words.count > 1, !words.contains(where: \.isEmpty) else { return key }
        let rest = words.dropFirst().map { word in
            let lowered = word.lowercased()
            return acronyms.contains(lowered)
                ? lowered.uppercased() : lowered.prefix(1).uppercased() + lowered.dropFirst()
        }
        return JSONKey(stringValue: String(words[0]) + rest.joined())
    }

    private static let acronyms: Set<String> = ["id", "url"]

    /// A key by name, for the renamed keys.
    private struct JSONKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }
}
