import Foundation
import Logging
import Shared

/// Serves operators' requests about the people side of incidents, over the same store, renderer and composer
/// that escalation uses, so what `vigil message` shows is what the channels receive.
actor PeopleDesk: PeopleOperations {
    static let maximumMessageLength = 4_000
    static let maximumListItems = 20
    static let maximumItemLength = 500

    private let incidents: any IncidentOperations
    private let store: any EscalationStore
    private let commands: any CommandStore
    private let silences: SilenceBook
    private let renderer: MessageRenderer
    private let composer: any EscalationNoticeComposer
    private let paging: [Severity: [PagingChannel]]
    private let settings: OnCallSettings
    private let notificationsQueued: @Sendable () -> Void

    init(
        incidents: any IncidentOperations,
        store: any EscalationStore,
        commands: any CommandStore,
        silences: SilenceBook,
        renderer: MessageRenderer,
        composer: any EscalationNoticeComposer,
        paging: [Severity: [PagingChannel]],
        settings: OnCallSettings,
        notificationsQueued: @escaping @Sendable () -> Void
    ) {
        self.incidents = incidents
        self.store = store
        self.commands = commands
        self.silences = silences
        self.renderer = renderer
        self.composer = composer
        self.paging = paging
        self.settings = settings
        self.notificationsQueued = notificationsQueued
    }

    func postUpdate(_ id: IncidentID, draft: StatusUpdateDraft) async throws(PeopleError) -> StatusUpdate {
        let message = draft.message.trimmingCharacters(in: .whitespacesAndNewlines)
        // Counted as the store counts (code points), and checked before the status changes, so an update the
        // store would refuse changes nothing.
        guard !message.isEmpty, message.unicodeScalars.count <= Self.maximumMessageLength, Self.isText(message) else {
            throw .invalid("message must be 1 to \(Self.maximumMessageLength) characters of text")
        }
        let actions = try Self.items(draft.actionsTaken, field: "actions_taken")
        let nextSteps = try Self.items(draft.nextSteps, field: "next_steps")
        if let eta = draft.eta, eta.unicodeScalars.count > 200 || !Self.isText(eta) {
            throw .invalid("eta must be at most 200 characters of text")
        }
        var incident = try await detail(of: id).incident
        if incident.status != draft.status {
            do {
                incident = try await incidents.setStatus(id, to: draft.status, by: draft.by, note: "status update")
            } catch {
                throw .incident(error)
            }
        }
        let now = Date()
        let update = StatusUpdate(
            time: now,
            status: draft.status,
            message: message,
            actionsTaken: actions,
            nextSteps: nextSteps,
            eta: draft.eta?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty,
            author: draft.by
        )
        try await storing {
            let reached = try await reachedPeople(of: id)
            let notice = EscalationNotice(
                incidentID: id,
                event: .update,
                messageKind: MessageKind.statusUpdate.rawValue,
                recipients: reached,
                postedUpdate: update,
                channels: paging[incident.severity] ?? [],
                reason: "status update by \(draft.by)",
                // Unique without counting what is stored, which two updates posted at once would both count alike.
                key: "update-\(Int64(now.timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8).lowercased())"
            )
            var write = EscalationWrite(
                events: [
                    TimelineEvent(
                        incidentID: id,
                        time: now,
                        kind: .statusUpdate,
                        actor: draft.by,
                        message: "status update (\(draft.status)): \(message)"
                    )
                ],
                statusUpdates: [PostedStatusUpdate(incidentID: id, update: update)]
            )
            write.notifications = try await composer.compose(notice, now: now)
            try await store.apply(write)
            if !write.notifications.isEmpty { notificationsQueued() }
        }
        return update
    }

    func message(_ id: IncidentID, kind: MessageKind) async throws(PeopleError) -> RenderedMessage {
        let detail = try await detail(of: id)
        let updates = try await storing { try await store.statusUpdates(of: id) }
        var recipient: PageRecipient?
        if kind == .page {
            // The page as the incident's primary would get it now.
            let role = settings.role(
                named: settings.routing.role(forKind: detail.incident.kind, service: detail.incident.service)
            )
            let holder = settings.holder(of: .primary, role: role, at: Date()) ?? "nobody on shift"
            recipient = PageRecipient(person: holder, target: .primary)
        }
        do {
            return try renderer.render(kind, for: detail, updates: updates, recipient: recipient, now: Date())
        } catch {
            throw .cannotRender(error.description)
        }
    }

    func postmortem(_ id: IncidentID) async throws(PeopleError) -> PostmortemDocument {
        let detail = try await detail(of: id)
        let (updates, draft, commandDetails) = try await storing {
            let updates = try await store.statusUpdates(of: id)
            let draft = try await store.postmortem(of: id)
            var details: [CommandDetail] = []
            for command in try await commands.commands(matching: CommandQuery(incidentID: id, limit: 1_000)) {
                details.append(CommandDetail(command: command, audit: try await commands.auditEntries(of: command.id)))
            }
            return (updates, draft, details.sorted { $0.command.issuedAt < $1.command.issuedAt })
        }
        let markdown: String
        do {
            markdown = try renderer.postmortem(
                for: detail,
                commands: commandDetails,
                updates: updates,
                status: draft?.status == .final ? .final : .draft,
                dueAt: draft?.dueAt,
                now: Date()
            )
        } catch {
            throw .cannotRender(error.description)
        }
        return PostmortemDocument(incidentID: id, draft: draft, markdown: markdown)
    }

    func finalizePostmortem(_ id: IncidentID, by person: String) async throws(PeopleError) -> PostmortemDraft {
        let incident = try await detail(of: id).incident
        guard incident.status == .resolved else {
            throw .invalid("incident \(id) is not resolved; its postmortem cannot be final yet")
        }
        let now = Date()
        return try await storing {
            let existing = try await store.postmortem(of: id)
            let final = PostmortemDraft(
                incidentID: id,
                status: .final,
                createdAt: existing?.createdAt ?? now,
                dueAt: existing?.dueAt ?? now
            )
            try await store.apply(
                EscalationWrite(
                    events: [
                        TimelineEvent(
                            incidentID: id,
                            time: now,
                            kind: .postmortem,
                            actor: person,
                            message: "postmortem marked final"
                        )
                    ],
                    postmortems: [final]
                )
            )
            return final
        }
    }

    func communications(of id: IncidentID) async throws(PeopleError) -> IncidentCommunications {
        _ = try await detail(of: id)
        return try await storing {
            IncidentCommunications(
                incidentID: id,
                pages: try await store.pages(of: id),
                notifications: try await store.notifications(of: id),
                statusUpdates: try await store.statusUpdates(of: id),
                postmortem: try await store.postmortem(of: id)
            )
        }
    }

    func silence(
        _ id: IncidentID,
        for duration: Duration,
        by person: String,
        reason: String?
    ) async throws(PeopleError) -> Silence {
        let incident = try await detail(of: id).incident
        guard incident.status.isOpen else { throw .invalid("incident \(id) is resolved; there is nothing to silence") }
        guard duration > .zero, duration <= .seconds(7 * 86_400) else {
            throw .invalid("a bound silence lasts more than 0 and at most 7 days")
        }
        let now = Date()
        let silence: Silence
        do {
            silence = try await silences.add(
                SilenceDraft(
                    service: incident.service,
                    kind: incident.kind,
                    startsAt: now,
                    endsAt: now.addingTimeInterval(duration.timeInterval),
                    createdBy: person,
                    reason: reason?.nilIfEmpty ?? "\(person) is on incident \(id); it ends when the incident resolves",
                    incidentID: id
                ),
                now: now
            )
        } catch {
            if case .unavailable(let reason) = error { throw .unavailable(reason) }
            throw .invalid(error.description)
        }
        try await storing {
            try await store.apply(
                EscalationWrite(events: [
                    TimelineEvent(
                        incidentID: id,
                        time: now,
                        kind: .silence,
                        actor: person,
                        message: "silence \(silence.id) (\(silence.matcherText)) until \(Escalator.time(silence.endsAt)): "
                            + "no pages and no automatic fixes; it ends when the incident resolves"
                    )
                ])
            )
        }
        return silence
    }

    // MARK: - Helpers

    private func detail(of id: IncidentID) async throws(PeopleError) -> IncidentDetail {
        do {
            return try await incidents.detail(of: id)
        } catch {
            throw .incident(error)
        }
    }

    /// Everyone paged for the incident so far, who hears its updates.
    private func reachedPeople(of id: IncidentID) async throws -> [OnCallPerson] {
        var names: [String] = []
        for page in try await store.pages(of: id) where page.outcome == .paged {
            if let person = page.person, !names.contains(person) { names.append(person) }
        }
        return names.map { settings.person($0) }
    }

    private func storing<T: Sendable>(_ body: () async throws -> T) async throws(PeopleError) -> T {
        do {
            return try await body()
        } catch let error as PeopleError {
            throw error
        } catch let error as MessageError {
            throw .cannotRender(error.description)
        } catch let error as IncidentOperationError {
            throw .incident(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// No control characters but line breaks and tabs: a NUL would cut the text short in the store.
    private static func isText(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            scalar == "\n" || scalar == "\t" || scalar.properties.generalCategory != .control
        }
    }

    private static func items(_ items: [String], field: String) throws(PeopleError) -> [String] {
        let cleaned = items.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard cleaned.count <= maximumListItems,
            cleaned.allSatisfy({ $0.unicodeScalars.count <= maximumItemLength && isText($0) })
        else {
            throw .invalid("\(field) takes at most \(maximumListItems) items of at most \(maximumItemLength) characters")
        }
        return cleaned
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
