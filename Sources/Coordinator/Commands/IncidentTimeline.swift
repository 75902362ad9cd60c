import Foundation

/// How commands reach an incident's timeline: detection owns incidents and their journal.
protocol IncidentTimeline: Sendable {
    /// Whether the incident exists (open or resolved); once this answers true the incident row is on disk, so a
    /// command may refer to it.
    func incidentExists(_ id: IncidentID) async throws -> Bool

    /// Appends one line to the incident's timeline, after everything already appended for it.
    func record(_ id: IncidentID, kind: TimelineEvent.Kind, actor: String, message: String) async
}
