/// A channel as escalation sees it: its name, and whether it can reach a given person.
struct PagingChannel: Hashable, Sendable, Codable {
    enum Reach: String, Hashable, Sendable, Codable {
        /// A team endpoint (pager service, chat room, webhook) that names the person in the message.
        case team
        /// E-mail to the person's own address, which they may not have.
        case personalAddress = "personal_address"
        /// E-mail to fixed addresses, whoever is paged.
        case fixedAddress = "fixed_address"
    }

    var name: String
    var reach: Reach

    func reaches(_ person: OnCallPerson) -> Bool {
        switch reach {
        case .team, .fixedAddress: true
        case .personalAddress: person.email != nil
        }
    }
}

extension PagingChannel {
    /// How escalation sees a configured channel: e-mail reaches people by their own address unless it has a fixed
    /// `to` list; every other kind is a team endpoint that names the person.
    init(_ channel: NotificationChannel) {
        let reach: Reach
        switch channel.settings {
        case .email(let email): reach = email.to.isEmpty ? .personalAddress : .fixedAddress
        case .webhook, .slack, .pagerDuty: reach = .team
        }
        self.init(name: channel.name.rawValue, reach: reach)
    }
}
