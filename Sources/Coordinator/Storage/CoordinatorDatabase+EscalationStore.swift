import Foundation
import GRDB

extension CoordinatorDatabase: EscalationStore {
    func loadEscalations() async throws -> [EscalationState] {
        try await reading("escalations") { db in
            let records = try EscalationRecord.filter(EscalationRecord.Columns.resolutionSent == false).fetchAll(db)
            return try records.map { record in
                let pages = try EscalationPageRecord
                    .filter(EscalationPageRecord.Columns.incidentId == record.incidentId)
                    .order(EscalationPageRecord.Columns.pagedAt)
                    .fetchAll(db)
                return try record.makeState(pages: pages)
            }
        }
    }

    func apply(_ write: EscalationWrite) async throws {
        let states = write.states.map(EscalationRecord.init)
        let pages = try write.pages.map { page throws(StorageError) in try EscalationPageRecord(page) }
        let notifications = write.notifications.map(NotificationRecord.init)
        let events = write.events.map(IncidentEventRecord.init)
        let postmortems = write.postmortems.map(PostmortemRecord.init)
        let updates = try write.statusUpdates.map { posted throws(StorageError) in
            try StatusUpdateRecord(posted.update, of: posted.incidentID)
        }
        let endedSilences = write.endedSilences
        let notedExpiries = write.notedSilenceExpiries
        try await writing("escalation progress") { db in
            for record in states { try record.upsert(db) }
            // A page already there is a step already taken: inserting it again fails the whole transaction,
            // which is what keeps a step from being sent twice.
            for record in pages { try record.insert(db) }
            // A notification's id says what it is for: one already queued is the same notification, kept.
            for record in notifications {
                try record.insert(db, onConflict: .ignore)
                if record.event == EscalationNotice.Event.resolve.rawValue {
                    // A page still waiting for a retry must not reach the channel after the resolution: to a
                    // pager it would open the incident again.
                    try NotificationRecord
                        .filter(NotificationRecord.Columns.incidentId == record.incidentId)
                        .filter(NotificationRecord.Columns.channel == record.channel)
                        .filter(NotificationRecord.Columns.status == OutboxNotification.Status.pending.rawValue)
                        .filter([EscalationNotice.Event.trigger.rawValue, EscalationNotice.Event.acknowledge.rawValue]
                            .contains(NotificationRecord.Columns.event))
                        .updateAll(
                            db,
                            NotificationRecord.Columns.status.set(to: OutboxNotification.Status.failed.rawValue),
                            NotificationRecord.Columns.finishedAt.set(to: record.createdAt),
                            NotificationRecord.Columns.lastError.set(to: "superseded by the resolution")
                        )
                }
            }
            for (id, time) in endedSilences {
                try SilenceRecord.filter(key: id.rawValue).filter(SilenceRecord.Columns.removedAt == nil).updateAll(
                    db,
                    SilenceRecord.Columns.removedAt.set(to: time),
                    SilenceRecord.Columns.removedBy.set(to: Escalator.actorName)
                )
            }
            for (id, time) in notedExpiries {
                try SilenceRecord.filter(key: id.rawValue).updateAll(db, SilenceRecord.Columns.expiryNotedAt.set(to: time))
            }
            for record in events { try record.insert(db) }
            for record in postmortems { try record.upsert(db) }
            for record in updates { try record.insert(db) }
        }
    }

    func dueNotifications(channel: String, at now: Date, limit: Int) async throws -> [OutboxNotification] {
        // Times are stored to the millisecond: one queued "now" must be due at that same "now".
        let dueBy = now.addingTimeInterval(0.001)
        return try await reading("due notifications of \(channel)") { db in
            try NotificationRecord
                .filter(NotificationRecord.Columns.status == OutboxNotification.Status.pending.rawValue)
                .filter(NotificationRecord.Columns.channel == channel)
                .filter(NotificationRecord.Columns.nextAttemptAt <= dueBy)
                .order(NotificationRecord.Columns.nextAttemptAt, NotificationRecord.Columns.createdAt)
                .limit(limit)
                .fetchAll(db)
                .map { try $0.makeNotification() }
        }
    }

    func pendingNotifications(notOn channels: [String]) async throws -> [OutboxNotification] {
        try await reading("notifications of removed channels") { db in
            try NotificationRecord
                .filter(NotificationRecord.Columns.status == OutboxNotification.Status.pending.rawValue)
                .filter(!channels.contains(NotificationRecord.Columns.channel))
                .fetchAll(db)
                .map { try $0.makeNotification() }
        }
    }

    func pendingNotificationCount() async throws -> Int {
        try await reading("pending notifications") { db in
            try NotificationRecord
                .filter(NotificationRecord.Columns.status == OutboxNotification.Status.pending.rawValue)
                .fetchCount(db)
        }
    }

    func record(_ attempt: OutboxAttempt, for notification: OutboxNotification, event: TimelineEvent?) async throws {
        let attemptRecord = NotificationAttemptRecord(attempt)
        let notificationRecord = NotificationRecord(notification)
        let eventRecord = event.map(IncidentEventRecord.init)
        try await writing("delivery attempt of \(notification.id)") { db in
            try attemptRecord.insert(db)
            try notificationRecord.update(db)
            try eventRecord?.insert(db)
        }
    }

    func notifications(of id: IncidentID) async throws -> [OutboxNotificationDetail] {
        try await reading("notifications of incident \(id)") { db in
            let records = try NotificationRecord
                .filter(NotificationRecord.Columns.incidentId == id.rawValue)
                .order(NotificationRecord.Columns.createdAt, NotificationRecord.Columns.id)
                .fetchAll(db)
            return try records.map { record in
                let attempts = try NotificationAttemptRecord
                    .filter(NotificationAttemptRecord.Columns.notificationId == record.id)
                    .order(NotificationAttemptRecord.Columns.attempt)
                    .fetchAll(db)
                return OutboxNotificationDetail(
                    notification: try record.makeNotification(),
                    attempts: attempts.map { $0.makeAttempt() }
                )
            }
        }
    }

    func pages(of id: IncidentID) async throws -> [EscalationPage] {
        try await reading("pages of incident \(id)") { db in
            try EscalationPageRecord
                .filter(EscalationPageRecord.Columns.incidentId == id.rawValue)
                .order(EscalationPageRecord.Columns.pagedAt)
                .fetchAll(db)
                .map { try $0.makePage() }
        }
    }

    func postmortem(of id: IncidentID) async throws -> PostmortemDraft? {
        try await reading("postmortem of incident \(id)") { db in
            try PostmortemRecord.fetchOne(db, key: id.rawValue)?.makeDraft()
        }
    }

    func statusUpdates(of id: IncidentID) async throws -> [StatusUpdate] {
        try await reading("status updates of incident \(id)") { db in
            try StatusUpdateRecord
                .filter(StatusUpdateRecord.Columns.incidentId == id.rawValue)
                .order(StatusUpdateRecord.Columns.id)
                .fetchAll(db)
                .map { try $0.makeUpdate() }
        }
    }
}
