import Foundation
import Shared

@testable import Coordinator

/// Notifications and channels for the notification tests, built the way the coordinator builds them.
enum NotificationFixtures {
    /// 2023-11-14T22:13:20Z, the sender's clock in every test, so bodies compare byte for byte.
    static let sentAt = Date(timeIntervalSince1970: 1_700_000_000)

    static let sender = NotificationSender(now: { NotificationFixtures.sentAt }, userAgent: "vigil/test")

    static let alice = Recipient(name: "Alice", email: "alice@example.com", chatHandle: "@alice")

    static func notification(
        event: OutgoingNotification.Event = .trigger,
        severity: Severity = .sev1,
        subject: String? = nil,
        text: String = "Checkout error rate is 7.5 % (threshold 5 %).",
        recipient: Recipient? = NotificationFixtures.alice,
        deliveryID: String = "12-trigger-primary"
    ) -> OutgoingNotification {
        OutgoingNotification(
            deliveryID: DeliveryID(deliveryID),
            incidentID: IncidentID(12),
            event: event,
            severity: severity,
            service: "checkout",
            incidentKind: IncidentKind("high_error_rate"),
            title: "Error rate above 5 %",
            status: event == .resolve ? .resolved : .investigating,
            subject: subject,
            text: text,
            recipient: recipient,
            role: "primary on-call",
            links: [OutgoingNotification.Link(label: "Incident", url: "http://vigil.example/incidents/12")]
        )
    }

    /// The single channel a `channels:` section of one entry defines.
    static func channel(
        _ yaml: String,
        environment: [String: String] = [:]
    ) throws -> NotificationChannel {
        let settings = try NotificationSettings.parse(yaml: yaml, source: "test.yaml", environment: environment)
        guard settings.channels.count == 1, let channel = settings.channels.first else {
            throw FixtureError.notOneChannel(settings.channels.count)
        }
        return channel
    }

    enum FixtureError: Error {
        case notOneChannel(Int)
    }
}
