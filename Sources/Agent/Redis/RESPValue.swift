/// One reply, or one request, in Redis's RESP2 protocol.
///
/// Null bulk strings and null arrays stay distinct from empty ones, as on the wire: `GET` of a missing key
/// answers `$-1`, a timed-out `BLPOP` answers `*-1`.
enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    /// Binary-safe bytes; nil is the null bulk string.
    case bulkString([UInt8]?)
    /// Nil is the null array.
    case array([RESPValue]?)

    /// A command as Redis expects it from clients: an array of bulk strings.
    static func command(_ arguments: [String]) -> RESPValue {
        .array(arguments.map { .bulkString(Array($0.utf8)) })
    }

    /// The text of a simple or bulk string; nil for every other kind and for null.
    var text: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// What kind of reply this is, for messages about replies that were not the expected kind.
    var kindDescription: String {
        switch self {
        case .simpleString: "simple string"
        case .error: "error"
        case .integer: "integer"
        case .bulkString(nil): "null bulk string"
        case .bulkString: "bulk string"
        case .array(nil): "null array"
        case .array: "array"
        }
    }

    /// The value in RESP2 wire form.
    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }

    private func encode(into bytes: inout [UInt8]) {
        func line(_ type: UInt8, _ text: String) {
            bytes.append(type)
            bytes += text.utf8
            bytes += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
        switch self {
        case .simpleString(let text): line(UInt8(ascii: "+"), text)
        case .error(let text): line(UInt8(ascii: "-"), text)
        case .integer(let value): line(UInt8(ascii: ":"), String(value))
        case .bulkString(nil): line(UInt8(ascii: "$"), "-1")
        case .bulkString(let value?):
            line(UInt8(ascii: "$"), String(value.count))
            bytes += value
            bytes += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        case .array(nil): line(UInt8(ascii: "*"), "-1")
        case .array(let elements?):
            line(UInt8(ascii: "*"), String(elements.count))
            for element in elements { element.encode(into: &bytes) }
        }
    }
}
