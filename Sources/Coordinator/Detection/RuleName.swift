/// A rule's unique name, such as `error_ratio_critical`.
struct RuleName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    var description: String { rawValue }

    static func < (lhs: RuleName, rhs: RuleName) -> Bool { lhs.rawValue < rhs.rawValue }
}
