import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Delivers the notifications escalation queued, one worker per channel so that a channel that is down or slow
/// never holds up the others (or detection, which only ever writes rows). Each attempt and its outcome is
/// recorded; a retryable failure is tried again on the retry schedule until its horizon, and a notification
/// given up on says so on the incident's timeline.
///
/// A notification whose attempt was under way when the coordinator stopped is sent again after the restart:
/// delivery is at least once, and receivers deduplicate by its delivery id.
actor NotificationOutbox {
    private let channels: [NotificationChannel]
    private let store: any EscalationStore
    private let notifier: any Notifier
    private let schedule: RetrySchedule
    private let pollInterval: Duration
    private let logger: Logger
    /// One stream per channel (in `channels` order), signalled at every poll and whenever notifications are queued.
    private let signals: [AsyncStream<Void>]
    private let signalled: [AsyncStream<Void>.Continuation]
    /// How each channel fared last, by name.
    private var channelStatus: [String: NotificationStatus.Channel] = [:]
    /// Notifications whose attempt could not be recorded, and when they may be attempted again: the row still
    /// says it is due, and resending it every poll while the store refuses writes would flood the channel.
    private var notBefore: [String: Date] = [:]

    init(
        channels: [NotificationChannel],
        store: any EscalationStore,
        notifier: any Notifier = NotificationSender(),
        schedule: RetrySchedule = RetrySchedule(),
        pollInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.channels = channels
        self.store = store
        self.notifier = notifier
        self.schedule = schedule
        self.pollInterval = pollInterval
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "notify"
        self.logger = logger
        let streams = channels.map { _ in AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1)) }
        signals = streams.map(\.stream)
        signalled = streams.map(\.continuation)
    }

    /// Says new notifications were queued; the workers look at once rather than at their next poll.
    nonisolated func notificationsQueued() {
        for signal in signalled { signal.yield() }
    }

    /// Attempts every notification of `channel` due at `now`, in order; returns how many were attempted.
    @discardableResult
    func deliverDue(on channel: NotificationChannel, now: Date) async -> Int {
        let due: [OutboxNotification]
        do {
            due = try await store.dueNotifications(channel: channel.name.rawValue, at: now, limit: 32)
        } catch {
            logger.warning("cannot read queued notifications", metadata: ["error": "\(error)"])
            return 0
        }
        let ready = due.filter { notBefore[$0.id].map { $0 <= now } ?? true }
        // Each attempt starts when the one before it ended, by the outbox's clock, so a slow batch keeps the
        // retry schedule honest.
        let clock = ContinuousClock()
        let batchStarted = clock.now
        for notification in ready {
            let startedAt = now.addingTimeInterval((clock.now - batchStarted).timeInterval)
            await attempt(notification, on: channel, at: startedAt)
        }
        return ready.count
    }

    /// One attempt, started at `startedAt` by the outbox's clock; its end is that plus the time it really took.
    private func attempt(_ queued: OutboxNotification, on channel: NotificationChannel, at startedAt: Date) async {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: DeliveryOutcome
        do {
            outcome = await notifier.deliver(
                try NotificationComposer.notification(fromPayload: queued.payload),
                via: channel
            )
        } catch {
            outcome = .failed(.invalidNotification, retryable: false, "the queued notification cannot be read: \(error)")
        }
        let finishedAt = startedAt.addingTimeInterval((clock.now - started).timeInterval)
        var notification = queued
        notification.attempts += 1
        var event: TimelineEvent?
        switch outcome.result {
        case .delivered, .skipped:
            notification.status = .delivered
            notification.finishedAt = finishedAt
            notification.lastError = nil
        case .failed(let retryable):
            notification.lastError = outcome.detail
            let decision = schedule.decision(
                afterAttempt: notification.attempts,
                retryable: retryable,
                firstAttemptAt: queued.createdAt,
                failedAt: finishedAt,
                jitterSample: Double.random(in: 0..<1)
            )
            switch decision {
            case .retry(let at):
                notification.nextAttemptAt = at
            case .giveUp:
                notification.status = .failed
                notification.finishedAt = finishedAt
                let whom = notification.recipient.map { " for \($0)" } ?? ""
                event = TimelineEvent(
                    incidentID: notification.incidentID,
                    time: finishedAt,
                    kind: .notification,
                    actor: Escalator.actorName,
                    message: "\(notification.messageKind) notification\(whom) on \(channel.name) not delivered after "
                        + "\(notification.attempts) attempt\(notification.attempts == 1 ? "" : "s"): \(outcome.detail)"
                )
            }
        }
        let attempt = OutboxAttempt(
            notificationID: queued.id,
            attempt: notification.attempts,
            startedAt: startedAt,
            durationMilliseconds: max(0, finishedAt.timeIntervalSince(startedAt) * 1000),
            delivered: outcome.isDelivered || outcome.result == .skipped,
            retryable: outcome.isRetryable,
            detail: outcome.description
        )
        do {
            try await store.record(attempt, for: notification, event: event)
            notBefore[queued.id] = nil
        } catch {
            // The row still says pending at the old time: the notification is attempted again, not lost, but not
            // before its next attempt is due (an hour on, when it did arrive: at least once, not every second).
            notBefore[queued.id] =
                notification.status == .pending
                ? notification.nextAttemptAt : finishedAt.addingTimeInterval(3_600)
            logger.error(
                "cannot record a delivery attempt",
                metadata: ["notification.id": "\(queued.id)", "error": "\(error)"]
            )
        }
        log(outcome, notification, channel)
    }

    private func log(_ outcome: DeliveryOutcome, _ notification: OutboxNotification, _ channel: NotificationChannel) {
        let metadata: Logger.Metadata = [
            "channel": "\(channel.name)", "notification.id": "\(notification.id)",
            "incident.id": "\(notification.incidentID)", "attempt": "\(notification.attempts)",
            "outcome": "\(outcome)",
        ]
        let name = channel.name.rawValue
        var status = channelStatus[name]
            ?? NotificationStatus.Channel(name: name, kind: channel.kind.rawValue)
        if outcome.isDelivered || outcome.result == .skipped {
            if status.failing != nil { logger.notice("channel delivers again", metadata: metadata) }
            logger.info("notification delivered", metadata: metadata)
            status.lastDeliveredAt = Date()
            status.failing = nil
        } else {
            logger.warning("notification not delivered", metadata: metadata)
            status.lastFailedAt = Date()
            status.failing = outcome.detail
        }
        channelStatus[name] = status
    }
}

extension NotificationOutbox {
    /// Notifications queued for a channel the configuration no longer has would wait for ever: each is given
    /// up with that reason, on its incident's timeline too.
    func abandonUnconfiguredChannels(now: Date) async {
        let orphans: [OutboxNotification]
        do {
            orphans = try await store.pendingNotifications(notOn: channels.map(\.name.rawValue))
        } catch {
            logger.warning("cannot look for notifications of removed channels", metadata: ["error": "\(error)"])
            return
        }
        for queued in orphans {
            var notification = queued
            notification.attempts += 1
            notification.status = .failed
            notification.finishedAt = now
            notification.lastError = "channel \(queued.channel) is no longer configured"
            let attempt = OutboxAttempt(
                notificationID: queued.id,
                attempt: notification.attempts,
                startedAt: now,
                durationMilliseconds: 0,
                delivered: false,
                retryable: false,
                detail: "failed for good: channel \(queued.channel) is no longer configured"
            )
            let event = TimelineEvent(
                incidentID: queued.incidentID,
                time: now,
                kind: .notification,
                actor: Escalator.actorName,
                message: "\(queued.messageKind) notification on \(queued.channel) not delivered: the channel is no "
                    + "longer configured"
            )
            do {
                try await store.record(attempt, for: notification, event: event)
            } catch {
                logger.warning("cannot give up a notification", metadata: ["notification.id": "\(queued.id)"])
            }
        }
    }
}

extension NotificationOutbox: NotificationOverview {
    func status() async -> NotificationStatus {
        NotificationStatus(
            pending: try? await store.pendingNotificationCount(),
            channels: channels.map { channel in
                channelStatus[channel.name.rawValue]
                    ?? NotificationStatus.Channel(name: channel.name.rawValue, kind: channel.kind.rawValue)
            }
        )
    }
}

extension NotificationOutbox: Service {
    /// One worker per channel, each looking for due notifications when signalled; a poll signals them all, so
    /// retries come due without anyone queueing anything.
    func run() async throws {
        let work = Array(zip(channels, signals))
        let pollInterval = self.pollInterval
        await abandonUnconfiguredChannels(now: Date())
        guard !work.isEmpty else {
            // Nothing to deliver; a service that returned early would stop the whole coordinator.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for (channel, signal) in work {
                    group.addTask {
                        for await _ in signal { await self.deliverDue(on: channel, now: Date()) }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        self.notificationsQueued()
                        try? await Task.sleep(for: pollInterval)
                    }
                }
            }
        }
    }
}
