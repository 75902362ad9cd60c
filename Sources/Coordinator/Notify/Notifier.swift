/// Delivers one notification through one channel: what the outbox's retry loop calls, and what its tests
/// replace with a conformer that records.
protocol Notifier: Sendable {
    /// Never throws and never blocks the calling thread; returns within about the channel's timeout.
    func deliver(_ notification: OutgoingNotification, via channel: NotificationChannel) async -> DeliveryOutcome
}
