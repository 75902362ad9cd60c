import Shared

/// An event for PagerDuty's Events API v2. A trigger carries the incident; an acknowledge or resolve carries only
/// the key that finds it, `vigil-<incident id>`, so every event of one incident lands on one PagerDuty incident.
struct PagerDutyEvent: Encodable, Hashable, Sendable {
    /// PagerDuty's limit on a summary, in characters.
    static let summaryLimit = 1024

    struct Payload: Encodable, Hashable, Sendable {
        var summary: String
        var source: String
        /// `critical`, `error`, `warning` or `info`.
        var severity: String
        var component: String
        var eventClass: String
        var customDetails: Details

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, component
            case eventClass = "class"
            case customDetails = "custom_details"
        }
    }

    struct Details: Encodable, Hashable, Sendable {
        var incidentID: Int64
        var severity: String
        var status: String
        var kind: String
        var text: String
        var deliveryID: String
        var recipient: String?
        var role: String?

        enum CodingKeys: String, CodingKey {
            case severity, status, kind, text, recipient, role
            case incidentID = "incident_id"
            case deliveryID = "delivery_id"
        }
    }

    struct Link: Encodable, Hashable, Sendable {
        var href: String
        var text: String
    }

    var routingKey: String
    /// `trigger`, `acknowledge` or `resolve`.
    var eventAction: String
    var dedupKey: String
    var payload: Payload?
    var client: String?
    var links: [Link]?

    enum CodingKeys: String, CodingKey {
        case payload, client, links
        case routingKey = "routing_key"
        case eventAction = "event_action"
        case dedupKey = "dedup_key"
    }

    /// Nil for an `update`: the Events API has no such action, and a second trigger would only repeat the first.
    init?(_ notification: OutgoingNotification, routingKey: String) {
        self.routingKey = routingKey
        dedupKey = Self.dedupKey(for: notification.incidentID)
        switch notification.event {
        case .update:
            return nil
        case .acknowledge, .resolve:
            eventAction = notification.event.rawValue
        case .trigger:
            eventAction = "trigger"
            client = "vigil"
            payload = Payload(
                summary: Self.truncated(notification.defaultSubject, to: Self.summaryLimit),
                source: notification.service,
                severity: Self.severity(notification.severity),
                component: notification.service,
                eventClass: notification.incidentKind.rawValue,
                customDetails: Details(
                    incidentID: notification.incidentID.rawValue,
                    severity: notification.severity.description,
                    status: notification.status.rawValue,
                    kind: notification.incidentKind.rawValue,
                    text: notification.text,
                    deliveryID: notification.deliveryID.rawValue,
                    recipient: notification.recipient?.name,
                    role: notification.role
                )
            )
            links = notification.links.isEmpty ? nil : notification.links.map { Link(href: $0.url, text: $0.label) }
        }
    }

    static func dedupKey(for incident: IncidentID) -> String { "vigil-\(incident.rawValue)" }

    /// SEV-1 critical, SEV-2 error, SEV-3 warning, SEV-4 info.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .sev1: "critical"
        case .sev2: "error"
        case .sev3: "warning"
        case .sev4: "info"
        }
    }

    /// At most `limit` characters, counting Unicode scalars so that no way of counting exceeds it, ending in `…`
    /// when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        var kept = ""
        var count = 0
        for character in text {
            let size = character.unicodeScalars.count
            guard count + size <= limit - 1 else { break }
            kept.append(character)
            count += size
        }
        return kept + "…"
    }
}
