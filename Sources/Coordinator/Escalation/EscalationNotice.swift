import Foundation
import Shared

/// Something people must hear about an incident, before it is turned into one notification per channel.
struct EscalationNotice: Hashable, Sendable {
    /// The paging services' vocabulary, the same the channels speak: a page is a `trigger`; status updates and
    /// other messages to those already involved are `update`s.
    typealias Event = OutgoingNotification.Event

    var incidentID: IncidentID
    var event: Event
    /// The message it carries: `initial`, `page`, `status-update`, `resolution`, `acknowledged`, `silence-expired`.
    var messageKind: String
    /// Whom it is for; empty for team-wide notices.
    var recipients: [OnCallPerson]
    /// The step that pages, for `page` messages.
    var target: EscalationPolicy.Target? = nil
    /// A status update being posted with this notice, not in the store yet: the message reports it.
    var postedUpdate: StatusUpdate? = nil
    var channels: [PagingChannel]
    /// Why, for the page text and the payload: `SRE primary, step 1 of SEV-1`.
    var reason: String
    /// Identifies the notice within the incident, so every notification it yields has a stable delivery id.
    var key: String
}

/// Turns notices into the notifications the outbox keeps: renders the message and builds each channel's payload.
protocol EscalationNoticeComposer: Sendable {
    func compose(_ notice: EscalationNotice, now: Date) async throws -> [OutboxNotification]
}
