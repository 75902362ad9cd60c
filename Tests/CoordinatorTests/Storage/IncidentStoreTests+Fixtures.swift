import Foundation
import Shared
import Testing

@testable import Coordinator

/// Incidents, alerts, events and snapshots for the incident store tests.
///
/// Times are whole eighths of a second after a fixed epoch: the store keeps dates to the millisecond, and these
/// are exact in binary, so a round trip compares equal.
extension IncidentStoreTests {
    static let epoch = Date(timeIntervalSince1970: 1_796_000_000)

    static func at(_ seconds: Double) -> Date { epoch.addingTimeInterval(seconds) }

    static func nodes(_ names: String...) throws -> [NodeID] {
        try names.map { name in try #require(NodeID(name)) }
    }

    /// An incident with every optional nil.
    static func makeIncident(
        _ id: Int64,
        status: IncidentStatus = .investigating,
        severity: Severity = .sev2,
        openedAt seconds: Double = 0,
        kind: String = "high_error_rate",
        service: String = "checkout"
    ) -> Incident {
        Incident(
            id: IncidentID(id),
            kind: IncidentKind(kind),
            service: service,
            severity: severity,
            peakSeverity: severity,
            status: status,
            title: "incident \(id)",
            openedAt: at(seconds),
            responseDueAt: at(seconds).addingTimeInterval(severity.responseTime.timeInterval),
            acknowledgedAt: nil,
            acknowledgedBy: nil,
            commander: nil,
            affectedNodes: [],
            quietSince: nil,
            resolvedAt: nil,
            resolvedBy: nil,
            rootCause: nil,
            reopenCount: 0,
            peakBadness: 1,
            updatedAt: at(seconds)
        )
    }

    /// An incident with every field set, in several scripts.
    static func makeFullIncident(_ id: Int64) throws -> Incident {
        Incident(
            id: IncidentID(id),
            kind: IncidentKind("latency_p99"),
            service: "paiement-zürich",
            severity: .sev3,
            peakSeverity: .sev1,
            status: .resolved,
            title: "Latenz über 2 s – 支付服务 🚨 \"quoted\"",
            openedAt: at(10.125),
            responseDueAt: at(310.125),
            acknowledgedAt: at(70.5),
            acknowledgedBy: "Zoë Ødegård",
            commander: "Jürgen",
            affectedNodes: try nodes("db-1", "web-1", "web-2"),
            quietSince: at(500.25),
            resolvedAt: at(800.75),
            resolvedBy: "vigil",
            rootCause: "Index fehlte; 索引\nsecond line",
            reopenCount: 2,
            peakBadness: 3.875,
            updatedAt: at(800.875)
        )
    }

    static func makeAlert(
        rule: String = "error_ratio_critical",
        subject: String = "checkout",
        group: [String: String] = [:],
        incident: Int64? = nil
    ) -> Alert {
        Alert(
            key: AlertKey(rule: RuleName(rule), subject: subject, group: group),
            kind: IncidentKind("high_error_rate"),
            severity: .sev4,
            service: subject,
            state: .pending,
            activeSince: at(5),
            firedAt: nil,
            clearingSince: nil,
            value: nil,
            comparison: .above,
            threshold: 0.05,
            summary: "error ratio above 5 %",
            nodes: [],
            incidentID: incident.map { IncidentID($0) }
        )
    }

    /// A firing, clearing alert with every field set.
    static func makeFullAlert(incident: Int64) throws -> Alert {
        Alert(
            key: AlertKey(
                rule: RuleName("probe_down"),
                subject: "web-1",
                group: ["probe": "home", "région": "Zürich \"Süd\""]
            ),
            kind: IncidentKind("probe_failure"),
            severity: .sev1,
            service: "storefront",
            state: .firing,
            activeSince: at(1.125),
            firedAt: at(61.25),
            clearingSince: at(120.5),
            value: 0.375,
            comparison: .atLeast,
            threshold: 0.25,
            summary: "Sonde „home“ schlägt fehl – 探针失败",
            nodes: try nodes("web-1", "web-2"),
            incidentID: IncidentID(incident)
        )
    }

    static func makeEvent(
        _ incident: Int64,
        _ kind: TimelineEvent.Kind = .note,
        at seconds: Double = 0,
        message: String = "note"
    ) -> TimelineEvent {
        TimelineEvent(incidentID: IncidentID(incident), time: at(seconds), kind: kind, actor: "vigil", message: message)
    }

    static func makeSnapshot(
        _ incident: Int64,
        _ moment: IncidentSnapshot.Moment,
        at seconds: Double
    ) throws
        -> IncidentSnapshot
    {
        IncidentSnapshot(
            incidentID: IncidentID(incident),
            moment: moment,
            takenAt: at(seconds),
            readings: [
                IncidentSnapshot.Reading(
                    alert: "probe_down@web-1{probe=\"home\"}",
                    rule: RuleName("probe_down"),
                    severity: .sev1,
                    value: seconds,
                    comparison: ">",
                    threshold: 0.25,
                    nodes: try nodes("web-1")
                ),
                IncidentSnapshot.Reading(
                    alert: "Fehlerquote@Zürich",
                    rule: RuleName("error_ratio"),
                    severity: .sev3,
                    value: nil,
                    comparison: "≥",
                    threshold: .infinity,
                    nodes: []
                ),
            ]
        )
    }
}
