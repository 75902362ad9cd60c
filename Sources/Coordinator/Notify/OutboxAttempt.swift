import Foundation

/// One try at delivering a notification, and how it went.
struct OutboxAttempt: Hashable, Sendable, Codable {
    var notificationID: String
    /// 1 for the first try.
    var attempt: Int
    var startedAt: Date
    var durationMilliseconds: Double
    var delivered: Bool
    var retryable: Bool
    /// The receiver's answer (`HTTP 202`, `250 OK`) or why it failed, on one line.
    var detail: String
}
