import Foundation

/// Whether paging works, for `/api/health`: what waits to be delivered, and how each channel fared last.
struct NotificationStatus: Codable, Equatable, Sendable {
    struct Channel: Codable, Equatable, Sendable {
        var name: String
        var kind: String
        var lastDeliveredAt: Date?
        var lastFailedAt: Date?
        /// The last failure's detail, while the channel has not delivered since.
        var failing: String?
    }

    /// Notifications not delivered yet, retries included; nil when the store could not say.
    var pending: Int?
    var channels: [Channel]
}

/// Where health learns how notifications fare.
protocol NotificationOverview: Sendable {
    func status() async -> NotificationStatus
}
