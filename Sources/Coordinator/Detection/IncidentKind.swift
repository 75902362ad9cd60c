/// What kind of trouble an incident is, such as `high_error_rate`: the firing alerts of one kind in one service
/// make one incident.
struct IncidentKind: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    var description: String { rawValue }

    static func < (lhs: IncidentKind, rhs: IncidentKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
