import Foundation

/// One line of an incident's timeline: every change to it, by Vigil or by a person.
struct TimelineEvent: Hashable, Sendable, Codable {
    enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case opened
        case alertFiring = "alert_firing"
        case alertResolved = "alert_resolved"
        case severityRaised = "severity_raised"
        case severityLowered = "severity_lowered"
        case statusChanged = "status_changed"
        case acknowledged
        case commanderAssigned = "commander_assigned"
        case note
        case reopened
        case nodesChanged = "nodes_changed"
        case responseOverdue = "response_overdue"
    }

    var incidentID: IncidentID
    var time: Date
    var kind: Kind
    /// Who did it: `vigil` for detection, or the person's name.
    var actor: String
    var message: String
}
