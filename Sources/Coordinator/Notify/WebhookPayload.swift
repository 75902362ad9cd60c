import Foundation
import Shared

/// The generic webhook's JSON body, version 1 (docs/NOTIFICATIONS.md shows an example). Fields are added, never
/// renamed or removed, without a new version; optional fields are left out when unknown.
struct WebhookPayload: Encodable, Hashable, Sendable {
    static let currentVersion = 1

    struct Incident: Encodable, Hashable, Sendable {
        var id: Int64
        /// `SEV-1` … `SEV-4`.
        var severity: String
        var service: String
        var kind: String
        var title: String
        /// `INVESTIGATING`, `IDENTIFIED`, `MONITORING` or `RESOLVED`.
        var status: String
    }

    struct Person: Encodable, Hashable, Sendable {
        var name: String
        var email: String?
        var chat: String?
    }

    var version: Int
    /// `trigger`, `acknowledge`, `resolve` or `update`.
    var event: String
    var deliveryID: String
    var sentAt: Date
    var incident: Incident
    var recipient: Person?
    var role: String?
    var subject: String?
    var text: String
    var links: [OutgoingNotification.Link]

    enum CodingKeys: String, CodingKey {
        case version, event, incident, recipient, role, subject, text, links
        case deliveryID = "delivery_id"
        case sentAt = "sent_at"
    }

    init(_ notification: OutgoingNotification, sentAt: Date) {
        version = Self.currentVersion
        event = notification.event.rawValue
        deliveryID = notification.deliveryID.rawValue
        self.sentAt = sentAt
        incident = Incident(
            id: notification.incidentID.rawValue,
            severity: notification.severity.description,
            service: notification.service,
            kind: notification.incidentKind.rawValue,
            title: notification.title,
            status: notification.status.rawValue
        )
        recipient = notification.recipient.map { Person(name: $0.name, email: $0.email, chat: $0.chatHandle) }
        role = notification.role
        subject = notification.subject
        text = notification.text
        links = notification.links
    }
}
