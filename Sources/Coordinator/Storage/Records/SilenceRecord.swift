import Foundation
import GRDB
import Shared

/// A row of `silence`: one silence or maintenance window, with nullable matchers.
struct SilenceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "silence"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let startsAt = Column(CodingKeys.startsAt)
        static let endsAt = Column(CodingKeys.endsAt)
        static let createdAt = Column(CodingKeys.createdAt)
        static let removedAt = Column(CodingKeys.removedAt)
        static let removedBy = Column(CodingKeys.removedBy)
        static let incidentId = Column(CodingKeys.incidentId)
        static let expiryNotedAt = Column(CodingKeys.expiryNotedAt)
    }

    var id: String
    var node: String?
    var service: String?
    /// `IncidentKind.rawValue`.
    var kind: String?
    var startsAt: Date
    var endsAt: Date
    var createdBy: String
    var reason: String
    var createdAt: Date
    var removedAt: Date?
    var removedBy: String?
    var incidentId: Int64?
    var expiryNotedAt: Date?

    init(_ silence: Silence) {
        id = silence.id.rawValue
        node = silence.node?.rawValue
        service = silence.service
        kind = silence.kind?.rawValue
        startsAt = silence.startsAt
        endsAt = silence.endsAt
        createdBy = silence.createdBy
        reason = silence.reason
        createdAt = silence.createdAt
        removedAt = silence.removedAt
        removedBy = silence.removedBy
        incidentId = silence.incidentID?.rawValue
        expiryNotedAt = silence.expiryNotedAt
    }

    func makeSilence() throws(StorageError) -> Silence {
        var nodeID: NodeID?
        if let node {
            guard let valid = NodeID(node) else {
                throw .invalidRow(table: Self.databaseTableName, id: id, reason: "invalid node \(node)")
            }
            nodeID = valid
        }
        return Silence(
            id: SilenceID(id),
            node: nodeID,
            service: service,
            kind: kind.map { IncidentKind($0) },
            startsAt: startsAt,
            endsAt: endsAt,
            createdBy: createdBy,
            reason: reason,
            createdAt: createdAt,
            removedAt: removedAt,
            removedBy: removedBy,
            incidentID: incidentId.map { IncidentID($0) },
            expiryNotedAt: expiryNotedAt
        )
    }
}

// MARK: - Requests

extension DerivableRequest<SilenceRecord> {
    /// Silences not removed that end after `now` (active or scheduled), and those bound to an incident that
    /// ended without the responder being told yet.
    func current(at now: Date) -> Self {
        let columns = SilenceRecord.Columns.self
        let awaitingNote = columns.incidentId != nil && columns.expiryNotedAt == nil
        return filter(columns.removedAt == nil && (columns.endsAt > now || awaitingNote))
    }
}
