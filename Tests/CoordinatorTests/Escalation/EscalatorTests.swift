import Foundation
import Logging
import Shared
import Synchronization
import Testing

@testable import Coordinator

/// The escalator on a scripted clock over a real SQLite store: who is paged at which minute, what stops and
/// re-plans the climb, and that a restart neither skips a step nor repeats one.
@Suite struct EscalatorTests {
    private static let opened = Date(timeIntervalSince1970: 1_800_000_000)
    private static let pager = PagingChannel(name: "pager", reach: .team)
    private static let mail = PagingChannel(name: "mail", reach: .personalAddress)

    /// Incidents as detection would hand them over, changed by the test as time passes.
    final class ScriptedIncidents: EscalationContext {
        let incidents = Mutex<[IncidentID: Incident]>([:])

        func set(_ incident: Incident) { incidents.withLock { $0[incident.id] = incident } }
        func update(_ id: IncidentID, _ change: (inout Incident) -> Void) {
            incidents.withLock { all in if var incident = all[id] { change(&incident); all[id] = incident } }
        }
        func openIncidentsForEscalation() async throws -> [Incident] {
            incidents.withLock { Array($0.values.filter { $0.status.isOpen }) }
        }
        func incidentForEscalation(_ id: IncidentID) async throws -> Incident? { incidents.withLock { $0[id] } }
    }

    /// One notification per channel and recipient, with the notice's kind in the payload.
    struct PlainComposer: EscalationNoticeComposer {
        func compose(_ notice: EscalationNotice, now: Date) async throws -> [OutboxNotification] {
            notice.channels.map { channel in
                OutboxNotification(
                    id: "\(notice.incidentID)-\(notice.key)-\(channel.name)",
                    incidentID: notice.incidentID,
                    channel: channel.name,
                    event: notice.event.rawValue,
                    messageKind: notice.messageKind,
                    recipient: notice.recipients.first?.name,
                    payload: "{}",
                    status: .pending,
                    attempts: 0,
                    createdAt: now,
                    nextAttemptAt: now
                )
            }
        }
    }

    private final class Harness {
        let directory: TemporaryDirectory
        let database: CoordinatorDatabase
        let incidents = ScriptedIncidents()

        init() async throws {
            directory = try TemporaryDirectory()
            database = try CoordinatorDatabase.open(directory: directory.path)
        }

        func open(_ severity: Severity, service: String = "checkout", kind: String = "high_error_rate") async throws {
            let incident = Incident(
                id: IncidentID(1),
                kind: IncidentKind(kind),
                service: service,
                severity: severity,
                peakSeverity: severity,
                status: .investigating,
                title: "Error ratio 12% above 5% on checkout",
                openedAt: EscalatorTests.opened,
                responseDueAt: EscalatorTests.opened.addingTimeInterval(severity.responseTime.timeInterval),
                affectedNodes: [NodeID("web-1")].compactMap { $0 },
                reopenCount: 0,
                peakBadness: 2,
                updatedAt: EscalatorTests.opened
            )
            try await database.apply([.saveIncident(incident)])
            incidents.set(incident)
        }

        func escalator(
            settings: OnCallSettings = .playbook,
            channels: [PagingChannel] = [EscalatorTests.pager],
            silences: SilenceBook? = nil
        ) -> Escalator {
            Escalator(
                settings: settings,
                paging: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, channels) }),
                store: database,
                context: incidents,
                silences: silences,
                composer: PlainComposer(),
                logger: Logger(label: "test")
            )
        }

        /// Ticks once a minute over `minutes`, running `script` before each tick.
        func run(
            _ escalator: Escalator,
            minutes: ClosedRange<Int>,
            script: (Int) async throws -> Void = { _ in }
        ) async throws {
            for minute in minutes {
                try await script(minute)
                await escalator.tick(now: EscalatorTests.minute(minute))
            }
        }

        /// Each page as "target person @minute".
        func pages() async throws -> [String] {
            try await database.pages(of: IncidentID(1)).map { page in
                let minute = Int(page.pagedAt.timeIntervalSince(EscalatorTests.opened) / 60)
                return "\(page.target) \(page.person ?? "-") @\(minute) \(page.outcome.rawValue)"
            }
        }

        func timeline() async throws -> [String] {
            try await database.timeline(of: IncidentID(1)).map(\.message)
        }
    }

    private static func minute(_ minute: Int) -> Date { opened.addingTimeInterval(TimeInterval(minute * 60)) }

    @Test func anUnacknowledgedSev1PagesPrimarySecondaryManagerAndVPAtZeroFiveTenAndTwenty() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        try await harness.run(harness.escalator(), minutes: 0...30)
        #expect(
            try await harness.pages() == [
                "primary alice @0 paged", "secondary bob @5 paged", "manager carol @10 paged", "vp john @20 paged",
            ]
        )
        let notifications = try await harness.database.notifications(of: IncidentID(1)).map(\.notification)
        #expect(notifications.map(\.messageKind) == ["initial", "page", "page", "page"])
        #expect(notifications.map(\.recipient) == ["alice", "bob", "carol", "john"])
        #expect(try await harness.timeline().contains("paged carol (sre manager) via pager: step 3 of SEV-1 (+10 min)"))
    }

    @Test func anAcknowledgementAtMinuteSevenStopsTheClimbBeforeTheManager() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        try await harness.run(harness.escalator(), minutes: 0...30) { minute in
            if minute == 7 {
                harness.incidents.update(IncidentID(1)) { incident in
                    incident.acknowledgedAt = EscalatorTests.minute(7)
                    incident.acknowledgedBy = "bob"
                }
            }
        }
        #expect(try await harness.pages() == ["primary alice @0 paged", "secondary bob @5 paged"])
        #expect(
            try await harness.timeline().contains {
                $0.hasPrefix("escalation stopped: acknowledged by bob") && $0.hasSuffix("not paged: manager, vp")
            }
        )
        let events = try await harness.database.notifications(of: IncidentID(1)).map(\.notification.event)
        #expect(events == ["trigger", "trigger", "acknowledge"], "the pager hears the acknowledgement")
    }

    @Test func aRestartNeitherSkipsNorRepeatsAStep() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        try await harness.run(harness.escalator(), minutes: 0...6)
        // A new escalator over the same store, as after a restart, resumes from the stored steps; minutes 7 to 9
        // pass while the coordinator is down and the manager's step, due at 10, fires at 12.
        try await harness.run(harness.escalator(), minutes: 12...12)
        try await harness.run(harness.escalator(), minutes: 13...21)
        #expect(
            try await harness.pages() == [
                "primary alice @0 paged", "secondary bob @5 paged", "manager carol @12 paged", "vp john @20 paged",
            ]
        )
        #expect(try await harness.database.notifications(of: IncidentID(1)).count == 4)
    }

    @Test func raisingTheSeverityReplansWithoutPagingAnyoneTwice() async throws {
        let harness = try await Harness()
        try await harness.open(.sev2)
        try await harness.run(harness.escalator(), minutes: 0...25) { minute in
            if minute == 8 { harness.incidents.update(IncidentID(1)) { $0.severity = .sev1 } }
        }
        // SEV-2 pages the primary at 0; as SEV-1 from minute 8 the secondary (due at 5) and then the manager
        // at 10 and the VP at 20 follow.
        #expect(
            try await harness.pages() == [
                "primary alice @0 paged", "secondary bob @8 paged", "manager carol @10 paged", "vp john @20 paged",
            ]
        )
        #expect(try await harness.timeline().contains("escalation re-planned for SEV-1 (was SEV-2)"))
    }

    @Test func aStepWithNobodyOnShiftIsRecordedAndTheClimbGoesOn() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        var settings = OnCallSettings.playbook
        settings.vp = nil
        // The secondary's rotation only starts tomorrow.
        settings.roles[0].secondary.start = Self.opened.addingTimeInterval(86_400)
        try await harness.run(harness.escalator(settings: settings), minutes: 0...21)
        #expect(
            try await harness.pages() == [
                "primary alice @0 paged", "secondary - @5 nobody_on_shift", "manager carol @10 paged",
                "vp - @20 nobody_on_shift",
            ]
        )
        #expect(
            try await harness.timeline().contains("step 2 of SEV-1 (+5 min): nobody on shift as sre secondary; the climb goes on")
        )
    }

    @Test func aPersonNoChannelCanReachIsFlaggedOnTheTimeline() async throws {
        let harness = try await Harness()
        try await harness.open(.sev3)
        var settings = OnCallSettings.playbook
        settings.people["alice"] = OnCallPerson(name: "alice", email: "alice@example.com")
        try await harness.run(harness.escalator(settings: settings, channels: [Self.mail]), minutes: 0...31)
        #expect(try await harness.pages() == ["primary alice @0 paged", "secondary bob @30 unreachable"])
        #expect(
            try await harness.timeline().contains(
                "step 2 of SEV-3 (+30 min): could not page bob (sre secondary): no SEV-3 channel reaches them"
            )
        )
    }

    @Test func aSilenceHoldsThePageAndTheClimbRestartsWhenItEnds() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        let silences = SilenceBook(store: harness.database, silences: [], logger: Logger(label: "test"))
        let silence = try await silences.add(
            SilenceDraft(
                service: "checkout",
                startsAt: Self.minute(-1),
                endsAt: Self.minute(60),
                createdBy: "ana",
                reason: "migration"
            ),
            now: Self.minute(-1)
        )
        let escalator = harness.escalator(silences: silences)
        try await harness.run(escalator, minutes: 0...30) { minute in
            if minute == 15 { _ = try await silences.remove(silence.id, by: "ana", now: Self.minute(15)) }
        }
        #expect(try await harness.pages() == ["primary alice @15 paged", "secondary bob @20 paged", "manager carol @25 paged"])
        let timeline = try await harness.timeline()
        #expect(timeline.contains { $0.hasPrefix("silenced by \(silence.id) (service=checkout)") })
        #expect(timeline.contains("silence \(silence.id) no longer holds it: escalation resumes"))
    }

    @Test func resolvingASev1AnnouncesItOnThePagerAndCreatesAPostmortemDraftDueIn48Hours() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        try await harness.run(harness.escalator(), minutes: 0...3) { minute in
            if minute == 3 {
                harness.incidents.update(IncidentID(1)) { incident in
                    incident.status = .resolved
                    incident.resolvedAt = EscalatorTests.minute(3)
                    incident.resolvedBy = "alice"
                }
            }
        }
        let draft = try #require(try await harness.database.postmortem(of: IncidentID(1)))
        #expect(draft.status == .draft)
        #expect(draft.dueAt == Self.minute(3).addingTimeInterval(48 * 3600))
        let notifications = try await harness.database.notifications(of: IncidentID(1)).map(\.notification)
        #expect(notifications.map(\.event) == ["trigger", "resolve"])
        #expect(try await harness.database.loadEscalations().isEmpty, "nothing left to do for it")
    }

    @Test func aSev3ResolutionCreatesNoPostmortem() async throws {
        let harness = try await Harness()
        try await harness.open(.sev3)
        try await harness.run(harness.escalator(), minutes: 0...2) { minute in
            if minute == 2 {
                harness.incidents.update(IncidentID(1)) { incident in
                    incident.status = .resolved
                    incident.resolvedAt = EscalatorTests.minute(2)
                }
            }
        }
        #expect(try await harness.database.postmortem(of: IncidentID(1)) == nil)
    }

    @Test func anAcknowledgementWithASilenceStillStopsTheClimbAndTellsThePager() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        let silences = SilenceBook(store: harness.database, silences: [], logger: Logger(label: "test"))
        try await harness.run(harness.escalator(silences: silences), minutes: 0...10) { minute in
            if minute == 2 {
                harness.incidents.update(IncidentID(1)) { incident in
                    incident.acknowledgedAt = EscalatorTests.minute(2)
                    incident.acknowledgedBy = "alice"
                }
                _ = try await silences.add(
                    SilenceDraft(
                        service: "checkout",
                        kind: IncidentKind("high_error_rate"),
                        startsAt: EscalatorTests.minute(2),
                        endsAt: EscalatorTests.minute(240),
                        createdBy: "alice",
                        reason: "on it",
                        incidentID: IncidentID(1)
                    ),
                    now: EscalatorTests.minute(2)
                )
            }
        }
        #expect(try await harness.pages() == ["primary alice @0 paged"])
        let notifications = try await harness.database.notifications(of: IncidentID(1)).map(\.notification)
        #expect(notifications.map(\.event) == ["trigger", "acknowledge"], "the acknowledgement is not held by the silence")
    }

    @Test func aReopenedIncidentClimbsAgainFromItsReopeningNotFromItsFirstOpening() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        try await harness.run(harness.escalator(), minutes: 0...40) { minute in
            if minute == 3 {
                harness.incidents.update(IncidentID(1)) { incident in
                    incident.status = .resolved
                    incident.resolvedAt = EscalatorTests.minute(3)
                }
            }
            if minute == 30 {
                harness.incidents.update(IncidentID(1)) { incident in
                    incident.status = .investigating
                    incident.resolvedAt = nil
                    incident.reopenCount = 1
                }
            }
        }
        #expect(
            try await harness.pages() == [
                "primary alice @0 paged", "primary alice @30 paged", "secondary bob @35 paged", "manager carol @40 paged",
            ]
        )
        #expect(try await harness.timeline().contains("the incident reopened: escalation starts again"))
    }

    @Test func anIncidentOpenBeforePagingFirstRanClimbsFromNowNotAllAtOnce() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        // The first pass ever runs 30 minutes after the incident opened (the first start with escalation).
        try await harness.run(harness.escalator(), minutes: 30...36)
        #expect(try await harness.pages() == ["primary alice @30 paged", "secondary bob @35 paged"])
        #expect(try await harness.timeline().contains("escalation starts now: the incident opened before paging ran"))
    }

    @Test func aSilenceBoundToAnEarlierIncidentHoldsNoOther() async throws {
        let harness = try await Harness()
        try await harness.open(.sev1)
        let silences = SilenceBook(store: harness.database, silences: [], logger: Logger(label: "test"))
        try await harness.database.apply([.saveIncident(IncidentFixtures.resolved(IncidentFixtures.incident(7)))])
        _ = try await silences.add(
            SilenceDraft(
                service: "checkout",
                kind: IncidentKind("high_error_rate"),
                startsAt: Self.minute(-5),
                endsAt: Self.minute(240),
                createdBy: "alice",
                reason: "on #7",
                incidentID: IncidentID(7)
            ),
            now: Self.minute(-5)
        )
        try await harness.run(harness.escalator(silences: silences), minutes: 0...1)
        #expect(try await harness.pages() == ["primary alice @0 paged"])
    }
}
