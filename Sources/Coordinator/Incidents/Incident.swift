import Foundation
import Shared

/// One incident: firing alerts of one kind in one service, and what people and Vigil did about them.
struct Incident: Hashable, Sendable, Codable {
    var id: IncidentID
    var kind: IncidentKind
    var service: String
    /// The highest severity among its firing alerts; kept when the last alert clears.
    var severity: Severity
    /// The highest severity it ever had.
    var peakSeverity: Severity
    var status: IncidentStatus
    /// What is wrong, from the most severe alert's summary.
    var title: String
    var openedAt: Date
    /// When a person must be on it, by the playbook's response time for its severity.
    var responseDueAt: Date
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var commander: String?
    /// Nodes its alerts are about, sorted.
    var affectedNodes: [NodeID]
    /// Since when every alert has been clear; it resolves itself after the quiet window unless one fires again.
    var quietSince: Date?
    var resolvedAt: Date?
    /// Who resolved it; `vigil` when it resolved itself after the quiet window.
    var resolvedBy: String?
    var rootCause: String?
    /// How many times it was reopened after being resolved.
    var reopenCount: Int
    /// The worst factor by which any of its alerts crossed its threshold; its peak snapshot was taken then.
    var peakBadness: Double
    var updatedAt: Date

    /// Time to acknowledge, once acknowledged.
    var timeToAcknowledge: Duration? {
        acknowledgedAt.map { Duration(timeInterval: $0.timeIntervalSince(openedAt)) }
    }

    /// Time to resolve, once resolved.
    var timeToResolve: Duration? {
        resolvedAt.map { Duration(timeInterval: $0.timeIntervalSince(openedAt)) }
    }
}
