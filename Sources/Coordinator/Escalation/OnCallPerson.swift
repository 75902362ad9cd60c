/// Someone who can be paged, and how to reach them.
struct OnCallPerson: Hashable, Sendable, Codable {
    /// How the rotations name them, such as `alice`.
    var name: String
    var email: String?
    /// Their chat handle (`@alice`) or chat user id (`U024BE7LH`), mentioned in chat messages.
    var chat: String?
    /// For people to call; Vigil itself does not dial.
    var phone: String?

    /// Someone named in a rotation without an entry under `people:`: reachable only by team-wide channels.
    static func unlisted(_ name: String) -> OnCallPerson { OnCallPerson(name: name) }
}
