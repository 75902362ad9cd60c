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
        /// An escalation step paged someone, or found nobody on shift or no way to reach them.
        case paged
        /// The climb stopped (acknowledged), was re-planned (severity changed), or was held by a silence.
        case escalation
        /// A notification could not be delivered, after its retries.
        case notification
        /// A status update was posted (`vigil update`).
        case statusUpdate = "status_update"
        /// A postmortem draft was created.
        case postmortem
        /// A silence bound to the incident ended or expired.
        case silence
    }

    var incidentID: IncidentID
    var time: Date
    var kind: Kind
    /// Who did it: `vigil` for detection, or the person's name.
    var actor: String
    var message: String
}
