import Foundation
import Shared

/// Prints incidents one per line, as `vigil incidents` shows them, or as the API's JSON.
struct IncidentListView {
    let incidents: [Incident]

    func write(as format: OutputFormat, to output: inout some TextOutputStream, now: Date = Date()) throws {
        switch format {
        case .json:
            try PrettyJSON.write(IncidentRoutes.IncidentList(incidents: incidents), to: &output)
        case .table:
            guard !incidents.isEmpty else {
                output.write("no incidents\n")
                return
            }
            let header = ["ID", "SEV", "STATUS", "KIND", "SERVICE", "OPENED", "ACK", "TITLE"]
            output.write(TextTable(rows: [header] + incidents.map { Self.row(for: $0, now: now) }).rendered)
        }
    }

    static func row(for incident: Incident, now: Date) -> [String] {
        [
            "#\(incident.id)",
            incident.severity.description,
            incident.status.rawValue,
            incident.kind.rawValue,
            incident.service,
            DisplayText.age(since: incident.openedAt, now: now),
            acknowledgement(of: incident, now: now),
            incident.title,
        ]
    }

    /// Who acknowledged it; `OVERDUE` while it is open, unacknowledged and past its response time, since that
    /// is the one thing on the list someone must act on now.
    static func acknowledgement(of incident: Incident, now: Date) -> String {
        if let person = incident.acknowledgedBy { return person }
        if incident.acknowledgedAt != nil { return "yes" }
        return isOverdue(incident, now: now) ? "OVERDUE" : "-"
    }

    static func isOverdue(_ incident: Incident, now: Date) -> Bool {
        incident.status.isOpen && incident.acknowledgedAt == nil && now > incident.responseDueAt
    }
}
