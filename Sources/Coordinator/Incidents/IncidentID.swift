/// An incident's number, counted up from 1 by the coordinator; what operators type (`vigil ack 12`). Codable
/// as its number, by `RawRepresentable`'s default.
struct IncidentID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let rawValue: Int64

    init(rawValue: Int64) { self.rawValue = rawValue }
    init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// Reads `12` or `#12`; nil for anything else, including 0 and negative numbers.
    init?(text: String) {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let number = Int64(digits), number > 0 else { return nil }
        rawValue = number
    }

    var description: String { String(rawValue) }

    static func < (lhs: IncidentID, rhs: IncidentID) -> Bool { lhs.rawValue < rhs.rawValue }
}
