import Foundation

/// The postmortem an incident owes: created as a draft when a SEV-1 or SEV-2 resolves, due 48 hours later.
struct PostmortemDraft: Hashable, Sendable, Codable {
    enum Status: String, Hashable, Sendable, Codable {
        case draft
        case final
    }

    /// The playbook's "Postmortem (Within 48 hours)".
    static let dueAfter: TimeInterval = 48 * 3600

    var incidentID: IncidentID
    var status: Status
    var createdAt: Date
    var dueAt: Date
}
