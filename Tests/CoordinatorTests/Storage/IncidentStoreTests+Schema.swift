import Foundation
import GRDB
import Testing

@testable import Coordinator

/// What the schema refuses, and what the store does with rows it cannot read back.
extension IncidentStoreTests {
    static let refusedStatements = [
        "UPDATE incident SET status = 'DONE'",
        "UPDATE incident SET status = 'resolved'",
        "UPDATE incident SET severity = 5",
        "UPDATE incident SET peakSeverity = 0",
        "UPDATE incident SET severity = 2.5",
        "UPDATE incident SET title = NULL",
        "UPDATE incident SET affectedNodes = 'web-1'",
        "INSERT INTO incidentEvent (incidentId, time, kind, actor, message) VALUES (1, '2026-01-01', 'boom', '', '')",
        "INSERT INTO incidentEvent (incidentId, time, kind, actor, message) VALUES (9, '2026-01-01', 'note', '', '')",
        "INSERT INTO incidentSnapshot (incidentId, moment, takenAt) VALUES (1, 'middle', '2026-01-01')",
        "INSERT INTO incidentSnapshot (incidentId, moment, takenAt) VALUES (1, 'open', '2026-01-01')",
        "UPDATE alert SET state = 'resolved'",
        "UPDATE alert SET severity = 0",
        "UPDATE alert SET incidentId = 9",
    ]

    @Test(arguments: refusedStatements)
    func schemaRefuses(_ sql: String) async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        try await store.apply([
            .saveIncident(Self.makeIncident(1)), .saveSnapshot(try Self.makeSnapshot(1, .open, at: 0)),
            .saveAlert(Self.makeAlert(incident: 1)),
        ])
        let error = await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: sql) }
        }
        #expect(error?.resultCode.primaryResultCode == .SQLITE_CONSTRAINT)
    }

    @Test func deletingAnIncidentTakesItsTimelineAndSnapshotsAndUnlinksItsAlerts() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        let alert = Self.makeAlert(incident: 1)
        try await store.apply([
            .saveIncident(Self.makeIncident(1)), .appendEvent(Self.makeEvent(1)),
            .saveSnapshot(try Self.makeSnapshot(1, .open, at: 0)), .saveAlert(alert),
        ])
        try await store.writer.write { db in try db.execute(sql: "DELETE FROM incident WHERE id = 1") }

        #expect(try await store.timeline(of: IncidentID(1)).isEmpty)
        #expect(try await store.snapshots(of: IncidentID(1)).isEmpty)
        var unlinked = alert
        unlinked.incidentID = nil
        #expect(try await store.loadRecovery(resolvedSince: Self.epoch).alerts == [unlinked])
    }

    @Test func rowsThatAreNoLongerValidValuesAreReportedNotTrusted() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        try await store.apply([
            .saveIncident(Self.makeIncident(1)), .saveSnapshot(try Self.makeSnapshot(1, .open, at: 0)),
            .saveAlert(Self.makeAlert(incident: 1)),
        ])
        try await store.writer.write { db in
            // Valid JSON, so the CHECKs let it in, but not what the columns hold.
            try db.execute(sql: #"UPDATE incident SET affectedNodes = '["not a node id"]'"#)
            try db.execute(sql: "UPDATE incidentSnapshot SET readings = '{}'")
            try db.execute(sql: "UPDATE alert SET groupLabels = '[1, 2]'")
        }

        let incidentError = await #expect(throws: StorageError.self) { try await store.incident(IncidentID(1)) }
        let snapshotError = await #expect(throws: StorageError.self) { try await store.snapshots(of: IncidentID(1)) }
        let alertError = await #expect(throws: StorageError.self) { try await store.alerts(of: IncidentID(1)) }
        await #expect(throws: StorageError.self) { try await store.loadRecovery(resolvedSince: Self.epoch) }

        #expect(incidentError?.description.hasPrefix("invalid incident row 1: affectedNodes: at 0:") == true)
        #expect(snapshotError?.description.hasPrefix("invalid incidentSnapshot row 1/open: readings:") == true)
        #expect(
            alertError?.description.hasPrefix("invalid alert row error_ratio_critical@checkout: groupLabels:") == true
        )
        for error in [incidentError, snapshotError, alertError] {
            #expect(error?.description.contains("\n") == false)
        }
    }
}
