/// A rule's unique name, such as `error_ratio_critical`. Codable as its text, by `RawRepresentable`'s default.
struct RuleName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    var description: String { rawValue }

    static func < (lhs: RuleName, rhs: RuleName) -> Bool { lhs.rawValue < rhs.rawValue }
}
