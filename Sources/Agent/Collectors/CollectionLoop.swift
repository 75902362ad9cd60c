import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Runs every collector once per interval, side by side, and hands the result to the report buffer.
///
/// Each collector is held to its own timeout; one that fails or hangs is reported as
/// `vigil_collector_up{collector="…"} 0` and never delays the others or the report.
struct CollectionLoop: Service {
    let collectors: [any Collector]
    let interval: Duration
    let buffer: ReportBuffer
    let catalog: SeriesCatalog
    let logger: Logger

    init(collectors: [any Collector], interval: Duration, buffer: ReportBuffer, catalog: SeriesCatalog, logger: Logger) {
        self.collectors = collectors
        self.interval = interval
        self.buffer = buffer
        self.catalog = catalog
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "collection"
        self.logger = logger
    }

    func run() async throws {
        let clock = ContinuousClock()
        var next = clock.now
        var previousHealth: [String: Bool] = [:]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let round = await Self.collectOnce(collectors, logger: logger)
            let events = Self.healthChanges(from: previousHealth, to: round.health, errors: round.errors)
            previousHealth = round.health
            let droppedBefore = catalog.droppedSeries
            let report = Report(
                seq: 0,
                collectedAt: round.collectedAt,
                samples: catalog.samples(for: round.measurements),
                events: events
            )
            if droppedBefore == 0 && catalog.droppedSeries > 0 {
                logger.warning(
                    "series limit reached; new series are dropped",
                    metadata: [MetadataKeys.count: "\(catalog.capacity)"]
                )
            }
            await buffer.append(report)
            next = next.advanced(by: interval)
            if next < clock.now { next = clock.now }
            let wakeUp = next
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: wakeUp) }
            } catch {
                return
            }
        }
    }

    /// One round of collection: what every collector measured, and which of them are up.
    struct Round: Sendable {
        var collectedAt: Date
        var measurements: [MetricSample]
        var health: [String: Bool]
        var errors: [String: String]
    }

    /// Runs all collectors concurrently, each under its timeout.
    static func collectOnce(_ collectors: [any Collector], logger: Logger) async -> Round {
        let collectedAt = Date()
        var round = Round(collectedAt: collectedAt, measurements: [], health: [:], errors: [:])
        await withTaskGroup(of: (String, Result<[MetricSample], any Error>).self) { group in
            for collector in collectors {
                group.addTask {
                    (collector.name, await Self.collect(collector))
                }
            }
            for await (name, result) in group {
                switch result {
                case .success(let measurements):
                    round.measurements += measurements
                    round.health[name] = true
                case .failure(let error):
                    round.health[name] = false
                    round.errors[name] = "\(error)"
                    logger.debug("collector failed", metadata: ["collector": "\(name)", MetadataKeys.error: "\(error)"])
                }
                round.measurements.append(
                    .gauge("vigil_collector_up", round.health[name] == true ? 1 : 0, labels: ["collector": name])
                )
            }
        }
        return round
    }

    private static func collect(_ collector: any Collector) async -> Result<[MetricSample], any Error> {
        await withTaskGroup(of: Result<[MetricSample], any Error>?.self) { group in
            group.addTask {
                do { return .success(try await collector.collect()) } catch { return .failure(error) }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: collector.timeout)
                    return .failure(CollectorError.timedOut(collector: collector.name, after: collector.timeout))
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(CollectorError.timedOut(collector: collector.name, after: collector.timeout))
        }
    }

    /// Events for collectors whose health changed since the previous round, so a failure is named once.
    static func healthChanges(from previous: [String: Bool], to current: [String: Bool], errors: [String: String])
        -> [AgentEvent]
    {
        current.sorted { $0.key < $1.key }.compactMap { name, isUp in
            let wasUp = previous[name] ?? true
            guard wasUp != isUp else { return nil }
            return AgentEvent(
                kind: isUp ? .collectorUp : .collectorDown,
                subject: name,
                detail: errors[name] ?? "",
                time: Date()
            )
        }
    }
}
