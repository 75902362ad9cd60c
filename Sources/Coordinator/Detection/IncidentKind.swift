/// What kind of trouble an incident is, such as `high_error_rate`: the firing alerts of one kind in one service
/// make one incident. Codable as its text, by `RawRepresentable`'s default.
struct IncidentKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    var description: String { rawValue }
}
