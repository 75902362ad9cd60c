import Foundation
import GRDB

/// A row of `notificationAttempt`: one try at delivering a notification.
struct NotificationAttemptRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "notificationAttempt"

    enum Columns {
        static let notificationId = Column(CodingKeys.notificationId)
        static let attempt = Column(CodingKeys.attempt)
    }

    var notificationId: String
    var attempt: Int
    var startedAt: Date
    var durationMilliseconds: Double
    /// `delivered` or `failed`.
    var outcome: String
    var retryable: Bool
    var detail: String

    init(_ attempt: OutboxAttempt) {
        notificationId = attempt.notificationID
        self.attempt = attempt.attempt
        startedAt = attempt.startedAt
        durationMilliseconds = attempt.durationMilliseconds
        outcome = attempt.delivered ? "delivered" : "failed"
        retryable = attempt.retryable
        detail = attempt.detail
    }

    func makeAttempt() -> OutboxAttempt {
        OutboxAttempt(
            notificationID: notificationId,
            attempt: attempt,
            startedAt: startedAt,
            durationMilliseconds: durationMilliseconds,
            delivered: outcome == "delivered",
            retryable: retryable,
            detail: detail
        )
    }
}
