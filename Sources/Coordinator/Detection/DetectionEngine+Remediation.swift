import Foundation
import Logging
import Shared

/// What remediation reads and writes of incidents: the nodes their firing alerts are about, timeline lines,
/// and MONITORING once a fix verified.
extension DetectionEngine: RemediationContext {
    func situations() async -> [IncidentSituation] {
        let view = await fleetView()
        let sizes = Dictionary(grouping: view.nodes.values, by: \.service).mapValues(\.count)
        return book.open.values.map { incident in
            var sick: [NodeID: [String: String]] = [:]
            for alert in (book.firing[incident.id] ?? [:]).values.sorted(by: { $0.key < $1.key }) {
                var values = alert.key.group
                values["service"] = incident.service
                // `collector="redis:cache"` names the instance `cache` for the Redis steps.
                if let collector = values["collector"], let colon = collector.firstIndex(of: ":"),
                    values["instance"] == nil
                {
                    values["instance"] = String(collector[collector.index(after: colon)...])
                }
                for node in alert.nodes where sick[node] == nil {
                    var forNode = values
                    forNode["node"] = node.rawValue
                    sick[node] = forNode
                }
            }
            return IncidentSituation(
                incident: incident,
                sickNodes: sick,
                serviceSize: sizes[incident.service] ?? sick.count
            )
        }
    }

    func record(_ id: IncidentID, kind: TimelineEvent.Kind, message: String) async {
        journal.append([
            .appendEvent(
                TimelineEvent(
                    incidentID: id,
                    time: Date(),
                    kind: kind,
                    actor: RemediationEngine.issuer,
                    message: message
                )
            )
        ])
    }

    func fixVerified(_ id: IncidentID, message: String) async {
        let now = Date()
        var changes: [IncidentChange] = [
            .appendEvent(
                TimelineEvent(
                    incidentID: id,
                    time: now,
                    kind: .remediation,
                    actor: RemediationEngine.issuer,
                    message: message
                )
            )
        ]
        if let incident = book.open[id], incident.status != .monitoring {
            do {
                let (_, moved) = try book.setStatus(
                    incident,
                    to: .monitoring,
                    by: RemediationEngine.issuer,
                    note: "fix verified",
                    now: now
                )
                changes += moved
            } catch {
                // Only a resolved incident refuses, and an open one cannot be: logged, the line still written.
                logger.debug(
                    "fix verified on an incident that cannot be monitored",
                    metadata: [MetadataKeys.error: "\(error)"]
                )
            }
        }
        journal.append(changes)
    }
}
