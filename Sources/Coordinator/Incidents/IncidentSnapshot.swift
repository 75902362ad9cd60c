import Foundation
import Shared

/// The signals of an incident's alerts at one moment: when it opened, and at its worst.
struct IncidentSnapshot: Hashable, Sendable, Codable {
    enum Moment: String, Hashable, Sendable, Codable, CaseIterable {
        case open
        case peak
    }

    /// One alert's reading.
    struct Reading: Hashable, Sendable, Codable {
        var alert: String
        var rule: RuleName
        var severity: Severity
        var value: Double?
        var comparison: String
        var threshold: Double
        var nodes: [NodeID]
    }

    var incidentID: IncidentID
    var moment: Moment
    var takenAt: Date
    var readings: [Reading]
}
