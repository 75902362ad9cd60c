/// The person a notification pages, as the on-call configuration knows them.
struct Recipient: Hashable, Sendable, Codable {
    var name: String
    /// Where an e-mail channel without a fixed `to` list sends.
    var email: String?
    /// How chat mentions them: a Slack user id (`U024BE7LH`) or a handle (`@alice`, `alice`).
    var chatHandle: String?

    init(name: String, email: String? = nil, chatHandle: String? = nil) {
        self.name = name
        self.email = email
        self.chatHandle = chatHandle
    }
}
