import Foundation
import GRDB
import Shared

/// A row of `alert`: one pending or firing alert, with the timers detection needs after a restart.
struct AlertRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alert"

    enum Columns {
        static let key = Column(CodingKeys.key)
        static let incidentId = Column(CodingKeys.incidentId)
    }

    /// `AlertKey.description`: what `removeAlert` deletes by.
    var key: String
    var rule: String
    var subject: String
    /// A JSON object of the key's `groupBy` label values.
    var groupLabels: String
    var kind: String
    /// `Severity.rawValue`, 1 (SEV-1) to 4.
    var severity: Int
    var service: String
    /// `Alert.State.rawValue`.
    var state: String
    var activeSince: Date
    var firedAt: Date?
    var clearingSince: Date?
    var value: Double?
    /// `Rule.Comparison.rawValue`: `>`, `>=`, `<` or `<=`.
    var comparison: String
    var threshold: Double
    var summary: String
    /// A JSON array of node ids.
    var nodes: String
    var incidentId: Int64?

    init(_ alert: Alert) throws(StorageError) {
        key = alert.key.description
        rule = alert.key.rule.rawValue
        subject = alert.key.subject
        groupLabels = try StoredJSON.encode(alert.key.group, table: Self.databaseTableName, column: "groupLabels")
        kind = alert.kind.rawValue
        severity = alert.severity.rawValue
        service = alert.service
        state = alert.state.rawValue
        activeSince = alert.activeSince
        firedAt = alert.firedAt
        clearingSince = alert.clearingSince
        value = alert.value
        comparison = alert.comparison.rawValue
        threshold = alert.threshold
        summary = alert.summary
        nodes = try StoredJSON.encode(alert.nodes, table: Self.databaseTableName, column: "nodes")
        incidentId = alert.incidentID?.rawValue
    }

    func makeAlert() throws(StorageError) -> Alert {
        guard let alertSeverity = Severity(rawValue: severity) else {
            throw .invalidRow(table: Self.databaseTableName, id: key, reason: "unknown severity \(severity)")
        }
        guard let alertState = Alert.State(rawValue: state) else {
            throw .invalidRow(table: Self.databaseTableName, id: key, reason: "unknown state \(state)")
        }
        guard let alertComparison = Rule.Comparison(rawValue: comparison) else {
            throw .invalidRow(table: Self.databaseTableName, id: key, reason: "unknown comparison \(comparison)")
        }
        let group = try StoredJSON.decode(
            [String: String].self,
            from: groupLabels,
            table: Self.databaseTableName,
            id: key,
            column: "groupLabels"
        )
        return Alert(
            key: AlertKey(rule: RuleName(rule), subject: subject, group: group),
            kind: IncidentKind(kind),
            severity: alertSeverity,
            service: service,
            state: alertState,
            activeSince: activeSince,
            firedAt: firedAt,
            clearingSince: clearingSince,
            value: value,
            comparison: alertComparison,
            threshold: threshold,
            summary: summary,
            nodes: try StoredJSON.decode(
                [NodeID].self,
                from: nodes,
                table: Self.databaseTableName,
                id: key,
                column: "nodes"
            ),
            incidentID: incidentId.map(IncidentID.init(rawValue:))
        )
    }
}

// MARK: - Requests

extension DerivableRequest<AlertRecord> {
    func alerts(of id: IncidentID) -> Self {
        filter(AlertRecord.Columns.incidentId == id.rawValue)
    }
}
