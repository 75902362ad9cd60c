import Foundation
import GRDB
import Shared

extension CoordinatorDatabase: CommandStore {
    func save(_ command: RemediationCommand, appending audit: [CommandAuditEntry]) async throws {
        let record = try CommandRecord(command)
        let entries = audit.map(AuditEntryRecord.init)
        _ = try await writing("save command \(command.id)") { db in
            // A finished or expired command never goes back to waiting, whichever write came last.
            let stored = try String.fetchOne(
                db,
                CommandRecord.filter(key: record.id).select(CommandRecord.Columns.state)
            )
            let ended = [RemediationCommand.State.finished.rawValue, RemediationCommand.State.expired.rawValue]
            if let stored, ended.contains(stored), !ended.contains(record.state) {
                // Only the audit entries are new.
            } else {
                // An upsert updates the row in place; the UNIQUE (node, nodeSequence) index keeps its entry.
                try record.upsert(db)
            }
            for entry in entries { try entry.insert(db) }
        }
    }

    func appendAudit(_ entries: [CommandAuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        let records = entries.map(AuditEntryRecord.init)
        _ = try await writing("append \(entries.count) audit entries") { db in
            for record in records { try record.insert(db) }
        }
    }

    func unfinishedCommands() async throws -> [RemediationCommand] {
        try await reading("unfinished commands") { db in
            try CommandRecord.all().unfinished()
                .order(CommandRecord.Columns.node, CommandRecord.Columns.nodeSequence)
                .fetchAll(db)
                .map { try $0.makeCommand() }
        }
    }

    func commands(matching query: CommandQuery) async throws -> [RemediationCommand] {
        // SQLite reads a negative LIMIT as no limit at all.
        guard query.limit > 0 else { return [] }
        var request = CommandRecord.all()
        if let incident = query.incidentID {
            request = request.filter(CommandRecord.Columns.incidentId == incident.rawValue)
        }
        if let node = query.node {
            request = request.filter(CommandRecord.Columns.node == node.rawValue)
        }
        if !query.states.isEmpty {
            request = request.filter(query.states.map(\.rawValue).contains(CommandRecord.Columns.state))
        }
        let newest = request.newestFirst().limit(query.limit)
        return try await reading("commands") { db in
            try newest.fetchAll(db).map { try $0.makeCommand() }
        }
    }

    func command(_ id: CommandID) async throws -> RemediationCommand? {
        try await reading("command \(id)") { db in
            try CommandRecord.fetchOne(db, key: id.rawValue)?.makeCommand()
        }
    }

    func nextNodeSequence(for node: NodeID) async throws -> UInt64 {
        try await reading("node sequence of \(node)") { db in
            let highest = try CommandRecord.filter(CommandRecord.Columns.node == node.rawValue)
                .select(max(CommandRecord.Columns.nodeSequence), as: Int64.self)
                .fetchOne(db)
            return UInt64(max(0, highest ?? 0)) + 1
        }
    }

    func auditEntries(of id: CommandID) async throws -> [CommandAuditEntry] {
        try await reading("audit entries of command \(id)") { db in
            try AuditEntryRecord.all().entries(of: id).fetchAll(db).map { try $0.makeEntry() }
        }
    }

    // MARK: - Helpers
}
