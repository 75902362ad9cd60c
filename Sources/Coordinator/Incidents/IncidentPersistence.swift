import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Writes the incident journal to the store: whatever is pending as one transaction, as soon as there is any.
///
/// A failed write puts its batch back and is retried after a pause, growing to 5 seconds; nothing appended is
/// dropped. At shutdown it writes what is left before returning.
struct IncidentPersistence: Service {
    let journal: IncidentJournal
    let store: any IncidentStore
    let logger: Logger
    /// Told after each committed batch, so that escalation pages for a new incident at once rather than at its
    /// next tick.
    let committed: @Sendable () -> Void

    init(
        journal: IncidentJournal,
        store: any IncidentStore,
        logger: Logger,
        committed: @escaping @Sendable () -> Void = {}
    ) {
        self.journal = journal
        self.store = store
        self.committed = committed
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "incident-persistence"
        self.logger = logger
    }

    func run() async throws {
        var pause = Duration.milliseconds(100)
        for await _ in journal.wakeUps.cancelOnGracefulShutdown() {
            while await !flush() {
                let wait = pause
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                } catch {
                    break
                }
                pause = min(pause * 2, .seconds(5))
            }
            pause = .milliseconds(100)
        }
        // The last batch, then any that a failed write left; a store that keeps failing is given up on here.
        for _ in 0..<3 where await !flush() {}
    }

    /// Writes everything pending; false when the write failed (the batch is back in the journal).
    @discardableResult
    func flush() async -> Bool {
        guard let batch = journal.takeBatch() else { return true }
        do {
            try await store.apply(batch.changes)
            journal.markCommitted(batch, at: Date())
            committed()
            return true
        } catch {
            journal.markFailed(batch, reason: "\(error)")
            logger.error(
                "cannot write incident changes; will retry",
                metadata: [MetadataKeys.error: "\(error)", MetadataKeys.count: "\(batch.changes.count)"]
            )
            return false
        }
    }
}
