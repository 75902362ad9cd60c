import Foundation
import GRDB
import Shared

extension CoordinatorDatabase: IncidentStore {
    func loadRecovery(resolvedSince: Date) async throws -> DetectionRecovery {
        // One read: the open incidents, their alerts and the next id come from the same committed state.
        try await reading("recovery") { db in
            let open = try IncidentRecord.all().open().order(IncidentRecord.Columns.id).fetchAll(db)
            let resolved = try IncidentRecord.all().resolved(since: resolvedSince).order(IncidentRecord.Columns.id)
                .fetchAll(db)
            let alerts = try AlertRecord.fetchAll(db)
            let highestID = try IncidentRecord.select(max(IncidentRecord.Columns.id), as: Int64.self).fetchOne(db)
            let (nextID, overflow) = (highestID ?? 0).addingReportingOverflow(1)
            guard !overflow else {
                throw StorageError.invalidRow(
                    table: IncidentRecord.databaseTableName,
                    id: String(Int64.max),
                    reason: "no incident id is left after it"
                )
            }
            return DetectionRecovery(
                openIncidents: try open.map { try $0.makeIncident() },
                alerts: try alerts.map { try $0.makeAlert() }.sorted { $0.key < $1.key },
                recentlyResolved: try resolved.map { try $0.makeIncident() },
                nextIncidentID: IncidentID(nextID)
            )
        }
    }

    func apply(_ changes: [IncidentChange]) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await writer.write { db in
                for (offset, change) in changes.enumerated() {
                    do {
                        try Self.perform(change, in: db)
                    } catch {
                        let position = "change \(offset + 1) of \(changes.count), \(Self.describe(change))"
                        throw StorageError.writeFailed(reason: "\(position): \(Self.reason(for: error))")
                    }
                }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            // The commit itself failed, such as on a full disk; the transaction was rolled back.
            throw StorageError.writeFailed(reason: Self.reason(for: error))
        }
    }

    func incidents(matching query: IncidentQuery) async throws -> [Incident] {
        // SQLite reads a negative LIMIT as no limit at all.
        guard query.limit > 0 else { return [] }
        var request = IncidentRecord.all()
        if !query.statuses.isEmpty {
            request = request.filter(query.statuses.map(\.rawValue).contains(IncidentRecord.Columns.status))
        }
        if !query.severities.isEmpty {
            request = request.filter(query.severities.map(\.rawValue).contains(IncidentRecord.Columns.severity))
        }
        if let openedSince = query.openedSince {
            request = request.filter(IncidentRecord.Columns.openedAt >= openedSince)
        }
        let newest = request.newestFirst().limit(query.limit)
        return try await reading("incidents") { db in
            try newest.fetchAll(db).map { try $0.makeIncident() }
        }
    }

    func incident(_ id: IncidentID) async throws -> Incident? {
        try await reading("incident \(id)") { db in
            try IncidentRecord.fetchOne(db, key: id.rawValue)?.makeIncident()
        }
    }

    func timeline(of id: IncidentID) async throws -> [TimelineEvent] {
        try await reading("timeline of incident \(id)") { db in
            try IncidentEventRecord.all().timeline(of: id).fetchAll(db).map { try $0.makeTimelineEvent() }
        }
    }

    func snapshots(of id: IncidentID) async throws -> [IncidentSnapshot] {
        let order = IncidentSnapshot.Moment.allCases
        return try await reading("snapshots of incident \(id)") { db in
            try IncidentSnapshotRecord.all().snapshots(of: id).fetchAll(db)
                .map { try $0.makeSnapshot() }
                .sorted { (order.firstIndex(of: $0.moment) ?? 0) < (order.firstIndex(of: $1.moment) ?? 0) }
        }
    }

    func alerts(of id: IncidentID) async throws -> [Alert] {
        // Sorted in Swift so the order is `AlertKey`'s own, whatever SQLite's collation would say.
        try await reading("alerts of incident \(id)") { db in
            try AlertRecord.all().alerts(of: id).fetchAll(db).map { try $0.makeAlert() }.sorted { $0.key < $1.key }
        }
    }

    func statistics(since: Date?) async throws -> [SeverityStatistics] {
        try await reading("statistics") { db in
            try Row.fetchAll(db, Self.statisticsRequest(since: since)).map(Self.makeStatistics)
        }
    }

    // MARK: - Writing

    private static func perform(_ change: IncidentChange, in db: Database) throws {
        switch change {
        case .saveIncident(let incident):
            // An upsert updates the row in place; INSERT OR REPLACE would delete it first and cascade to its
            // timeline and snapshots.
            try IncidentRecord(incident).upsert(db)
        case .appendEvent(let event):
            try IncidentEventRecord(event).insert(db)
        case .saveSnapshot(let snapshot):
            // Conflicts on UNIQUE (incidentId, moment): the incident's snapshot of that moment is replaced.
            try IncidentSnapshotRecord(snapshot).upsert(db)
        case .saveAlert(let alert):
            try AlertRecord(alert).upsert(db)
        case .removeAlert(let key):
            try AlertRecord.deleteOne(db, key: key.description)
        }
    }

    private static func describe(_ change: IncidentChange) -> String {
        switch change {
        case .saveIncident(let incident): "saveIncident #\(incident.id)"
        case .appendEvent(let event): "appendEvent \(event.kind.rawValue) to incident #\(event.incidentID)"
        case .saveSnapshot(let snapshot):
            "saveSnapshot \(snapshot.moment.rawValue) of incident #\(snapshot.incidentID)"
        case .saveAlert(let alert): "saveAlert \(alert.key)"
        case .removeAlert(let key): "removeAlert \(key)"
        }
    }

    // MARK: - Reading


    /// Per severity present: counts, and mean times in milliseconds.
    ///
    /// Dates are stored to the millisecond; julianday differences are rounded back to whole milliseconds, which
    /// removes the floating-point noise of subtracting two day numbers near 2.46 million.
    private static func statisticsRequest(since: Date?) -> SQLRequest<Row> {
        let filter: SQL = since.map { "WHERE openedAt >= \($0)" } ?? ""
        return """
            SELECT
                severity,
                COUNT(*) AS incidents,
                COUNT(acknowledgedAt) AS acknowledged,
                COUNT(CASE WHEN status = 'RESOLVED' THEN resolvedAt END) AS resolved,
                AVG(ROUND((julianday(acknowledgedAt) - julianday(openedAt)) * 86400000)) AS acknowledgeMilliseconds,
                AVG(
                    CASE WHEN status = 'RESOLVED'
                    THEN ROUND((julianday(resolvedAt) - julianday(openedAt)) * 86400000) END
                ) AS resolveMilliseconds
            FROM incident
            \(filter)
            GROUP BY severity
            ORDER BY severity
            """
    }

    private static func makeStatistics(_ row: Row) throws -> SeverityStatistics {
        let number = try row.decode(Int.self, forColumn: "severity")
        guard let severity = Severity(rawValue: number) else {
            throw StorageError.invalidRow(
                table: IncidentRecord.databaseTableName,
                id: "severity \(number)",
                reason: "unknown severity"
            )
        }
        return SeverityStatistics(
            severity: severity,
            incidents: try row.decode(Int.self, forColumn: "incidents"),
            acknowledged: try row.decode(Int.self, forColumn: "acknowledged"),
            resolved: try row.decode(Int.self, forColumn: "resolved"),
            meanTimeToAcknowledgeSeconds: try row.decode(Double?.self, forColumn: "acknowledgeMilliseconds")
                .map { $0 / 1000 },
            meanTimeToResolveSeconds: try row.decode(Double?.self, forColumn: "resolveMilliseconds").map { $0 / 1000 }
        )
    }

    // MARK: - Errors

}
