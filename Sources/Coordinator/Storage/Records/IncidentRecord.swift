import Foundation
import GRDB
import Shared

/// A row of `incident`.
struct IncidentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "incident"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let severity = Column(CodingKeys.severity)
        static let status = Column(CodingKeys.status)
        static let openedAt = Column(CodingKeys.openedAt)
        static let acknowledgedAt = Column(CodingKeys.acknowledgedAt)
        static let resolvedAt = Column(CodingKeys.resolvedAt)
    }

    var id: Int64
    var kind: String
    var service: String
    /// `Severity.rawValue`, 1 (SEV-1) to 4, so SQL can order and group by it.
    var severity: Int
    var peakSeverity: Int
    /// `IncidentStatus.rawValue`.
    var status: String
    var title: String
    var openedAt: Date
    var responseDueAt: Date
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var commander: String?
    /// A JSON array of node ids.
    var affectedNodes: String
    var quietSince: Date?
    var resolvedAt: Date?
    var resolvedBy: String?
    var rootCause: String?
    var reopenCount: Int64
    var peakBadness: Double
    var updatedAt: Date

    init(_ incident: Incident) throws(StorageError) {
        id = incident.id.rawValue
        kind = incident.kind.rawValue
        service = incident.service
        severity = incident.severity.rawValue
        peakSeverity = incident.peakSeverity.rawValue
        status = incident.status.rawValue
        title = incident.title
        openedAt = incident.openedAt
        responseDueAt = incident.responseDueAt
        acknowledgedAt = incident.acknowledgedAt
        acknowledgedBy = incident.acknowledgedBy
        commander = incident.commander
        affectedNodes = try StoredJSON.encode(
            incident.affectedNodes,
            table: Self.databaseTableName,
            column: "affectedNodes"
        )
        quietSince = incident.quietSince
        resolvedAt = incident.resolvedAt
        resolvedBy = incident.resolvedBy
        rootCause = incident.rootCause
        reopenCount = Int64(incident.reopenCount)
        peakBadness = incident.peakBadness
        updatedAt = incident.updatedAt
    }

    func makeIncident() throws(StorageError) -> Incident {
        Incident(
            id: IncidentID(id),
            kind: IncidentKind(kind),
            service: service,
            severity: try makeSeverity(severity, column: "severity"),
            peakSeverity: try makeSeverity(peakSeverity, column: "peakSeverity"),
            status: try makeStatus(),
            title: title,
            openedAt: openedAt,
            responseDueAt: responseDueAt,
            acknowledgedAt: acknowledgedAt,
            acknowledgedBy: acknowledgedBy,
            commander: commander,
            affectedNodes: try StoredJSON.decode(
                [NodeID].self,
                from: affectedNodes,
                table: Self.databaseTableName,
                id: String(id),
                column: "affectedNodes"
            ),
            quietSince: quietSince,
            resolvedAt: resolvedAt,
            resolvedBy: resolvedBy,
            rootCause: rootCause,
            reopenCount: Int(clamping: reopenCount),
            peakBadness: peakBadness,
            updatedAt: updatedAt
        )
    }

    private func makeSeverity(_ number: Int, column: String) throws(StorageError) -> Severity {
        guard let severity = Severity(rawValue: number) else {
            throw .invalidRow(table: Self.databaseTableName, id: String(id), reason: "unknown \(column) \(number)")
        }
        return severity
    }

    private func makeStatus() throws(StorageError) -> IncidentStatus {
        guard let status = IncidentStatus(rawValue: status) else {
            throw .invalidRow(table: Self.databaseTableName, id: String(id), reason: "unknown status \(status)")
        }
        return status
    }
}

// MARK: - Requests

extension DerivableRequest<IncidentRecord> {
    /// Incidents that are not resolved.
    func open() -> Self {
        filter(IncidentRecord.Columns.status != IncidentStatus.resolved.rawValue)
    }

    /// Incidents resolved at or after `date`.
    func resolved(since date: Date) -> Self {
        filter(
            IncidentRecord.Columns.status == IncidentStatus.resolved.rawValue
                && IncidentRecord.Columns.resolvedAt >= date
        )
    }

    /// Newest first; the id breaks ties between incidents opened in the same millisecond.
    func newestFirst() -> Self {
        order(IncidentRecord.Columns.openedAt.desc, IncidentRecord.Columns.id.desc)
    }
}
