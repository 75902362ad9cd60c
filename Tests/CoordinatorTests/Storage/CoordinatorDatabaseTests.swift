import Foundation
import GRDB
import Shared
import Testing

@testable import Coordinator

@Suite struct CoordinatorDatabaseTests {
    private func node(_ id: String, seq: UInt64 = 0, state: StoredNode.ConnectionState = .connected) -> StoredNode {
        StoredNode(
            id: NodeID(id) ?? .localhost,
            hostname: "host-\(id)",
            agentVersion: "0.1.0",
            labels: ["service": "review-engine", "quote": "a\"b"],
            firstSeenAt: Date(timeIntervalSince1970: 1_796_000_000),
            lastSeenAt: Date(timeIntervalSince1970: 1_796_000_060.5),
            connectionState: state,
            peerAddress: "127.0.0.1:5000",
            lastReportSeq: seq,
            reportsReceived: seq,
            duplicateReports: 2
        )
    }

    @Test func migratesFromZeroToTheExpectedSchema() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        let tables = [
            "node", "incident", "incidentEvent", "incidentSnapshot", "alert", "command", "auditEntry", "silence",
            "escalation", "escalationPage", "notification", "notificationAttempt", "statusUpdate", "postmortem",
        ]
        let (migrations, columns, indexes, foreignKeys) = try await database.writer.read { db in
            (
                try Migrations.migrator.appliedMigrations(db),
                try tables.map { table in
                    try db.columns(in: table).map { "\($0.name) \($0.type) \($0.isNotNull ? "NOT NULL" : "NULL")" }
                },
                try tables.map { table in
                    try db.indexes(on: table).map { "\($0.name)(\($0.columns.joined(separator: ", ")))" }.sorted()
                },
                try tables.map { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM pragma_foreign_key_list(?)", arguments: [table]).map {
                        row -> String in
                        let from: String = try row.decode(forColumn: "from")
                        let target: String = try row.decode(forColumn: "table")
                        let to: String = try row.decode(forColumn: "to")
                        let onDelete: String = try row.decode(forColumn: "on_delete")
                        return "\(from) → \(target)(\(to)) ON DELETE \(onDelete)"
                    }
                }
            )
        }
        #expect(
            migrations == [
                "0001-create-node", "0002-create-incident", "0003-create-incident-event",
                "0004-create-incident-snapshot", "0005-create-alert", "0006-widen-incident-event-kinds",
                "0007-create-command", "0008-create-audit-entry", "0009-create-silence",
                "0010-widen-incident-event-kinds-for-people", "0011-create-escalation",
            ]
        )
        #expect(
            columns[0] == [
                "id TEXT NOT NULL", "hostname TEXT NOT NULL", "agentVersion TEXT NOT NULL", "labels TEXT NOT NULL",
                "firstSeenAt DATETIME NOT NULL", "lastSeenAt DATETIME NOT NULL", "connectionState TEXT NOT NULL",
                "peerAddress TEXT NOT NULL", "lastReportSeq INTEGER NOT NULL", "reportsReceived INTEGER NOT NULL",
                "duplicateReports INTEGER NOT NULL",
            ]
        )
        #expect(
            columns[1] == [
                "id INTEGER NOT NULL", "kind TEXT NOT NULL", "service TEXT NOT NULL", "severity INTEGER NOT NULL",
                "peakSeverity INTEGER NOT NULL", "status TEXT NOT NULL", "title TEXT NOT NULL",
                "openedAt DATETIME NOT NULL", "responseDueAt DATETIME NOT NULL", "acknowledgedAt DATETIME NULL",
                "acknowledgedBy TEXT NULL", "commander TEXT NULL", "affectedNodes TEXT NOT NULL",
                "quietSince DATETIME NULL", "resolvedAt DATETIME NULL", "resolvedBy TEXT NULL", "rootCause TEXT NULL",
                "reopenCount INTEGER NOT NULL", "peakBadness REAL NOT NULL", "updatedAt DATETIME NOT NULL",
            ]
        )
        #expect(
            columns[2] == [
                "id INTEGER NULL", "incidentId INTEGER NOT NULL", "time DATETIME NOT NULL", "kind TEXT NOT NULL",
                "actor TEXT NOT NULL", "message TEXT NOT NULL",
            ]
        )
        #expect(
            columns[3] == [
                "id INTEGER NULL", "incidentId INTEGER NOT NULL", "moment TEXT NOT NULL", "takenAt DATETIME NOT NULL",
                "readings TEXT NOT NULL",
            ]
        )
        #expect(
            columns[4] == [
                "key TEXT NOT NULL", "rule TEXT NOT NULL", "subject TEXT NOT NULL", "groupLabels TEXT NOT NULL",
                "kind TEXT NOT NULL", "severity INTEGER NOT NULL", "service TEXT NOT NULL", "state TEXT NOT NULL",
                "activeSince DATETIME NOT NULL", "firedAt DATETIME NULL", "clearingSince DATETIME NULL",
                "value REAL NULL", "comparison TEXT NOT NULL", "threshold REAL NOT NULL", "summary TEXT NOT NULL",
                "nodes TEXT NOT NULL",
                "incidentId INTEGER NULL",
            ]
        )
        #expect(
            columns[5] == [
                "id TEXT NOT NULL", "incidentId INTEGER NULL", "node TEXT NOT NULL", "action TEXT NOT NULL",
                "parameters TEXT NOT NULL", "isDryRun BOOLEAN NOT NULL", "issuer TEXT NOT NULL",
                "nodeSequence INTEGER NOT NULL", "issuedAt DATETIME NOT NULL", "expiresAt DATETIME NOT NULL",
                "state TEXT NOT NULL", "attempts INTEGER NOT NULL", "lastSentAt DATETIME NULL",
                "resultOutcome TEXT NULL", "resultExitCode INTEGER NULL", "resultOutputTail TEXT NULL",
                "resultStartedAt DATETIME NULL", "resultFinishedAt DATETIME NULL", "resultDetail TEXT NULL",
                "resultReceivedAt DATETIME NULL",
            ]
        )
        #expect(
            columns[6] == [
                "id INTEGER NULL", "time DATETIME NOT NULL", "actor TEXT NOT NULL", "commandId TEXT NULL",
                "node TEXT NOT NULL", "action TEXT NOT NULL", "event TEXT NOT NULL", "detail TEXT NOT NULL",
            ]
        )
        #expect(
            columns[7] == [
                "id TEXT NOT NULL", "node TEXT NULL", "service TEXT NULL", "kind TEXT NULL",
                "startsAt DATETIME NOT NULL", "endsAt DATETIME NOT NULL", "createdBy TEXT NOT NULL",
                "reason TEXT NOT NULL", "createdAt DATETIME NOT NULL", "removedAt DATETIME NULL", "removedBy TEXT NULL",
                "incidentId INTEGER NULL", "expiryNotedAt DATETIME NULL",
            ]
        )
        #expect(
            columns[8] == [
                "incidentId INTEGER NOT NULL", "round INTEGER NOT NULL", "clockStartedAt DATETIME NOT NULL",
                "severity INTEGER NOT NULL", "heldBySilence TEXT NULL", "acknowledgementSent BOOLEAN NOT NULL",
                "resolutionSent BOOLEAN NOT NULL", "updatedAt DATETIME NOT NULL",
            ]
        )
        #expect(
            columns[9] == [
                "incidentId INTEGER NOT NULL", "round INTEGER NOT NULL", "target TEXT NOT NULL", "role TEXT NOT NULL",
                "person TEXT NULL", "severity INTEGER NOT NULL", "dueAt DATETIME NOT NULL", "pagedAt DATETIME NOT NULL",
                "outcome TEXT NOT NULL", "channels TEXT NOT NULL",
            ]
        )
        #expect(
            columns[10] == [
                "id TEXT NOT NULL", "incidentId INTEGER NOT NULL", "channel TEXT NOT NULL", "event TEXT NOT NULL",
                "messageKind TEXT NOT NULL", "recipient TEXT NULL", "payload TEXT NOT NULL", "status TEXT NOT NULL",
                "attempts INTEGER NOT NULL", "createdAt DATETIME NOT NULL", "nextAttemptAt DATETIME NOT NULL",
                "finishedAt DATETIME NULL", "lastError TEXT NULL",
            ]
        )
        #expect(
            columns[11] == [
                "notificationId TEXT NOT NULL", "attempt INTEGER NOT NULL", "startedAt DATETIME NOT NULL",
                "durationMilliseconds REAL NOT NULL", "outcome TEXT NOT NULL", "retryable BOOLEAN NOT NULL",
                "detail TEXT NOT NULL",
            ]
        )
        #expect(
            columns[12] == [
                "id INTEGER NULL", "incidentId INTEGER NOT NULL", "time DATETIME NOT NULL", "status TEXT NOT NULL",
                "message TEXT NOT NULL", "actionsTaken TEXT NOT NULL", "nextSteps TEXT NOT NULL", "eta TEXT NULL",
                "author TEXT NOT NULL",
            ]
        )
        #expect(
            columns[13] == [
                "incidentId INTEGER NOT NULL", "status TEXT NOT NULL", "createdAt DATETIME NOT NULL",
                "dueAt DATETIME NOT NULL",
            ]
        )
        #expect(
            indexes == [
                ["sqlite_autoindex_node_1(id)"],
                [
                    "index_incident_on_kind_service(kind, service)", "index_incident_on_openedAt(openedAt)",
                    "index_incident_on_status(status)",
                ],
                ["index_incidentEvent_on_incidentId_id(incidentId, id)"],
                ["sqlite_autoindex_incidentSnapshot_1(incidentId, moment)"],
                ["index_alert_on_incidentId(incidentId)", "sqlite_autoindex_alert_1(key)"],
                [
                    "index_command_on_incidentId(incidentId)", "index_command_on_node_state(node, state)",
                    "sqlite_autoindex_command_1(id)", "sqlite_autoindex_command_2(node, nodeSequence)",
                ],
                ["index_auditEntry_on_commandId(commandId)"],
                ["index_silence_on_endsAt(endsAt)", "sqlite_autoindex_silence_1(id)"],
                [],
                ["sqlite_autoindex_escalationPage_1(incidentId, round, target)"],
                [
                    "index_notification_on_channel_status_nextAttemptAt(channel, status, nextAttemptAt)",
                    "index_notification_on_incidentId(incidentId)", "sqlite_autoindex_notification_1(id)",
                ],
                ["sqlite_autoindex_notificationAttempt_1(notificationId, attempt)"],
                ["index_statusUpdate_on_incidentId(incidentId, id)"],
                [],
            ]
        )
        #expect(
            foreignKeys == [
                [],
                [],
                ["incidentId → incident(id) ON DELETE CASCADE"],
                ["incidentId → incident(id) ON DELETE CASCADE"],
                ["incidentId → incident(id) ON DELETE SET NULL"],
                ["incidentId → incident(id) ON DELETE SET NULL"],
                [],
                ["incidentId → incident(id) ON DELETE SET NULL"],
                ["incidentId → incident(id) ON DELETE CASCADE"],
                ["incidentId → incident(id) ON DELETE CASCADE"],
                ["incidentId → incident(id) ON DELETE CASCADE"],
                ["notificationId → notification(id) ON DELETE CASCADE"],
                ["incidentId → incident(id) ON DELETE CASCADE"],
                ["incidentId → incident(id) ON DELETE CASCADE"],
            ]
        )
    }

    @Test func usesWALWithFullSynchronousWritesAndForeignKeys() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        let (journal, synchronous, foreignKeys) = try await database.writer.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(journal == "wal")
        #expect(synchronous == 2, "2 is FULL")
        #expect(foreignKeys == 1)
    }

    @Test func savedNodesLoadBackAfterReopening() async throws {
        let directory = try TemporaryDirectory()
        let nodes = [node("web-1", seq: 41), node("web-2", seq: 7, state: .disconnected)]
        do {
            let database = try CoordinatorDatabase.open(directory: directory.path)
            try await database.saveNodes(nodes)
            var changed = nodes[0]
            changed.lastReportSeq = 42
            changed.reportsReceived = 42
            try await database.saveNodes([changed])
        }
        let reopened = try CoordinatorDatabase.open(directory: directory.path)
        let loaded = try await reopened.loadNodes()
        #expect(loaded.map(\.id.rawValue) == ["web-1", "web-2"])
        #expect(loaded[0].lastReportSeq == 42)
        #expect(loaded[0].labels == nodes[0].labels)
        #expect(loaded[0].lastSeenAt == nodes[0].lastSeenAt)
        #expect(loaded[1] == nodes[1])
    }

    @Test func schemaRefusesAnUnknownConnectionState() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO node (id, hostname, agentVersion, firstSeenAt, lastSeenAt, connectionState)
                        VALUES ('x', 'h', 'v', '2026-01-01', '2026-01-01', 'maybe')
                        """
                )
            }
        }
    }

    @Test func unreadableDataDirectoryIsNamed() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path + "/not-a-directory"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let error = #expect(throws: StorageError.self) { try CoordinatorDatabase.open(directory: file) }
        #expect(error?.description.hasPrefix("cannot open database \(file)") == true)
    }

    @Test func wideningTheEventKindsKeepsEveryTimelineRowAndItsID() throws {
        let directory = try TemporaryDirectory()
        let queue = try DatabaseQueue(path: directory.path + "/vigil.sqlite")
        try Migrations.migrator.migrate(queue, upTo: "0005-create-alert")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO incident (id, kind, service, severity, peakSeverity, status, title, openedAt,
                        responseDueAt, affectedNodes, reopenCount, peakBadness, updatedAt)
                    VALUES (7, 'k', 's', 2, 2, 'INVESTIGATING', 't', '2026-01-01 00:00:00.000',
                        '2026-01-01 00:15:00.000', '[]', 0, 1, '2026-01-01 00:00:00.000');
                    INSERT INTO incidentEvent (id, incidentId, time, kind, actor, message)
                    VALUES (41, 7, '2026-01-01 00:00:00.000', 'opened', 'vigil', 'opened'),
                           (42, 7, '2026-01-01 00:01:00.000', 'note', 'alice', 'looking');
                    """
            )
        }
        try Migrations.migrator.migrate(queue)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, actor FROM incidentEvent ORDER BY id").map {
                "\($0["id"] as Int64) \($0["kind"] as String) \($0["actor"] as String)"
            }
        }
        #expect(rows == ["41 opened vigil", "42 note alice"])
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO incidentEvent (incidentId, time, kind, actor, message)
                    VALUES (7, '2026-01-01 00:02:00.000', 'command_issued', 'remediation', 'restart')
                    """
            )
        }
        #expect(try queue.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM incidentEvent") } == 43)
    }
}
