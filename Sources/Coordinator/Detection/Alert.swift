import Foundation
import Shared

/// A rule's condition holding (or having held) for one subject. Alerts whose condition does not hold and that
/// are not firing are not kept at all.
struct Alert: Hashable, Sendable, Codable {
    enum State: String, Hashable, Sendable, Codable {
        /// The condition holds, not yet for the rule's `for`.
        case pending
        /// The condition held for `for`; it stays firing until it has been clear for `clear_for`.
        case firing
    }

    var key: AlertKey
    var kind: IncidentKind
    var severity: Severity
    /// The service whose incident the alert belongs to: a node's `service` label, the service itself, or
    /// `fleet`.
    var service: String
    var state: State
    /// When the condition started holding.
    var activeSince: Date
    var firedAt: Date?
    /// While firing: when the condition stopped holding; nil while it holds.
    var clearingSince: Date?
    /// The signal's latest value; nil when there was none (no data counts as clear).
    var value: Double?
    var comparison: Rule.Comparison
    var threshold: Double
    var summary: String
    /// Nodes the alert is about: its node, or the service's nodes whose own value crosses the threshold.
    var nodes: [NodeID]
    /// The incident the alert belongs to once it fired.
    var incidentID: IncidentID?
}
