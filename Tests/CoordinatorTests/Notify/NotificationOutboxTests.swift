import Foundation
import Logging
import Shared
import Testing

@testable import Coordinator

/// The outbox over a real SQLite store and real receivers: retries on the schedule with the same delivery id,
/// every attempt recorded, failures given up on put on the timeline, and one slow channel holding up no other.
@Suite(.timeLimit(.minutes(1)))
struct NotificationOutboxTests {
    private static let opened = Date(timeIntervalSince1970: 1_800_000_000)

    private final class Harness {
        let directory: TemporaryDirectory
        let database: CoordinatorDatabase

        init() async throws {
            directory = try TemporaryDirectory()
            database = try CoordinatorDatabase.open(directory: directory.path)
            try await database.apply([.saveIncident(IncidentFixtures.incident(1, severity: .sev1, openedAt: opened))])
        }

        /// Queues one page for `channel` at `at`.
        func queue(
            on channel: NotificationChannel,
            id: String,
            at: Date,
            event: String = "trigger",
            due: Date? = nil
        ) async throws {
            let outgoing = NotificationFixtures.notification(deliveryID: id)
            try await database.apply(
                EscalationWrite(notifications: [
                    OutboxNotification(
                        id: id,
                        incidentID: IncidentID(1),
                        channel: channel.name.rawValue,
                        event: event,
                        messageKind: "initial",
                        recipient: "alice",
                        payload: try NotificationComposer.payload(outgoing),
                        status: .pending,
                        attempts: 0,
                        createdAt: at,
                        nextAttemptAt: due ?? at
                    )
                ])
            )
        }

        func outbox(_ channels: [NotificationChannel]) -> NotificationOutbox {
            NotificationOutbox(
                channels: channels,
                store: database,
                schedule: RetrySchedule(jitter: 0),
                pollInterval: .milliseconds(50),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        }

        func notification(_ id: String) async throws -> OutboxNotificationDetail? {
            try await database.notifications(of: IncidentID(1)).first { $0.notification.id == id }
        }
    }

    private static func webhook(_ name: String, _ url: String, timeout: Int = 10) throws -> NotificationChannel {
        try NotificationFixtures.channel(
            "channels:\n  - {name: \(name), kind: webhook, url: \"\(url)\", timeout_seconds: \(timeout)}\n"
        )
    }

    @Test func aFailingReceiverIsRetriedOnTheScheduleUntilItTakesTheSameDelivery() async throws {
        let hook = try await WebhookReceiver.start()
        try hook.respond(with: [.init(status: 500, body: "down"), .init(status: 503, body: "still down")])
        let harness = try await Harness()
        let channel = try Self.webhook("hook", hook.url())
        let outbox = harness.outbox([channel])
        try await harness.queue(on: channel, id: "n-1", at: Self.opened)

        #expect(await outbox.deliverDue(on: channel, now: Self.opened) == 1)
        var stored = try #require(try await harness.notification("n-1"))
        #expect(stored.notification.status == .pending)
        #expect(stored.notification.lastError?.contains("500") == true)
        let firstRetry = stored.notification.nextAttemptAt
        #expect(firstRetry.timeIntervalSince(Self.opened) >= 2, "2 s after the failure")
        #expect(await outbox.deliverDue(on: channel, now: Self.opened.addingTimeInterval(1)) == 0, "not due yet")

        #expect(await outbox.deliverDue(on: channel, now: firstRetry) == 1)
        stored = try #require(try await harness.notification("n-1"))
        #expect(stored.notification.status == .pending)
        #expect(await outbox.deliverDue(on: channel, now: stored.notification.nextAttemptAt) == 1)

        stored = try #require(try await harness.notification("n-1"))
        #expect(stored.notification.status == .delivered)
        #expect(stored.attempts.map(\.delivered) == [false, false, true])
        #expect(stored.attempts.map(\.retryable) == [true, true, false])
        let requests = try hook.requests()
        #expect(requests.map(\.status) == [500, 503, 200])
        #expect(Set(requests.map { $0.headers["idempotency-key"] ?? "" }) == ["n-1"], "one delivery id throughout")
    }

    @Test func aRefusalIsGivenUpAtOnceAndSaidOnTheTimeline() async throws {
        let hook = try await WebhookReceiver.start()
        try hook.respond(with: [.init(status: 400, body: "bad payload")])
        let harness = try await Harness()
        let channel = try Self.webhook("hook", hook.url())
        try await harness.queue(on: channel, id: "n-2", at: Self.opened)
        await harness.outbox([channel]).deliverDue(on: channel, now: Self.opened)
        let stored = try #require(try await harness.notification("n-2"))
        #expect(stored.notification.status == .failed)
        #expect(stored.attempts.count == 1)
        let timeline = try await harness.database.timeline(of: IncidentID(1))
        #expect(
            timeline.contains {
                $0.kind == .notification && $0.message.hasPrefix("initial notification for alice on hook not delivered after 1 attempt")
            }
        )
    }

    @Test func aRetryableFailurePastTheHorizonIsGivenUp() async throws {
        let harness = try await Harness()
        let refusing = try RefusingPort()
        let channel = try Self.webhook("hook", "http://127.0.0.1:\(refusing.port)/")
        try await harness.queue(on: channel, id: "n-3", at: Self.opened)
        // The first attempt a day after it was queued: the next retry would fall past the 24 h horizon.
        await harness.outbox([channel]).deliverDue(on: channel, now: Self.opened.addingTimeInterval(86_400))
        let stored = try #require(try await harness.notification("n-3"))
        #expect(stored.notification.status == .failed)
        #expect(stored.attempts.first?.retryable == true)
        #expect(stored.notification.lastError?.contains("refused") == true)
    }

    @Test func aSlowChannelHoldsUpNoOther() async throws {
        let slow = try await WebhookReceiver.start()
        try slow.respond(with: [.init(status: 200, body: "", delaySeconds: 30)])
        let fast = try await WebhookReceiver.start()
        let harness = try await Harness()
        let slowChannel = try Self.webhook("slow", slow.url(), timeout: 60)
        let fastChannel = try Self.webhook("fast", fast.url())
        let now = Date()
        try await harness.queue(on: slowChannel, id: "n-slow", at: now)
        try await harness.queue(on: fastChannel, id: "n-fast", at: now)
        let outbox = harness.outbox([slowChannel, fastChannel])
        let running = Task { try await outbox.run() }
        defer { running.cancel() }
        _ = try await fast.waitForRequests(count: 1)
        var fastState = try await harness.notification("n-fast")?.notification.status
        for _ in 0..<100 where fastState != .delivered {
            try await Task.sleep(for: .milliseconds(20))
            fastState = try await harness.notification("n-fast")?.notification.status
        }
        #expect(fastState == .delivered)
        // The slow receiver answers only after 30 s; its notification is still waiting for that answer.
        #expect(try await harness.notification("n-slow")?.notification.status == .pending)
        #expect(try await harness.notification("n-slow")?.attempts.isEmpty == true)
    }

    @Test func aResolutionSupersedesAPageStillWaitingForItsRetry() async throws {
        let harness = try await Harness()
        let pager = try Self.webhook("pager", "http://127.0.0.1:9/")
        let chat = try Self.webhook("chat", "http://127.0.0.1:9/")
        try await harness.queue(on: pager, id: "page", at: Self.opened, due: Self.opened.addingTimeInterval(300))
        try await harness.queue(on: chat, id: "chat-page", at: Self.opened, due: Self.opened.addingTimeInterval(300))
        try await harness.queue(on: pager, id: "resolve", at: Self.opened.addingTimeInterval(60), event: "resolve")
        let page = try #require(try await harness.notification("page")).notification
        #expect(page.status == .failed)
        #expect(page.lastError == "superseded by the resolution")
        #expect(try await harness.notification("chat-page")?.notification.status == .pending, "another channel")
        #expect(try await harness.notification("resolve")?.notification.status == .pending)
    }

    @Test func notificationsOfAChannelNoLongerConfiguredAreGivenUpAtStart() async throws {
        let harness = try await Harness()
        let gone = try Self.webhook("gone", "http://127.0.0.1:9/")
        let kept = try Self.webhook("kept", "http://127.0.0.1:9/")
        try await harness.queue(on: gone, id: "orphan", at: Self.opened)
        try await harness.queue(on: kept, id: "kept", at: Self.opened)
        await harness.outbox([kept]).abandonUnconfiguredChannels(now: Self.opened)
        let orphan = try #require(try await harness.notification("orphan"))
        #expect(orphan.notification.status == .failed)
        #expect(orphan.attempts.map(\.detail) == ["failed for good: channel gone is no longer configured"])
        #expect(try await harness.notification("kept")?.notification.status == .pending)
        let timeline = try await harness.database.timeline(of: IncidentID(1)).map(\.message)
        #expect(timeline.contains("initial notification on gone not delivered: the channel is no longer configured"))
    }

    @Test func queueingTheSameNotificationTwiceKeepsTheFirst() async throws {
        let harness = try await Harness()
        let hook = try Self.webhook("hook", "http://127.0.0.1:9/")
        try await harness.queue(on: hook, id: "same", at: Self.opened)
        try await harness.queue(on: hook, id: "same", at: Self.opened.addingTimeInterval(60))
        let notifications = try await harness.database.notifications(of: IncidentID(1))
        #expect(notifications.map(\.notification.createdAt) == [Self.opened])
    }
}
