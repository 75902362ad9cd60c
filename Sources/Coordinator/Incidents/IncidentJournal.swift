import Foundation
import Synchronization

/// The incident changes not yet on disk, in order, and who is waiting for them.
///
/// Detection appends synchronously (no suspension, so changes from one evaluation can never be overtaken by
/// another's) and goes on at once: evaluation never waits on disk. `IncidentPersistence` takes everything
/// pending as one batch, one transaction, so a burst of changes costs one write. An operator's request waits
/// until its own changes are committed before it answers.
final class IncidentJournal: Sendable {
    struct Batch: Sendable {
        var changes: [IncidentChange]
        /// The last sequence number in the batch.
        var through: UInt64
        /// When the reports that opened incidents in this batch arrived.
        var openingReportsReceivedAt: [Date]
    }

    private struct State {
        var pending: [IncidentChange] = []
        var openingReports: [Date] = []
        var appended: UInt64 = 0
        var committed: UInt64 = 0
        var waiters: [(through: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var lastFailure: String?
    }

    private let state = Mutex(State())
    let latency: DetectionLatency

    /// Yields whenever there is something to write; holds at most one signal.
    let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(latency: DetectionLatency = DetectionLatency()) {
        self.latency = latency
        (wakeUps, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Appends changes; returns the sequence number to wait for.
    ///
    /// - Parameter reportReceivedAt: when the report that opened an incident arrived, for detection latency.
    @discardableResult
    func append(_ changes: [IncidentChange], openedByReportReceivedAt reportReceivedAt: Date? = nil) -> UInt64 {
        let sequence = state.withLock { state in
            guard !changes.isEmpty else { return state.appended }
            state.pending += changes
            state.appended += UInt64(changes.count)
            if let reportReceivedAt { state.openingReports.append(reportReceivedAt) }
            return state.appended
        }
        if !changes.isEmpty { wake.yield() }
        return sequence
    }

    /// Returns once every change up to `sequence` is committed; throws when the store is failing (the changes
    /// stay queued and are retried).
    func waitUntilCommitted(_ sequence: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, any Error>? = state.withLock { state in
                if sequence <= state.committed { return .success(()) }
                if let failure = state.lastFailure { return .failure(IncidentOperationError.unavailable(failure)) }
                state.waiters.append((sequence, continuation))
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Waits for everything appended so far.
    func waitUntilAllCommitted() async throws {
        try await waitUntilCommitted(state.withLock { $0.appended })
    }

    /// Everything pending, as one batch; nil when nothing is.
    func takeBatch() -> Batch? {
        state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.openingReports.removeAll()
            }
            return Batch(
                changes: state.pending,
                through: state.appended,
                openingReportsReceivedAt: state.openingReports
            )
        }
    }

    func markCommitted(_ batch: Batch, at now: Date) {
        for received in batch.openingReportsReceivedAt {
            latency.record(now.timeIntervalSince(received))
        }
        let ready = state.withLock { state in
            state.committed = max(state.committed, batch.through)
            state.lastFailure = nil
            let committed = state.committed
            let ready = state.waiters.filter { $0.through <= committed }
            state.waiters.removeAll { $0.through <= committed }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Puts a batch that could not be written back in front of what came since, and fails current waiters.
    func markFailed(_ batch: Batch, reason: String) {
        let failed = state.withLock { state in
            state.pending = batch.changes + state.pending
            state.openingReports = batch.openingReportsReceivedAt + state.openingReports
            state.lastFailure = reason
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in failed { waiter.continuation.resume(throwing: IncidentOperationError.unavailable(reason)) }
    }

    var pendingCount: Int { state.withLock { $0.pending.count } }
}
