/// The stable name of one host's agent, unique in a fleet.
///
/// A node id is 1–128 characters of letters, digits, `.`, `_`, `-` and `:`, so it
/// is safe in file names, URLs, log lines and SQL text without quoting.
public struct NodeID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public static let maximumLength = 128

    public let rawValue: String

    /// Returns nil when `rawValue` is empty, too long or holds a character outside the allowed set.
    public init?(_ rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maximumLength,
            rawValue.utf8.allSatisfy(Self.isAllowed)
        else { return nil }
        self.rawValue = rawValue
    }

    private init(validated rawValue: String) { self.rawValue = rawValue }

    /// The id used when nothing better is known, such as a host with no usable name.
    public static let localhost = NodeID(validated: "localhost")

    public var description: String { rawValue }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = NodeID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "invalid node id \"\(text)\": use 1–128 of A-Z a-z 0-9 . _ - :"
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "-"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }
}
