import Foundation

/// A silence's id, such as `sil-3f9a1c2e`: made by the coordinator when the silence is added.
struct SilenceID: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    /// A new random id; eight hex digits are plenty for the silences one coordinator ever holds.
    static func make() -> SilenceID {
        SilenceID("sil-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased())
    }

    var description: String { rawValue }

    static func < (lhs: SilenceID, rhs: SilenceID) -> Bool { lhs.rawValue < rhs.rawValue }
}
