import Foundation
import Logging
import Shared
import Synchronization

@testable import Coordinator

/// Drives the real fleet state and detection engine on a manual clock: nodes report at chosen seconds, the
/// ticker runs at chosen seconds, and everything the engine writes is read back from the journal.
final class DetectionHarness: Sendable {
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    let fleet: FleetState
    let engine: DetectionEngine
    let journal: IncidentJournal
    private let sequence = Counter()

    init(
        rules: [Rule],
        settings: DetectionSettings = DetectionSettings(),
        recovery: DetectionRecovery = DetectionRecovery(),
        fleet: FleetState = FleetState(),
        store: any IncidentStore = NoIncidentStore(),
        startedAt: TimeInterval = 0
    ) {
        self.fleet = fleet
        journal = IncidentJournal()
        engine = DetectionEngine(
            rules: rules,
            settings: settings,
            fleet: fleet,
            journal: journal,
            store: store,
            recovery: recovery,
            startedAt: Self.time(startedAt),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    static func time(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

    func connect(_ node: String, service: String? = nil, at seconds: TimeInterval = 0) async {
        let hello = Hello(
            nodeID: NodeID(node) ?? .localhost,
            agentVersion: "test",
            hostname: node,
            labels: service.map { ["service": $0] } ?? [:],
            incarnation: 1
        )
        _ = await fleet.sessionOpened(hello, peerAddress: "127.0.0.1:1", at: Self.time(seconds))
    }

    /// One report from `node`, received at `seconds` and collected `clockOffset` seconds off that (a node whose
    /// clock is wrong, or a backlog replayed late), then the event-driven evaluation.
    func report(
        _ node: String,
        at seconds: TimeInterval,
        clockOffset: TimeInterval = 0,
        _ samples: [MetricSample]
    ) async {
        let id = NodeID(node) ?? .localhost
        let now = Self.time(seconds)
        let report = Report(seq: sequence.next(node), collectedAt: now.addingTimeInterval(clockOffset))
        _ = await fleet.ingest(report, resolved: samples.map { ($0.series, $0.value) }, from: id, at: now)
        await engine.reportAccepted(from: id, seriesNames: Set(samples.map(\.series.name)), receivedAt: now)
    }

    func tick(at seconds: TimeInterval) async {
        await engine.evaluateAll(now: Self.time(seconds))
    }

    /// The incidents the engine holds: open ones and those resolved within the reopen window.
    func incidents() async -> [Incident] {
        let book = await engine.book
        return (Array(book.open.values) + Array(book.recentlyResolved.values)).sorted { $0.id < $1.id }
    }

    func alerts() async -> [Alert] { await engine.currentAlerts }

    /// Every timeline event written so far, oldest first.
    func timeline() -> [TimelineEvent] {
        sequence.drain(journal)
    }
}

/// Report numbers per node, and the journal's changes read so far.
private final class Counter: Sendable {
    private let state = Mutex<(seqs: [String: UInt64], events: [TimelineEvent])>(([:], []))

    func next(_ node: String) -> UInt64 {
        state.withLock { state in
            state.seqs[node, default: 0] += 1
            return state.seqs[node, default: 1]
        }
    }

    func drain(_ journal: IncidentJournal) -> [TimelineEvent] {
        state.withLock { state in
            if let batch = journal.takeBatch() {
                for change in batch.changes {
                    if case .appendEvent(let event) = change { state.events.append(event) }
                }
                journal.markCommitted(batch, at: Date())
            }
            return state.events
        }
    }
}

/// For harnesses that read the engine's memory, never the store.
struct NoIncidentStore: IncidentStore {
    func loadRecovery(resolvedSince: Date) async throws -> DetectionRecovery { DetectionRecovery() }
    func apply(_ changes: [IncidentChange]) async throws {}
    func incidents(matching query: IncidentQuery) async throws -> [Incident] { [] }
    func incident(_ id: IncidentID) async throws -> Incident? { nil }
    func timeline(of id: IncidentID) async throws -> [TimelineEvent] { [] }
    func snapshots(of id: IncidentID) async throws -> [IncidentSnapshot] { [] }
    func alerts(of id: IncidentID) async throws -> [Alert] { [] }
    func statistics(since: Date?) async throws -> [SeverityStatistics] { [] }
}
