import Foundation
import GRDB
import Shared
import Testing

@testable import Coordinator

/// The incident store on a real SQLite file: round trips, batches, recovery and restarts.
@Suite struct IncidentStoreTests {
    @Test func incidentsRoundTripEveryField() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        let full = try Self.makeFullIncident(1)
        let bare = Self.makeIncident(2)
        let byStatus = zip(IncidentStatus.allCases, Severity.allCases).enumerated().map { offset, pair in
            Self.makeIncident(Int64(3 + offset), status: pair.0, severity: pair.1)
        }
        try await store.apply(([full, bare] + byStatus).map(IncidentChange.saveIncident))

        #expect(try await store.incident(IncidentID(1)) == full)
        #expect(try await store.incident(IncidentID(2)) == bare)
        for incident in byStatus {
            #expect(try await store.incident(incident.id) == incident)
        }
        #expect(try await store.incident(IncidentID(99)) == nil)
    }

    @Test func timelineRoundTripsEveryKindOldestFirst() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        // Later events first in time too: the timeline is the order they were appended in.
        let events = TimelineEvent.Kind.allCases.enumerated().map { offset, kind in
            Self.makeEvent(1, kind, at: 100 - Double(offset), message: "\(kind.rawValue) – Ereignis 事件 \(offset)")
        }
        var person = Self.makeEvent(1, .acknowledged, at: 200, message: "")
        person.actor = "Zoë"
        try await store.apply(
            [.saveIncident(Self.makeIncident(1)), .saveIncident(Self.makeIncident(2))]
                + [.appendEvent(Self.makeEvent(2, .opened))]
                + (events + [person]).map(IncidentChange.appendEvent)
        )

        #expect(try await store.timeline(of: IncidentID(1)) == events + [person])
        #expect(try await store.timeline(of: IncidentID(2)) == [Self.makeEvent(2, .opened)])
        #expect(try await store.timeline(of: IncidentID(3)).isEmpty)
    }

    @Test func snapshotsRoundTripOpenThenPeakAndReplaceTheSameMoment() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        let open = try Self.makeSnapshot(1, .open, at: 0.5)
        let firstPeak = try Self.makeSnapshot(1, .peak, at: 30.25)
        let laterPeak = try Self.makeSnapshot(1, .peak, at: 90.75)
        try await store.apply([.saveIncident(Self.makeIncident(1)), .saveSnapshot(firstPeak), .saveSnapshot(open)])
        #expect(try await store.snapshots(of: IncidentID(1)) == [open, firstPeak])

        try await store.apply([.saveSnapshot(laterPeak)])
        #expect(try await store.snapshots(of: IncidentID(1)) == [open, laterPeak])
        #expect(try await store.snapshots(of: IncidentID(2)).isEmpty)
    }

    @Test func alertsRoundTripEveryFieldSortedByKeyAndAreRemovedByKey() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        let full = try Self.makeFullAlert(incident: 1)
        let bare = Self.makeAlert(rule: "zz_last", incident: 1)
        let unattached = Self.makeAlert(rule: "disk_full", subject: "db-1")
        let other = Self.makeAlert(rule: "aa_first", incident: 2)
        try await store.apply(
            [.saveIncident(Self.makeIncident(1)), .saveIncident(Self.makeIncident(2))]
                + [bare, full, unattached, other].map(IncidentChange.saveAlert)
        )
        #expect(try await store.alerts(of: IncidentID(1)) == [full, bare])
        #expect(try await store.alerts(of: IncidentID(2)) == [other])

        var changed = bare
        changed.state = .firing
        changed.firedAt = Self.at(65)
        changed.value = -0.125
        try await store.apply([
            .saveAlert(changed), .removeAlert(full.key), .removeAlert(AlertKey(rule: RuleName("gone"), subject: "x")),
        ])
        #expect(try await store.alerts(of: IncidentID(1)) == [changed])
        #expect(try await store.loadRecovery(resolvedSince: Self.epoch).alerts == [other, unattached, changed])
    }

    @Test func savingAnIncidentAgainReplacesItAndKeepsWhatHangsOffIt() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        let alert = Self.makeAlert(incident: 1)
        let snapshot = try Self.makeSnapshot(1, .open, at: 0)
        try await store.apply([
            .saveIncident(Self.makeIncident(1)), .appendEvent(Self.makeEvent(1, .opened)), .saveSnapshot(snapshot),
            .saveAlert(alert),
        ])

        var changed = try Self.makeFullIncident(1)
        changed.status = .identified
        try await store.apply([.saveIncident(changed), .appendEvent(Self.makeEvent(1, .statusChanged, at: 5))])

        #expect(try await store.incident(IncidentID(1)) == changed)
        #expect(try await store.timeline(of: IncidentID(1)).map(\.kind) == [.opened, .statusChanged])
        #expect(try await store.snapshots(of: IncidentID(1)) == [snapshot])
        #expect(try await store.alerts(of: IncidentID(1)) == [alert], "a delete-and-insert would have unlinked it")
    }

    @Test func aFailingChangeLeavesNothingOfItsBatch() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        try await store.apply([.saveIncident(Self.makeIncident(1)), .appendEvent(Self.makeEvent(1, .opened))])

        var resolved = Self.makeIncident(1, status: .resolved)
        resolved.resolvedAt = Self.at(60)
        let batch: [IncidentChange] = [
            .saveIncident(resolved),
            .saveIncident(Self.makeIncident(2)),
            .appendEvent(Self.makeEvent(1, .statusChanged)),
            .saveAlert(Self.makeAlert(incident: 2)),
            .appendEvent(Self.makeEvent(99, .note)),
            .saveIncident(Self.makeIncident(3)),
        ]
        let error = await #expect(throws: StorageError.self) { try await store.apply(batch) }

        let description = try #require(error?.description)
        #expect(description.contains("change 5 of 6, appendEvent note to incident #99"))
        #expect(description.contains("FOREIGN KEY constraint failed"))
        #expect(!description.contains("\n"))
        #expect(try await store.incident(IncidentID(1)) == Self.makeIncident(1))
        #expect(try await store.incident(IncidentID(2)) == nil)
        #expect(try await store.incident(IncidentID(3)) == nil)
        #expect(try await store.timeline(of: IncidentID(1)).map(\.kind) == [.opened])
        #expect(try await store.loadRecovery(resolvedSince: Self.epoch).alerts.isEmpty)
    }

    @Test func recoveryHasOpenIncidentsEveryAlertWithItsTimersRecentlyResolvedAndTheNextID() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        let investigating = Self.makeIncident(1, status: .investigating)
        let monitoring = Self.makeIncident(2, status: .monitoring)
        let recent = resolved(3, at: 1000)
        let old = resolved(4, at: 500.5)
        let onTheBoundary = resolved(7, at: 900)
        let firing = try Self.makeFullAlert(incident: 1)
        let pending = Self.makeAlert(rule: "disk_full", subject: "db-1")
        let ofResolved = Self.makeAlert(rule: "latency", incident: 4)
        try await store.apply(
            [onTheBoundary, old, recent, monitoring, investigating].map(IncidentChange.saveIncident)
                + [pending, ofResolved, firing].map(IncidentChange.saveAlert)
        )

        let recovery = try await store.loadRecovery(resolvedSince: Self.at(900))
        #expect(recovery.openIncidents == [investigating, monitoring])
        #expect(recovery.alerts == [pending, ofResolved, firing].sorted { $0.key < $1.key })
        #expect(recovery.recentlyResolved == [recent, onTheBoundary])
        #expect(recovery.nextIncidentID == IncidentID(8))
    }

    @Test func recoveryOfAnEmptyStoreStartsAtOne() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        #expect(try await store.loadRecovery(resolvedSince: Self.epoch) == DetectionRecovery())
    }

    @Test func everythingSurvivesReopeningTheDatabase() async throws {
        let directory = try TemporaryDirectory()
        let incidents = [try Self.makeFullIncident(1), Self.makeIncident(2, status: .identified)]
        let events = [Self.makeEvent(2, .opened), Self.makeEvent(2, .statusChanged, at: 3.5, message: "→ IDENTIFIED")]
        let snapshots = [try Self.makeSnapshot(2, .open, at: 0), try Self.makeSnapshot(2, .peak, at: 9)]
        let alerts = [try Self.makeFullAlert(incident: 2), Self.makeAlert(subject: "web-9")]
        let before: DetectionRecovery
        do {
            let store = try CoordinatorDatabase.open(directory: directory.path)
            try await store.apply(
                incidents.map(IncidentChange.saveIncident) + events.map(IncidentChange.appendEvent)
                    + snapshots.map(IncidentChange.saveSnapshot) + alerts.map(IncidentChange.saveAlert)
            )
            before = try await store.loadRecovery(resolvedSince: Self.epoch)
        }

        let reopened = try CoordinatorDatabase.open(directory: directory.path)
        let after = try await reopened.loadRecovery(resolvedSince: Self.epoch)
        #expect(after == before)
        #expect(after.openIncidents == [incidents[1]])
        #expect(after.recentlyResolved == [incidents[0]])
        #expect(after.alerts == alerts.sorted { $0.key < $1.key })
        #expect(after.nextIncidentID == IncidentID(3))
        #expect(try await reopened.timeline(of: IncidentID(2)) == events)
        #expect(try await reopened.snapshots(of: IncidentID(2)) == snapshots)
    }

    private func resolved(_ id: Int64, at seconds: Double) -> Incident {
        var incident = Self.makeIncident(id, status: .resolved)
        incident.resolvedAt = Self.at(seconds)
        incident.resolvedBy = "vigil"
        return incident
    }
}
