import Shared

/// One message about one incident for one channel, already rendered: the channel builders only shape it into
/// each receiver's format, they never write prose of their own.
struct OutgoingNotification: Hashable, Sendable, Codable {
    /// What happened, in the three-verb vocabulary paging services share, plus `update` for everything else.
    enum Event: String, Hashable, Sendable, Codable, CaseIterable {
        /// A page, or the first notification about an incident.
        case trigger
        case acknowledge
        case resolve
        /// A status update or any other message about an incident that is already known.
        case update
    }

    /// A link shown with the message, such as the incident's page or a dashboard.
    struct Link: Hashable, Sendable, Codable {
        var label: String
        var url: String
    }

    var deliveryID: DeliveryID
    var incidentID: IncidentID
    var event: Event
    var severity: Severity
    var service: String
    var incidentKind: IncidentKind
    var title: String
    var status: IncidentStatus
    /// The e-mail subject; when nil, e-mail uses `[SEV-1] service: title`.
    var subject: String?
    /// The message itself, plain text.
    var text: String
    /// The person paged, when this notification pages one.
    var recipient: Recipient?
    /// Why this person, such as `primary on-call (step 1 of 4)`.
    var role: String?
    var links: [Link]

    init(
        deliveryID: DeliveryID,
        incidentID: IncidentID,
        event: Event,
        severity: Severity,
        service: String,
        incidentKind: IncidentKind,
        title: String,
        status: IncidentStatus,
        subject: String? = nil,
        text: String,
        recipient: Recipient? = nil,
        role: String? = nil,
        links: [Link] = []
    ) {
        self.deliveryID = deliveryID
        self.incidentID = incidentID
        self.event = event
        self.severity = severity
        self.service = service
        self.incidentKind = incidentKind
        self.title = title
        self.status = status
        self.subject = subject
        self.text = text
        self.recipient = recipient
        self.role = role
        self.links = links
    }

    /// `[SEV-1] checkout: Error rate above 5 %`, the subject when none is given.
    var defaultSubject: String { "[\(severity)] \(service): \(title)" }
}
