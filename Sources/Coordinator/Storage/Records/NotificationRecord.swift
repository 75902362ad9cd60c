import Foundation
import GRDB

/// A row of `notification`: one message for one channel and its delivery state.
struct NotificationRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "notification"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let incidentId = Column(CodingKeys.incidentId)
        static let channel = Column(CodingKeys.channel)
        static let status = Column(CodingKeys.status)
        static let event = Column(CodingKeys.event)
        static let finishedAt = Column(CodingKeys.finishedAt)
        static let lastError = Column(CodingKeys.lastError)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    var id: String
    var incidentId: Int64
    var channel: String
    var event: String
    var messageKind: String
    var recipient: String?
    var payload: String
    /// `OutboxNotification.Status.rawValue`.
    var status: String
    var attempts: Int
    var createdAt: Date
    var nextAttemptAt: Date
    var finishedAt: Date?
    var lastError: String?

    init(_ notification: OutboxNotification) {
        id = notification.id
        incidentId = notification.incidentID.rawValue
        channel = notification.channel
        event = notification.event
        messageKind = notification.messageKind
        recipient = notification.recipient
        payload = notification.payload
        status = notification.status.rawValue
        attempts = notification.attempts
        createdAt = notification.createdAt
        nextAttemptAt = notification.nextAttemptAt
        finishedAt = notification.finishedAt
        lastError = notification.lastError
    }

    func makeNotification() throws(StorageError) -> OutboxNotification {
        guard let status = OutboxNotification.Status(rawValue: status) else {
            throw .invalidRow(table: Self.databaseTableName, id: id, reason: "unknown status \(status)")
        }
        return OutboxNotification(
            id: id,
            incidentID: IncidentID(incidentId),
            channel: channel,
            event: event,
            messageKind: messageKind,
            recipient: recipient,
            payload: payload,
            status: status,
            attempts: attempts,
            createdAt: createdAt,
            nextAttemptAt: nextAttemptAt,
            finishedAt: finishedAt,
            lastError: lastError
        )
    }
}
