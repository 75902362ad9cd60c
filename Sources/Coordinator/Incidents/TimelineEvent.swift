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
        /// A command was issued for the incident (by remediation or an operator).
        case commandIssued = "command_issued"
        /// A command's result arrived, or it expired.
        case commandFinished = "command_finished"
        /// Remediation started, verified or gave up on a runbook step, or was held (pause, silence, cap).
        case remediation
        /// A step waits for `vigil approve`, or was approved.
        case approval
        /// Remediation ran out of steps: people must take over.
        case escalated
    }

    var incidentID: IncidentID
    var time: Date
    var kind: Kind
    /// Who did it: `vigil` for detection, or the person's name.
    var actor: String
    var message: String
}
