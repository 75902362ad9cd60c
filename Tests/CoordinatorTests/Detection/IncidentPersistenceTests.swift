import Foundation
import Logging
import Shared
import Synchronization
import Testing

@testable import Coordinator

/// Detection's changes through the journal into a real SQLite file, and back at the next start.
@Suite(.timeLimit(.minutes(1)))
struct IncidentPersistenceTests {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    private let rules = [
        RuleFixtures.errorRatio("error_ratio_critical", .sev1, above: 0.05, for: 60),
        RuleFixtures.errorRatio("error_ratio_high", .sev2, above: 0.01),
    ]

    @Test func whatDetectionHoldsIsWhatTheNextStartRecovers() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        let harness = DetectionHarness(rules: rules, settings: RuleFixtures.settings, store: database)
        await harness.connect("web-1", service: "checkout")
        await harness.run(["web-1": SimulatedApplication()], seconds: 0...30) { _, second in
            .init(errorRatio: second >= 5 ? 0.1 : 0)
        }
        let persistence = IncidentPersistence(journal: harness.journal, store: database, logger: logger)
        #expect(await persistence.flush())
        let held = await harness.incidents()
        let alerts = await harness.alerts()
        #expect(held.count == 1)
        #expect(Set(alerts.map(\.state)) == [.pending, .firing])

        let reopened = try CoordinatorDatabase.open(directory: directory.path)
        let recovery = try await reopened.loadRecovery(resolvedSince: DetectionHarness.time(0))
        #expect(recovery.openIncidents == held)
        #expect(recovery.alerts.sorted { $0.key < $1.key }.map(\.key) == alerts.map(\.key))
        #expect(recovery.alerts.map(\.activeSince).sorted() == alerts.map(\.activeSince).sorted())
        #expect(recovery.nextIncidentID == IncidentID(2))
        let timeline = try await reopened.timeline(of: try #require(held.first).id)
        #expect(timeline.map(\.kind).prefix(2) == [.opened, .alertFiring])
        let snapshots = try await reopened.snapshots(of: try #require(held.first).id)
        #expect(snapshots.map(\.moment).contains(.open))
    }

    @Test func aFailingStoreLosesNothingAndOperatorsHearItIsUnavailable() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        let store = FlakyStore(database, failures: 2)
        let harness = DetectionHarness(rules: rules, settings: RuleFixtures.settings, store: store)
        await harness.connect("web-1", service: "checkout")
        await harness.run(["web-1": SimulatedApplication()], seconds: 0...20) { _, second in
            .init(errorRatio: second >= 5 ? 0.1 : 0)
        }
        let persistence = IncidentPersistence(journal: harness.journal, store: store, logger: logger)
        #expect(await !persistence.flush())
        let waiting = harness.journal.pendingCount
        #expect(waiting > 0, "the failed batch is back in the journal")
        // An operator asking now hears that the store is down, in one line.
        let error = await #expect(throws: IncidentOperationError.self) {
            try await harness.engine.acknowledge(IncidentID(1), by: "alice")
        }
        #expect(error?.description.hasPrefix("the incident store is unavailable: ") == true)
        #expect(await !persistence.flush())
        #expect(await persistence.flush())
        #expect(harness.journal.pendingCount == 0)
        let stored = try await database.incidents(matching: IncidentQuery())
        #expect(stored.map(\.id) == [IncidentID(1)])
        #expect(stored.first?.acknowledgedBy == "alice", "the acknowledgement was kept and written on the retry")
    }
}

/// The real database behind a store that fails its first writes, as a full disk would.
private final class FlakyStore: IncidentStore {
    private let database: CoordinatorDatabase
    private let failuresLeft: Mutex<Int>

    init(_ database: CoordinatorDatabase, failures: Int) {
        self.database = database
        failuresLeft = Mutex(failures)
    }

    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "database or disk is full" }
    }

    func apply(_ changes: [IncidentChange]) async throws {
        let fail = failuresLeft.withLock { left in
            defer { left -= 1 }
            return left > 0
        }
        if fail { throw DiskFull() }
        try await database.apply(changes)
    }

    func loadRecovery(resolvedSince: Date) async throws -> DetectionRecovery {
        try await database.loadRecovery(resolvedSince: resolvedSince)
    }
    func incidents(matching query: IncidentQuery) async throws -> [Incident] {
        try await database.incidents(matching: query)
    }
    func incident(_ id: IncidentID) async throws -> Incident? { try await database.incident(id) }
    func timeline(of id: IncidentID) async throws -> [TimelineEvent] { try await database.timeline(of: id) }
    func snapshots(of id: IncidentID) async throws -> [IncidentSnapshot] { try await database.snapshots(of: id) }
    func alerts(of id: IncidentID) async throws -> [Alert] { try await database.alerts(of: id) }
    func statistics(since: Date?) async throws -> [SeverityStatistics] { try await database.statistics(since: since) }
}
