import Logging
import ServiceLifecycle
import Shared

/// Writes changed node registrations to the store once per interval, and a last time at shutdown.
///
/// Batching keeps SQLite off the ingest path: a report updates memory and is acknowledged at once; its node's
/// row follows within one interval. A failed write is logged and retried on the next round.
struct NodePersistence: Service {
    let fleet: FleetState
    let store: any NodeStore
    let interval: Duration
    let logger: Logger

    init(fleet: FleetState, store: any NodeStore, interval: Duration = .seconds(1), logger: Logger) {
        self.fleet = fleet
        self.store = store
        self.interval = interval
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "node-persistence"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await flush()
        }
        await flush()
    }

    /// Writes whatever changed since the last flush.
    func flush() async {
        let changed = await fleet.takeChanged()
        guard !changed.isEmpty else { return }
        do {
            try await store.saveNodes(changed)
        } catch {
            await fleet.markChanged(changed.map(\.id))
            logger.error(
                "cannot save node registrations; will retry",
                metadata: [MetadataKeys.error: "\(error)", MetadataKeys.count: "\(changed.count)"]
            )
        }
    }
}
