import Foundation

/// A command's id, unique for ever: `cmd-` and a UUID. The agent keeps the ids it ran, so a command
/// delivered twice runs once. Codable as its text, by `RawRepresentable`'s default.
struct CommandID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    static func make() -> CommandID { CommandID("cmd-" + UUID().uuidString.lowercased()) }

    var description: String { rawValue }

    static func < (lhs: CommandID, rhs: CommandID) -> Bool { lhs.rawValue < rhs.rawValue }
}
