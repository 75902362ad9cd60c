import Foundation

/// One notification for one channel, kept until it is delivered or given up on. Its payload is decided when it
/// is queued, so every retry sends the same message with the same delivery id.
struct OutboxNotification: Hashable, Sendable, Codable {
    enum Status: String, Hashable, Sendable, Codable {
        case pending
        case delivered
        /// Given up on: refused for good, or still failing at the end of the retry horizon.
        case failed
    }

    /// Unique and stable: receivers deduplicate retries by it.
    var id: String
    var incidentID: IncidentID
    var channel: String
    /// `trigger`, `acknowledge`, `resolve` or `update`.
    var event: String
    /// Which message it carries, such as `initial` or `page`.
    var messageKind: String
    var recipient: String?
    /// The notification as JSON, exactly as it will be sent.
    var payload: String
    var status: Status
    var attempts: Int
    var createdAt: Date
    var nextAttemptAt: Date
    var finishedAt: Date?
    var lastError: String?
}

/// A notification with every attempt made to deliver it, as `vigil notifications` shows it.
struct OutboxNotificationDetail: Hashable, Sendable, Codable {
    var notification: OutboxNotification
    var attempts: [OutboxAttempt]
}
