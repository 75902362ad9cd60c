import Foundation

/// The JSON text of list and map columns (`affectedNodes`, `readings`, `groupLabels`, `nodes`).
///
/// Keys are sorted so equal values store equal text; non-finite numbers become strings because JSON has none,
/// and a reading of `inf` must not make a whole batch fail.
enum StoredJSON {
    static func encode<Value: Encodable>(_ value: Value, table: String, column: String) throws(StorageError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: positiveInfinity,
            negativeInfinity: negativeInfinity,
            nan: nan
        )
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .writeFailed(reason: "cannot encode \(table).\(column): \(describe(error))")
        }
    }

    /// Decodes a column's text, naming the row when it is not what `Value` expects.
    static func decode<Value: Decodable>(
        _ type: Value.Type,
        from text: String,
        table: String,
        id: String,
        column: String
    ) throws(StorageError) -> Value {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: positiveInfinity,
            negativeInfinity: negativeInfinity,
            nan: nan
        )
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw .invalidRow(table: table, id: id, reason: "\(column): \(describe(error))")
        }
    }

    private static let positiveInfinity = "inf"
    private static let negativeInfinity = "-inf"
    private static let nan = "nan"

    /// One line: where in the value it went wrong and why, without the nested error dump.
    private static func describe(_ error: any Error) -> String {
        let text: String
        switch error as? DecodingError {
        case .dataCorrupted(let context)?, .typeMismatch(_, let context)?, .valueNotFound(_, let context)?,
            .keyNotFound(_, let context)?:
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            text = (path.isEmpty ? "" : "at \(path.joined(separator: ".")): ") + context.debugDescription
        default:
            text = "\(error)"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
