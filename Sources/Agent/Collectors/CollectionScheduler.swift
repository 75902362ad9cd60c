import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Runs each collector on its own interval and assembles a report every report interval, or at once when a
/// collector or a probe goes down or comes back, so a hard failure reaches the coordinator in milliseconds.
struct CollectionScheduler: Service {
    let collectors: [any Collector]
    let reportInterval: Duration
    let buffer: ReportBuffer
    let catalog: SeriesCatalog
    let logger: Logger

    init(
        collectors: [any Collector],
        reportInterval: Duration,
        buffer: ReportBuffer,
        catalog: SeriesCatalog,
        logger: Logger
    ) {
        self.collectors = collectors
        self.reportInterval = reportInterval
        self.buffer = buffer
        self.catalog = catalog
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "collection"
        self.logger = logger
    }

    func run() async throws {
        let state = CollectedState()
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskGroup(of: Void.self) { producers in
                    for collector in collectors {
                        producers.addTask { await runRepeatedly(collector, state: state, wake: wake) }
                    }
                    producers.addTask { await tick(wake) }
                }
                wake.finish()
            }
            group.addTask {
                for await _ in wakeups { await assembleReport(from: state) }
            }
        }
    }

    private func runRepeatedly(_ collector: any Collector, state: CollectedState, wake: AsyncStream<Void>.Continuation) async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await CollectorRunner.run(collector) { result in
                if case .failure(let error) = result {
                    logger.debug("collector failed", metadata: ["collector": "\(collector.name)", MetadataKeys.error: "\(error)"])
                }
                if await state.record(collector: collector.name, result, at: Date()) { wake.yield() }
            }
            next = max(next.advanced(by: collector.interval), clock.now)
            let wakeUp = next
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: wakeUp) }
            } catch {
                return
            }
        }
    }

    private func tick(_ wake: AsyncStream<Void>.Continuation) async {
        let clock = ContinuousClock()
        var next = clock.now.advanced(by: reportInterval)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let wakeUp = next
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: wakeUp) }
            } catch {
                return
            }
            wake.yield()
            next = max(next.advanced(by: reportInterval), clock.now)
        }
    }

    private func assembleReport(from state: CollectedState) async {
        guard let contents = await state.takeReportContents() else { return }
        let droppedBefore = catalog.droppedSamples
        let report = Report(
            seq: 0,
            collectedAt: Date(),
            samples: catalog.samples(for: contents.measurements),
            probes: contents.probes,
            events: contents.events
        )
        if droppedBefore == 0 && catalog.droppedSamples > 0 {
            logger.warning("series limit reached; new series are dropped", metadata: [MetadataKeys.count: "\(catalog.capacity)"])
        }
        for event in contents.events {
            let metadata: Logger.Metadata = [
                "event": "\(event.kind.rawValue)", "subject": "\(event.subject)", MetadataKeys.reason: "\(event.detail)",
            ]
            switch event.kind {
            case .collectorDown, .probeDown, .oomKill: logger.warning("health changed", metadata: metadata)
            case .collectorUp, .probeUp, .processRestarted: logger.info("health changed", metadata: metadata)
            }
        }
        await buffer.append(report)
    }
}
