import Foundation
import Shared

/// Turns escalation's notices into one notification per channel (and per person, for e-mail to personal
/// addresses), with the message rendered from the playbook's templates and the payload fixed at that moment,
/// so that every retry sends exactly the same thing under the same delivery id.
struct NotificationComposer: EscalationNoticeComposer {
    let renderer: MessageRenderer
    let incidents: any IncidentOperations
    let store: any EscalationStore
    let channels: [ChannelName: NotificationChannel]

    init(
        renderer: MessageRenderer,
        incidents: any IncidentOperations,
        store: any EscalationStore,
        channels: [NotificationChannel]
    ) {
        self.renderer = renderer
        self.incidents = incidents
        self.store = store
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func compose(_ notice: EscalationNotice, now: Date) async throws -> [OutboxNotification] {
        let detail = try await incidents.detail(of: notice.incidentID)
        let updates = try await store.statusUpdates(of: notice.incidentID) + (notice.postedUpdate.map { [$0] } ?? [])
        var notifications: [OutboxNotification] = []
        for paging in notice.channels {
            guard let channel = channels[ChannelName(paging.name)], Self.carries(notice.event, on: channel.kind) else {
                continue
            }
            for person in Self.addressees(of: notice, on: channel) {
                let message = try render(notice, detail: detail, updates: updates, person: person, now: now)
                var deliveryID = "\(notice.incidentID)-\(notice.key)-\(channel.name)"
                if channel.kind == .email, let person { deliveryID += "-\(person.name)" }
                let outgoing = OutgoingNotification(
                    deliveryID: DeliveryID(deliveryID),
                    incidentID: notice.incidentID,
                    event: notice.event,
                    severity: detail.incident.severity,
                    service: detail.incident.service,
                    incidentKind: detail.incident.kind,
                    title: detail.incident.title,
                    status: detail.incident.status,
                    subject: message.subject,
                    text: message.text,
                    recipient: person.map { Recipient(name: $0.name, email: $0.email, chatHandle: $0.chat) },
                    role: notice.reason
                )
                notifications.append(
                    OutboxNotification(
                        id: deliveryID,
                        incidentID: notice.incidentID,
                        channel: channel.name.rawValue,
                        event: notice.event.rawValue,
                        messageKind: notice.messageKind,
                        recipient: person?.name,
                        payload: try Self.payload(outgoing),
                        status: .pending,
                        attempts: 0,
                        createdAt: now,
                        nextAttemptAt: now
                    )
                )
            }
        }
        return notifications
    }

    /// Acknowledgements are for pagers and chat, not inboxes; updates have no place in a pager's event stream.
    private static func carries(_ event: EscalationNotice.Event, on kind: NotificationChannel.Kind) -> Bool {
        switch (event, kind) {
        case (.acknowledge, .email), (.update, .pagerduty): false
        default: true
        }
    }

    /// E-mail to personal addresses goes to each addressee who has one; every other channel gets one message
    /// that names the first addressee (a page has exactly one).
    private static func addressees(of notice: EscalationNotice, on channel: NotificationChannel) -> [OnCallPerson?] {
        if case .email(let email) = channel.settings, email.to.isEmpty {
            return notice.recipients.filter { $0.email != nil }
        }
        return [notice.event == .trigger ? notice.recipients.first : nil]
    }

    private func render(
        _ notice: EscalationNotice,
        detail: IncidentDetail,
        updates: [StatusUpdate],
        person: OnCallPerson?,
        now: Date
    ) throws -> RenderedMessage {
        let incident = detail.incident
        if let kind = MessageKind(rawValue: notice.messageKind) {
            let recipient = person.flatMap { person in
                notice.target.map { PageRecipient(person: person.name, target: $0) }
            }
            return try renderer.render(kind, for: detail, updates: updates, recipient: recipient, now: now)
        }
        // Notices of Vigil's own, which the playbook has no template for.
        let heading = "#\(incident.id) \(incident.severity) \(incident.service): \(incident.title)"
        switch notice.messageKind {
        case "acknowledged":
            return RenderedMessage(
                kind: .statusUpdate,
                subject: "[\(incident.severity)] ACKNOWLEDGED: \(incident.title)",
                text: "👀 INCIDENT ACKNOWLEDGED\nIncident: \(heading)\nBy: \(incident.acknowledgedBy ?? "someone")\n"
                    + "Escalation stopped.\n"
            )
        default:
            return RenderedMessage(
                kind: .statusUpdate,
                subject: "[\(incident.severity)] SILENCE EXPIRED: \(incident.title)",
                text: "⏰ SILENCE EXPIRED\nIncident: \(heading)\nStatus: \(incident.status)\n\(notice.reason)\n"
            )
        }
    }

    static func payload(_ notification: OutgoingNotification) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(notification), as: UTF8.self)
    }

    static func notification(fromPayload payload: String) throws -> OutgoingNotification {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(OutgoingNotification.self, from: Data(payload.utf8))
    }
}
