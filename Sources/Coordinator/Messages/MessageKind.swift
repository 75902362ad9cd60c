/// The playbook's communication templates, plus the short page sent to one person by an escalation step.
enum MessageKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The war room's first message: the playbook's "Initial Incident Notification".
    case initial
    case statusUpdate = "status-update"
    case resolution
    /// The customers' first notice; the playbook sends it for SEV-1 and SEV-2 only.
    case customerInitial = "customer-initial"
    case customerResolution = "customer-resolution"
    /// What an escalation step sends to the person it pages: who, why, by when, and how to acknowledge.
    case page

    var description: String { rawValue }

    /// Whether the incident must be resolved before the message can be sent.
    var needsResolvedIncident: Bool {
        self == .resolution || self == .customerResolution
    }
}
