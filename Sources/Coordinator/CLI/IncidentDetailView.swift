import Foundation
import Shared

/// Prints one incident the way `vigil incident show` does: what it is and who is on it, the alerts behind it,
/// the readings when it opened and at its worst, then every change in order. Or the API's JSON.
struct IncidentDetailView {
    let detail: IncidentDetail

    func write(as format: OutputFormat, to output: inout some TextOutputStream, now: Date = Date()) throws {
        switch format {
        case .json:
            try PrettyJSON.write(detail, to: &output)
        case .table:
            output.write(TextTable(rows: summaryRows(now: now)).rendered)
            output.write("\nALERTS\n" + alertsText)
            output.write("\nSNAPSHOTS\n" + snapshotsText)
            output.write("\nTIMELINE\n" + timelineText)
        }
    }

    // MARK: - Sections

    private func summaryRows(now: Date) -> [[String]] {
        let incident = detail.incident
        var severity = incident.severity.description
        if incident.peakSeverity != incident.severity { severity += " (peak \(incident.peakSeverity))" }
        var rows = [
            ["incident:", "#\(incident.id)  \(incident.title)"],
            ["severity:", severity],
            ["status:", incident.status.rawValue],
            ["kind:", incident.kind.rawValue],
            ["service:", incident.service],
            ["opened:", Self.when(incident.openedAt, now: now)],
            ["response due:", responseDue(now: now)],
            ["acknowledged:", acknowledged],
            ["commander:", incident.commander ?? "-"],
            [
                "nodes:",
                incident.affectedNodes.isEmpty ? "-" : incident.affectedNodes.map(\.rawValue).joined(separator: ", "),
            ],
        ]
        if incident.reopenCount > 0 { rows.append(["reopened:", "\(incident.reopenCount) time(s)"]) }
        if let quietSince = incident.quietSince, incident.status.isOpen {
            rows.append(["quiet since:", Self.when(quietSince, now: now)])
        }
        if let resolvedAt = incident.resolvedAt {
            rows.append(["resolved:", Self.when(resolvedAt, now: now) + " by \(incident.resolvedBy ?? "-")"])
        }
        if let rootCause = incident.rootCause { rows.append(["root cause:", rootCause]) }
        if let mtta = incident.timeToAcknowledge { rows.append(["MTTA:", DisplayText.duration(mtta)]) }
        if let mttr = incident.timeToResolve { rows.append(["MTTR:", DisplayText.duration(mttr)]) }
        if let postmortem = detail.postmortem {
            let overdue = postmortem.status == .draft && postmortem.dueAt < now ? ", OVERDUE" : ""
            rows.append([
                "postmortem:",
                "\(postmortem.status.rawValue), due \(DisplayText.timestamp(postmortem.dueAt))\(overdue) "
                    + "(vigil postmortem \(incident.id))",
            ])
        }
        return rows
    }

    private func responseDue(now: Date) -> String {
        let incident = detail.incident
        let due = DisplayText.timestamp(incident.responseDueAt)
        if IncidentListView.isOverdue(incident, now: now) {
            return due + " (OVERDUE by \(DisplayText.duration(seconds: now.timeIntervalSince(incident.responseDueAt))))"
        }
        if incident.status.isOpen && incident.acknowledgedAt == nil {
            return due + " (\(DisplayText.relative(incident.responseDueAt, now: now)))"
        }
        return due
    }

    private var acknowledged: String {
        let incident = detail.incident
        guard let at = incident.acknowledgedAt else { return "no" }
        return "\(incident.acknowledgedBy ?? "yes") at \(DisplayText.timestamp(at))"
    }

    private var alertsText: String {
        guard !detail.alerts.isEmpty else { return "none\n" }
        var rows = [["KEY", "STATE", "SEV", "VALUE", "THRESHOLD", "SINCE", "NODES"]]
        for alert in detail.alerts.sorted(by: { $0.key < $1.key }) {
            rows.append([
                alert.key.description,
                alert.clearingSince == nil ? alert.state.rawValue : "\(alert.state.rawValue) (clearing)",
                alert.severity.description,
                alert.value.map(DisplayText.number) ?? "no data",
                DisplayText.number(alert.threshold),
                DisplayText.timestamp(alert.firedAt ?? alert.activeSince),
                Self.nodes(alert.nodes),
            ])
        }
        return TextTable(rows: rows).rendered
    }

    private var snapshotsText: String {
        guard !detail.snapshots.isEmpty else { return "none\n" }
        var rows = [["MOMENT", "TAKEN", "ALERT", "SEV", "READING", "NODES"]]
        for snapshot in detail.snapshots {
            for reading in snapshot.readings {
                let value = reading.value.map(DisplayText.number) ?? "no data"
                rows.append([
                    snapshot.moment.rawValue,
                    DisplayText.timestamp(snapshot.takenAt),
                    reading.alert,
                    reading.severity.description,
                    "\(value) \(reading.comparison) \(DisplayText.number(reading.threshold))",
                    Self.nodes(reading.nodes),
                ])
            }
            if snapshot.readings.isEmpty {
                rows.append([snapshot.moment.rawValue, DisplayText.timestamp(snapshot.takenAt), "-", "-", "-", "-"])
            }
        }
        return TextTable(rows: rows).rendered
    }

    private var timelineText: String {
        guard !detail.timeline.isEmpty else { return "none\n" }
        var rows = [["TIME", "ACTOR", "KIND", "MESSAGE"]]
        for event in detail.timeline {
            rows.append([DisplayText.timestamp(event.time), event.actor, event.kind.rawValue, event.message])
        }
        return TextTable(rows: rows).rendered
    }

    // MARK: - Formatting

    private static func when(_ date: Date, now: Date) -> String {
        "\(DisplayText.timestamp(date)) (\(DisplayText.age(since: date, now: now)))"
    }

    private static func nodes(_ nodes: [NodeID]) -> String {
        nodes.isEmpty ? "-" : nodes.map(\.rawValue).joined(separator: ",")
    }
}
