/// The person an escalation step pages, and the step's role, for the `page` message.
struct PageRecipient: Hashable, Sendable {
    var person: String
    var target: EscalationPolicy.Target
}
