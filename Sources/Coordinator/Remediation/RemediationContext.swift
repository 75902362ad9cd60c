import Foundation
import Shared

/// What remediation needs from detection: the open incidents with the nodes their alerts are about, and a way
/// to write on their timelines and move them to MONITORING.
protocol RemediationContext: Sendable {
    func situations() async -> [IncidentSituation]
    func record(_ id: IncidentID, kind: TimelineEvent.Kind, message: String) async
    /// Every node's fix verified: the incident is watched (MONITORING) rather than worked.
    func fixVerified(_ id: IncidentID, message: String) async
}

/// One open incident as remediation sees it.
struct IncidentSituation: Hashable, Sendable {
    var incident: Incident
    /// The nodes its firing alerts are about now, with the values to fill a step's parameters for each.
    var sickNodes: [NodeID: [String: String]]
    /// How many nodes the incident's service has, for a blast radius given as a share.
    var serviceSize: Int
}
