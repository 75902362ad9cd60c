import Foundation
import Shared

/// One step of an incident's climb as it happened: whom it was for and whether anyone could be reached.
struct EscalationPage: Hashable, Sendable, Codable {
    enum Outcome: String, Hashable, Sendable, Codable {
        /// Notifications to the person were queued on at least one channel.
        case paged
        /// Nobody held the position: the step is recorded and the climb goes on.
        case nobodyOnShift = "nobody_on_shift"
        /// Someone held it, but no channel routed for the severity can reach them.
        case unreachable
    }

    var incidentID: IncidentID
    /// Which climb: 1, then one more each time the incident reopened unacknowledged.
    var round: Int
    var target: EscalationPolicy.Target
    var role: String
    var person: String?
    var severity: Severity
    var dueAt: Date
    var pagedAt: Date
    var outcome: Outcome
    var channels: [String]
}
