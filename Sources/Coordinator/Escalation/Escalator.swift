import Foundation
import Logging
import Shared

/// Climbs each open incident's escalation policy on a clock: pages the holder of each step when it falls due,
/// stops at an acknowledgement, re-plans on a severity change, holds while a silence matches, and announces the
/// acknowledgement and the resolution on the channels that paged. Every step, and every reason not to page, is
/// a timeline line written in the same transaction as the page and its notifications, so a restart neither
/// skips a step nor sends one twice.
actor Escalator {
    /// The timeline's actor for escalation's lines.
    static let actorName = "vigil"
    /// How long before the first pass an incident without a stored climb may have opened and still be climbed
    /// from its opening (a restart right after it opened), rather than from now.
    static let startGrace: Duration = .seconds(120)

    private let settings: OnCallSettings
    private let paging: [Severity: [PagingChannel]]
    private let store: any EscalationStore
    private let context: any EscalationContext
    private let silences: SilenceBook?
    private let composer: any EscalationNoticeComposer
    private let notificationsQueued: @Sendable () -> Void
    private let logger: Logger
    private var states: [IncidentID: EscalationState] = [:]
    private var loaded = false
    private var lastFailure: String?
    /// When the first pass ran; an incident opened well before it, with no stored climb, predates paging.
    private var firstPassAt: Date?
    /// Signalled every second and whenever incident changes were committed; each signal is one pass.
    let passes: AsyncStream<Void>
    private let pass: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - paging: the channels each severity pages on.
    ///   - notificationsQueued: called after notifications were written, to wake whatever delivers them.
    init(
        settings: OnCallSettings,
        paging: [Severity: [PagingChannel]],
        store: any EscalationStore,
        context: any EscalationContext,
        silences: SilenceBook?,
        composer: any EscalationNoticeComposer,
        notificationsQueued: @escaping @Sendable () -> Void = {},
        logger: Logger
    ) {
        self.settings = settings
        self.paging = paging
        self.store = store
        self.context = context
        self.silences = silences
        self.composer = composer
        self.notificationsQueued = notificationsQueued
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "escalation"
        self.logger = logger
        (passes, pass) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass as soon as the current one (if any) is done.
    nonisolated func incidentsChanged() { pass.yield() }

    /// One pass over every incident at `now`. A failure (the store, say) leaves memory as it was, so the next
    /// pass takes the same steps again: late, never lost, never twice. One incident's failure holds up no other.
    func tick(now: Date) async {
        var failures: [String] = []
        if !loaded {
            do {
                states = Dictionary(
                    try await store.loadEscalations().map { ($0.incidentID, $0) },
                    uniquingKeysWith: { first, _ in first }
                )
                loaded = true
                firstPassAt = now
            } catch {
                failures.append("loading escalations: \(error)")
            }
        }
        var open: [Incident] = []
        if loaded {
            do {
                open = try await context.openIncidentsForEscalation().sorted { $0.id < $1.id }
            } catch {
                failures.append("reading open incidents: \(error)")
            }
        }
        if loaded, failures.isEmpty {
            let active = await silences?.activeSilences(at: now) ?? []
            for incident in open {
                do {
                    try await advance(incident, silences: active, now: now)
                } catch {
                    failures.append("incident \(incident.id): \(error)")
                }
            }
            let openIDs = Set(open.map(\.id))
            for id in states.keys.sorted() where !openIDs.contains(id) {
                do {
                    try await close(id, now: now)
                } catch {
                    failures.append("incident \(id): \(error)")
                }
            }
            failures += await noteExpiredSilences(open: open, now: now)
        }
        guard failures.isEmpty else {
            let reason = failures.joined(separator: "; ")
            if lastFailure != reason {
                logger.error("escalation pass failed in part; retrying", metadata: ["error": "\(reason)"])
            }
            lastFailure = reason
            return
        }
        if lastFailure != nil {
            logger.info("escalation is writing again")
            lastFailure = nil
        }
    }

    // MARK: - Open incidents

    private func advance(_ incident: Incident, silences active: [Silence], now: Date) async throws {
        let known = states[incident.id]
        var state = known ?? EscalationState(incident: incident, now: now)
        var events: [TimelineEvent] = []
        var notices: [EscalationNotice] = []
        var pages: [EscalationPage] = []
        if known == nil, incident.reopenCount == 0, let firstPassAt,
            incident.openedAt < firstPassAt.addingTimeInterval(-Self.startGrace.timeInterval)
        {
            // Open before paging ran at all (the first start with escalation): climbing from its opening would
            // page every step at once, so the climb starts now.
            state.clockStartedAt = now
            events.append(event(incident, now, .escalation, "escalation starts now: the incident opened before paging ran"))
        }
        if known == nil, incident.reopenCount > 0 {
            // Reopened while its earlier climb was closed (or before a restart): a new round from now, not a
            // catch-up on every step since it first opened. An acknowledged incident stays acknowledged, with
            // nothing left to announce.
            state.round = incident.reopenCount + 1
            state.clockStartedAt = now
            state.acknowledgementSent = incident.acknowledgedAt != nil
            events.append(reopened(incident, now))
        }
        if incident.reopenCount + 1 > state.round {
            state.round = incident.reopenCount + 1
            state.paged = []
            state.clockStartedAt = now
            state.acknowledgementSent = incident.acknowledgedAt != nil && state.acknowledgementSent
            events.append(reopened(incident, now))
        }

        if let acknowledgedAt = incident.acknowledgedAt {
            if !state.acknowledgementSent {
                state.acknowledgementSent = true
                let spared = (settings.policies[incident.severity]?.steps ?? []).map(\.target)
                    .filter { !state.paged.contains($0) }
                let sparedText = spared.isEmpty ? "" : "; not paged: \(spared.map(\.rawValue).joined(separator: ", "))"
                events.append(
                    event(
                        incident,
                        now,
                        .escalation,
                        "escalation stopped: acknowledged by \(incident.acknowledgedBy ?? "someone") at "
                            + "\(Self.time(acknowledgedAt))\(sparedText)"
                    )
                )
                let channels = pagedChannels(state)
                if !channels.isEmpty {
                    notices.append(
                        EscalationNotice(
                            incidentID: incident.id,
                            event: .acknowledge,
                            messageKind: "acknowledged",
                            recipients: [],
                            channels: channels,
                            reason: "acknowledged by \(incident.acknowledgedBy ?? "someone")",
                            key: "r\(state.round)-acknowledge"
                        )
                    )
                }
            }
            try await save(state, known: known, pages: [], notices: notices, events: events, now: now)
            return
        }

        if let silence = active.first(where: { $0.matches(incident) }) {
            if state.heldBySilence != silence.id {
                state.heldBySilence = silence.id
                events.append(
                    event(
                        incident,
                        now,
                        .escalation,
                        "silenced by \(silence.id) (\(silence.matcherText)) until \(Self.time(silence.endsAt)): "
                            + "nobody is paged while it lasts"
                    )
                )
            }
            try await save(state, known: known, pages: [], notices: [], events: events, now: now)
            return
        }
        if let held = state.heldBySilence {
            state.heldBySilence = nil
            state.clockStartedAt = now
            events.append(event(incident, now, .escalation, "silence \(held) no longer holds it: escalation resumes"))
        }

        if incident.severity != state.severity {
            events.append(
                event(
                    incident,
                    now,
                    .escalation,
                    "escalation re-planned for \(incident.severity) (was \(state.severity))"
                )
            )
            state.severity = incident.severity
        }

        let roleName = settings.routing.role(forKind: incident.kind, service: incident.service)
        let role = settings.role(named: roleName)
        let channels = paging[incident.severity] ?? []
        let steps = settings.policies[incident.severity]?.steps ?? []
        for due in state.plan.due(
            for: incident,
            policies: settings.policies,
            businessHours: settings.businessHours,
            now: now
        ) {
            let number = (steps.firstIndex { $0.target == due.target } ?? 0) + 1
            let minutes = Int(due.dueAt.timeIntervalSince(state.clockStartedAt) / 60)
            let stepText = "step \(number) of \(incident.severity) (+\(minutes) min)"
            let position = "\(roleName) \(due.target)"
            var page = EscalationPage(
                incidentID: incident.id,
                round: state.round,
                target: due.target,
                role: roleName,
                person: nil,
                severity: incident.severity,
                dueAt: due.dueAt,
                pagedAt: now,
                outcome: .nobodyOnShift,
                channels: []
            )
            guard let holder = settings.holder(of: due.target, role: role, at: now) else {
                events.append(
                    event(incident, now, .paged, "\(stepText): nobody on shift as \(position); the climb goes on")
                )
                pages.append(page)
                state.paged.insert(due.target)
                continue
            }
            let person = settings.person(holder)
            let reaching = channels.filter { $0.reaches(person) }
            page.person = holder
            page.channels = reaching.map(\.name)
            state.paged.insert(due.target)
            guard !reaching.isEmpty else {
                page.outcome = .unreachable
                let why = channels.isEmpty ? "no channel pages \(incident.severity)" : "no \(incident.severity) channel reaches them"
                events.append(event(incident, now, .paged, "\(stepText): could not page \(holder) (\(position)): \(why)"))
                pages.append(page)
                continue
            }
            page.outcome = .paged
            pages.append(page)
            if !state.reached.contains(holder) { state.reached.append(holder) }
            for name in page.channels where !state.channels.contains(name) { state.channels.append(name) }
            let first = due.target == steps.first?.target
            notices.append(
                EscalationNotice(
                    incidentID: incident.id,
                    event: .trigger,
                    messageKind: first ? "initial" : "page",
                    recipients: [person],
                    target: due.target,
                    channels: reaching,
                    reason: "\(position), \(stepText)",
                    key: "r\(state.round)-\(due.target)"
                )
            )
            events.append(
                event(
                    incident,
                    now,
                    .paged,
                    "paged \(holder) (\(position)) via \(page.channels.joined(separator: ", ")): \(stepText)"
                )
            )
        }
        try await save(state, known: known, pages: pages, notices: notices, events: events, now: now)
    }

    // MARK: - Resolved incidents

    private func close(_ id: IncidentID, now: Date) async throws {
        guard var state = states[id] else { return }
        guard let incident = try await context.incidentForEscalation(id) else {
            // Its row is gone (the store was pruned): nothing left to announce.
            states[id] = nil
            return
        }
        guard incident.status == .resolved else { return }
        var events: [TimelineEvent] = []
        var notices: [EscalationNotice] = []
        var postmortems: [PostmortemDraft] = []
        let channels = pagedChannels(state)
        if !channels.isEmpty {
            notices.append(
                EscalationNotice(
                    incidentID: id,
                    event: .resolve,
                    messageKind: "resolution",
                    recipients: state.reached.map { settings.person($0) },
                    channels: channels,
                    reason: "resolved by \(incident.resolvedBy ?? "vigil")",
                    key: "r\(state.round)-resolve"
                )
            )
        }
        if incident.peakSeverity >= .sev2, try await store.postmortem(of: id) == nil {
            let draft = PostmortemDraft(
                incidentID: id,
                status: .draft,
                createdAt: now,
                dueAt: now.addingTimeInterval(PostmortemDraft.dueAfter)
            )
            postmortems.append(draft)
            events.append(
                event(
                    incident,
                    now,
                    .postmortem,
                    "postmortem draft created, due \(Self.time(draft.dueAt)) (vigil postmortem \(id))"
                )
            )
        }
        state.resolutionSent = true
        state.heldBySilence = nil
        var write = EscalationWrite(states: [state], events: events, postmortems: postmortems)
        // Its bound silences end with it, in the same transaction: a silence left behind would hold the next
        // incident of its kind.
        let bound = await silences?.boundSilences(of: id) ?? []
        for silence in bound {
            write.endedSilences[silence.id] = now
            write.events.append(event(incident, now, .silence, "silence \(silence.id) ended: the incident resolved"))
        }
        write.notifications = try await compose(notices, now: now)
        try await store.apply(write)
        states[id] = nil
        for silence in bound { await silences?.forget(silence.id) }
        if !write.notifications.isEmpty { notificationsQueued() }
    }

    /// A bound silence that ran out while its incident is still open: the timeline says so and the people
    /// involved are told, once; the note is written with the notice, so neither repeats.
    /// Returns what failed, one line per silence.
    private func noteExpiredSilences(open: [Incident], now: Date) async -> [String] {
        guard let silences else { return [] }
        var failures: [String] = []
        let openByID = Dictionary(open.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for silence in await silences.expiredBoundSilences(at: now) {
            do {
                var write = EscalationWrite(notedSilenceExpiries: [silence.id: now])
                if let id = silence.incidentID, let incident = openByID[id] {
                    let reached = states[id]?.reached ?? []
                    var recipients = reached.map { settings.person($0) }
                    if let acknowledger = incident.acknowledgedBy, !reached.contains(acknowledger) {
                        recipients.append(settings.person(acknowledger))
                    }
                    let expired = "silence \(silence.id) expired at \(Self.time(silence.endsAt))"
                    let notice = EscalationNotice(
                        incidentID: id,
                        event: .update,
                        messageKind: "silence-expired",
                        recipients: recipients,
                        channels: paging[incident.severity] ?? [],
                        reason: "\(expired) while the incident is open",
                        key: "silence-\(silence.id)-expired"
                    )
                    write.events = [
                        event(
                            incident,
                            now,
                            .silence,
                            "\(expired) while the incident is still \(incident.status); paging resumes unless it is "
                                + "acknowledged"
                        )
                    ]
                    write.notifications = try await compose([notice], now: now)
                }
                try await store.apply(write)
                await silences.forget(silence.id)
                if !write.notifications.isEmpty { notificationsQueued() }
            } catch {
                failures.append("silence \(silence.id): \(error)")
            }
        }
        return failures
    }

    // MARK: - Writing

    private func save(
        _ state: EscalationState,
        known: EscalationState?,
        pages: [EscalationPage],
        notices: [EscalationNotice],
        events: [TimelineEvent],
        now: Date
    ) async throws {
        guard known != state || !pages.isEmpty || !events.isEmpty || !notices.isEmpty else { return }
        var state = state
        state.updatedAt = now
        var write = EscalationWrite(states: [state], pages: pages, events: events)
        write.notifications = try await compose(notices, now: now)
        try await store.apply(write)
        states[state.incidentID] = state
        if !write.notifications.isEmpty { notificationsQueued() }
        for page in pages {
            logger.notice(
                "escalation step",
                metadata: [
                    "incident.id": "\(page.incidentID)", "target": "\(page.target)", "person": "\(page.person ?? "-")",
                    "outcome": "\(page.outcome.rawValue)",
                ]
            )
        }
    }

    private func compose(_ notices: [EscalationNotice], now: Date) async throws -> [OutboxNotification] {
        var notifications: [OutboxNotification] = []
        for notice in notices { notifications += try await composer.compose(notice, now: now) }
        return notifications
    }

    /// The channels that carried this incident's pages, as configured now (a channel removed since is skipped).
    private func pagedChannels(_ state: EscalationState) -> [PagingChannel] {
        let known = Dictionary(
            paging.values.flatMap { $0 }.map { ($0.name, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        return state.channels.compactMap { known[$0] }
    }

    private func reopened(_ incident: Incident, _ now: Date) -> TimelineEvent {
        let message =
            incident.acknowledgedBy.map { "the incident reopened; it stays acknowledged by \($0), so nobody is paged" }
            ?? "the incident reopened: escalation starts again"
        return event(incident, now, .escalation, message)
    }

    private func event(_ incident: Incident, _ now: Date, _ kind: TimelineEvent.Kind, _ message: String) -> TimelineEvent {
        TimelineEvent(incidentID: incident.id, time: now, kind: kind, actor: Self.actorName, message: message)
    }

    /// UTC with its `Z`, so a timeline line never reads as local time.
    static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
