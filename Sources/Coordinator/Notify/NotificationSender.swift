import Foundation
import Shared

/// The `Notifier` that really sends: JSON over HTTP(S) for webhook, Slack and PagerDuty channels, SMTP for
/// e-mail, each on a libcurl thread pool so no Swift concurrency thread waits on a socket.
struct NotificationSender: Notifier {
    /// The clock for `sent_at` and an e-mail's `Date`.
    var now: @Sendable () -> Date
    var userAgent: String

    init(now: @escaping @Sendable () -> Date = { Date() }, userAgent: String = "vigil/\(VigilVersion.current)") {
        self.now = now
        self.userAgent = userAgent
    }

    func deliver(_ notification: OutgoingNotification, via channel: NotificationChannel) async -> DeliveryOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var outcome: DeliveryOutcome
        switch channel.settings {
        case .webhook(let webhook):
            outcome = await postJSON(
                { () throws -> [UInt8] in try NotificationJSON.encode(WebhookPayload(notification, sentAt: now())) },
                to: webhook.url,
                headers: webhook.headers,
                notification: notification,
                timeout: channel.timeout
            )
        case .slack(let slack):
            outcome = await postJSON(
                { () throws -> [UInt8] in try NotificationJSON.encode(SlackMessage(notification)) },
                to: slack.url,
                headers: [:],
                notification: notification,
                timeout: channel.timeout
            )
        case .pagerDuty(let pagerDuty):
            guard let event = PagerDutyEvent(notification, routingKey: pagerDuty.routingKey.revealed) else {
                return .skipped("PagerDuty has no update event; status updates go to chat and e-mail channels")
            }
            outcome = await postJSON(
                { () throws -> [UInt8] in try NotificationJSON.encode(event) },
                to: pagerDuty.url,
                headers: [:],
                notification: notification,
                timeout: channel.timeout
            )
        case .email(let email):
            outcome = await sendMail(notification, settings: email, timeout: channel.timeout)
        }
        outcome.elapsed = clock.now - start
        return outcome
    }

    /// How long a connection may take within an attempt: the attempt's own bound, or 5 s if that is shorter.
    static func connectTimeout(within timeout: Duration) -> Duration {
        min(timeout, .seconds(5))
    }
}
