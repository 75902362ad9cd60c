import Foundation

/// Where escalation keeps its progress and the notifications waiting to go out, so that a restart neither
/// skips a step nor sends one twice: a page, its notifications and its timeline line are written together.
protocol EscalationStore: Sendable {
    /// The escalations whose resolution has not been announced yet, with the targets paged in their round.
    func loadEscalations() async throws -> [EscalationState]

    /// Writes everything in `write` in one transaction.
    func apply(_ write: EscalationWrite) async throws

    /// The channel's pending notifications whose next attempt is due at `now`, oldest first.
    func dueNotifications(channel: String, at now: Date, limit: Int) async throws -> [OutboxNotification]

    /// Pending notifications for channels other than `channels`.
    func pendingNotifications(notOn channels: [String]) async throws -> [OutboxNotification]

    /// How many notifications are not delivered yet.
    func pendingNotificationCount() async throws -> Int

    /// Records one delivery attempt and the notification as it stands after it (and a timeline line when it
    /// gave up), in one transaction.
    func record(_ attempt: OutboxAttempt, for notification: OutboxNotification, event: TimelineEvent?) async throws

    /// The incident's notifications, oldest first, each with its attempts.
    func notifications(of id: IncidentID) async throws -> [OutboxNotificationDetail]

    /// The incident's pages, every round, in the order they happened.
    func pages(of id: IncidentID) async throws -> [EscalationPage]

    func postmortem(of id: IncidentID) async throws -> PostmortemDraft?

    /// The incident's status updates, oldest first.
    func statusUpdates(of id: IncidentID) async throws -> [StatusUpdate]
}

/// One transaction of escalation's progress.
struct EscalationWrite: Sendable {
    /// Inserted or replaced whole.
    var states: [EscalationState] = []
    var pages: [EscalationPage] = []
    var notifications: [OutboxNotification] = []
    var events: [TimelineEvent] = []
    var postmortems: [PostmortemDraft] = []
    var statusUpdates: [PostedStatusUpdate] = []
    /// Silences bound to an incident that ended with it: removed at that time by Vigil.
    var endedSilences: [SilenceID: Date] = [:]
    /// Bound silences whose expiry the responder was told of, and when.
    var notedSilenceExpiries: [SilenceID: Date] = [:]
}

/// A status update and the incident it was posted to.
struct PostedStatusUpdate: Hashable, Sendable {
    var incidentID: IncidentID
    var update: StatusUpdate
}
