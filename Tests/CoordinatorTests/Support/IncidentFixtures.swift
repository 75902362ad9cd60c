import Foundation
import Shared

@testable import Coordinator

/// Fixed incidents, alerts, snapshots and statistics for the incident API and CLI tests.
enum IncidentFixtures {
    static let opened = Date(timeIntervalSince1970: 1_750_000_000)

    static func incident(
        _ number: Int64,
        severity: Severity = .sev2,
        status: IncidentStatus = .investigating,
        openedAt: Date = opened,
        acknowledgedBy: String? = nil
    ) -> Incident {
        Incident(
            id: IncidentID(number),
            kind: IncidentKind("high_error_rate"),
            service: "checkout",
            severity: severity,
            peakSeverity: severity,
            status: status,
            title: "Error ratio 12% above 5% on checkout",
            openedAt: openedAt,
            responseDueAt: openedAt.addingTimeInterval(severity.responseTime.timeInterval),
            acknowledgedAt: acknowledgedBy.map { _ in openedAt.addingTimeInterval(252) },
            acknowledgedBy: acknowledgedBy,
            commander: nil,
            affectedNodes: [NodeID("web-1"), NodeID("web-2")].compactMap { $0 },
            quietSince: nil,
            resolvedAt: nil,
            resolvedBy: nil,
            rootCause: nil,
            reopenCount: 0,
            peakBadness: 2.4,
            updatedAt: openedAt
        )
    }

    /// Three incidents, newest first: #3 SEV-1 investigating, #2 SEV-2 monitoring and acknowledged, #1 SEV-3
    /// resolved.
    static let incidents: [Incident] = [
        incident(3, severity: .sev1, openedAt: opened.addingTimeInterval(7_200)),
        incident(2, status: .monitoring, openedAt: opened.addingTimeInterval(3_600), acknowledgedBy: "alice"),
        resolved(incident(1, severity: .sev3, acknowledgedBy: "bob")),
    ]

    static func resolved(_ incident: Incident) -> Incident {
        var incident = incident
        incident.status = .resolved
        incident.resolvedAt = incident.openedAt.addingTimeInterval(3_725)
        incident.resolvedBy = "bob"
        incident.rootCause = "a bad deploy"
        return incident
    }

    static func detail(of incident: Incident) -> IncidentDetail {
        let key = AlertKey(rule: RuleName("error_ratio_critical"), subject: "checkout", group: ["route": "/pay"])
        let alert = Alert(
            key: key,
            kind: incident.kind,
            severity: incident.severity,
            service: incident.service,
            state: .firing,
            activeSince: incident.openedAt.addingTimeInterval(-120),
            firedAt: incident.openedAt,
            clearingSince: nil,
            value: 0.1234,
            comparison: .above,
            threshold: 0.05,
            summary: incident.title,
            nodes: incident.affectedNodes,
            incidentID: incident.id
        )
        let reading = IncidentSnapshot.Reading(
            alert: key.description,
            rule: key.rule,
            severity: incident.severity,
            value: 0.1234,
            comparison: ">",
            threshold: 0.05,
            nodes: incident.affectedNodes
        )
        var peak = reading
        peak.value = 0.31
        return IncidentDetail(
            incident: incident,
            alerts: [alert],
            snapshots: [
                IncidentSnapshot(
                    incidentID: incident.id,
                    moment: .open,
                    takenAt: incident.openedAt,
                    readings: [reading]
                ),
                IncidentSnapshot(
                    incidentID: incident.id,
                    moment: .peak,
                    takenAt: incident.openedAt.addingTimeInterval(600),
                    readings: [peak]
                ),
            ],
            timeline: [
                TimelineEvent(
                    incidentID: incident.id,
                    time: incident.openedAt,
                    kind: .opened,
                    actor: "vigil",
                    message: "opened at \(incident.severity): \(incident.title)"
                ),
                TimelineEvent(
                    incidentID: incident.id,
                    time: incident.openedAt.addingTimeInterval(252),
                    kind: .note,
                    actor: "alice",
                    message: "rolling back\nthe 14:00 deploy"
                ),
            ]
        )
    }

    static let statistics: [SeverityStatistics] = [
        SeverityStatistics(
            severity: .sev2,
            incidents: 4,
            acknowledged: 3,
            resolved: 2,
            meanTimeToAcknowledgeSeconds: 252,
            meanTimeToResolveSeconds: 3_725
        ),
        SeverityStatistics(
            severity: .sev1,
            incidents: 1,
            acknowledged: 0,
            resolved: 0,
            meanTimeToAcknowledgeSeconds: nil,
            meanTimeToResolveSeconds: nil
        ),
    ]
}
