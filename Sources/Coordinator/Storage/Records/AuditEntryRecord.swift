import Foundation
import GRDB
import Shared

/// A row of `auditEntry`: one line of the append-only command audit log.
struct AuditEntryRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "auditEntry"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let commandId = Column(CodingKeys.commandId)
    }

    /// Nil until inserted; the order entries were appended in.
    var id: Int64?
    var time: Date
    var actor: String
    var commandId: String?
    var node: String
    /// `ActionName.rawValue`.
    var action: String
    /// `CommandAuditEntry.Event.rawValue`.
    var event: String
    var detail: String

    init(_ entry: CommandAuditEntry) {
        id = nil
        time = entry.time
        actor = entry.actor
        commandId = entry.commandID?.rawValue
        node = entry.node.rawValue
        action = entry.action.rawValue
        event = entry.event.rawValue
        detail = entry.detail
    }

    func makeEntry() throws(StorageError) -> CommandAuditEntry {
        let row = id.map(String.init) ?? "?"
        guard let nodeID = NodeID(node) else {
            throw .invalidRow(table: Self.databaseTableName, id: row, reason: "invalid node \(node)")
        }
        guard let actionName = ActionName(rawValue: action) else {
            throw .invalidRow(table: Self.databaseTableName, id: row, reason: "unknown action \(action)")
        }
        guard let auditEvent = CommandAuditEntry.Event(rawValue: event) else {
            throw .invalidRow(table: Self.databaseTableName, id: row, reason: "unknown event \(event)")
        }
        return CommandAuditEntry(
            id: id,
            time: time,
            actor: actor,
            commandID: commandId.map { CommandID($0) },
            node: nodeID,
            action: actionName,
            event: auditEvent,
            detail: detail
        )
    }
}

// MARK: - Requests

extension DerivableRequest<AuditEntryRecord> {
    /// The command's entries in the order they were appended.
    func entries(of id: CommandID) -> Self {
        filter(AuditEntryRecord.Columns.commandId == id.rawValue).order(AuditEntryRecord.Columns.id)
    }
}
