import Foundation
import GRDB

/// A row of `incidentEvent`: one line of an incident's timeline.
struct IncidentEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "incidentEvent"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let incidentId = Column(CodingKeys.incidentId)
    }

    /// Nil until inserted; the order events were appended in, which `TimelineEvent` itself does not carry.
    var id: Int64?
    var incidentId: Int64
    var time: Date
    /// `TimelineEvent.Kind.rawValue`.
    var kind: String
    var actor: String
    var message: String

    init(_ event: TimelineEvent) {
        id = nil
        incidentId = event.incidentID.rawValue
        time = event.time
        kind = event.kind.rawValue
        actor = event.actor
        message = event.message
    }

    func makeTimelineEvent() throws(StorageError) -> TimelineEvent {
        guard let eventKind = TimelineEvent.Kind(rawValue: kind) else {
            throw .invalidRow(
                table: Self.databaseTableName,
                id: id.map(String.init) ?? "?",
                reason: "unknown kind \(kind)"
            )
        }
        return TimelineEvent(
            incidentID: IncidentID(incidentId),
            time: time,
            kind: eventKind,
            actor: actor,
            message: message
        )
    }
}

// MARK: - Requests

extension DerivableRequest<IncidentEventRecord> {
    /// The incident's events in the order they were appended.
    func timeline(of id: IncidentID) -> Self {
        filter(IncidentEventRecord.Columns.incidentId == id.rawValue).order(IncidentEventRecord.Columns.id)
    }
}
