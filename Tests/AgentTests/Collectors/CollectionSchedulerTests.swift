import Foundation
import Logging
import Shared
import Synchronization
import Testing

@testable import Agent

/// Collectors with scripted behaviour: these tests are about how the agent treats collectors, not what they read.
private struct FixedCollector: Collector {
    let name: String
    let interval: Duration = .milliseconds(50)
    let timeout: Duration = .seconds(5)
    let value: Double

    func collect() async throws -> CollectorOutput {
        CollectorOutput(measurements: [.gauge("fixed_value", value, labels: ["collector": name])])
    }
}

private struct FailingCollector: Collector {
    let name = "redis"
    let interval: Duration = .seconds(1)
    let timeout: Duration = .seconds(5)

    func collect() async throws -> CollectorOutput {
        throw CollectorError.unavailable(target: "127.0.0.1:6379", reason: "connection refused")
    }
}

private struct HangingCollector: Collector {
    let name = "stuck"
    let interval: Duration = .seconds(1)
    let timeout: Duration = .milliseconds(100)

    func collect() async throws -> CollectorOutput {
        try await Task.sleep(for: .seconds(3_600))
        return CollectorOutput()
    }
}

/// A probe that is up for its first `upRuns` runs and down afterwards.
private final class FlippingProbe: Collector {
    let name = "http"
    let interval: Duration = .milliseconds(20)
    let timeout: Duration = .seconds(1)
    let upRuns: Int
    private let runs = Atomic<Int>(0)

    init(upRuns: Int) { self.upRuns = upRuns }

    func collect() async throws -> CollectorOutput {
        let run = runs.add(1, ordering: .relaxed).newValue
        return CollectorOutput(probes: [ProbeResult(name: "payments", isUp: run <= upRuns, error: run <= upRuns ? "" : "503")])
    }
}

@Suite(.timeLimit(.minutes(1)))
struct CollectionSchedulerTests {
    private let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func failingAndHangingCollectorsFailWithoutHoldingUpTheOthers() async throws {
        let results = await CollectorRunner.runOnce([FixedCollector(name: "system", value: 42), FailingCollector(), HangingCollector()])
        let system = try? results["system"]?.get()
        #expect(system?.measurements.first?.value == .number(42))
        #expect(throws: CollectorError.self) { try results["redis"]?.get() }
        let stuck = #expect(throws: CollectorError.self) { try results["stuck"]?.get() }
        #expect(stuck?.description == "collector stuck did not finish within 0.1 seconds")
    }

    @Test func aFailedCollectorReportsUpZeroWithItsErrorOnceAndDropsItsStaleValues() async throws {
        let state = CollectedState()
        let time = Date()
        #expect(await state.record(collector: "redis", .success(CollectorOutput(measurements: [.gauge("redis_up", 1)])), at: time) == false)
        _ = await state.takeReportContents()
        let refused = CollectorError.unavailable(target: "127.0.0.1:6379", reason: "connection refused")
        #expect(await state.record(collector: "redis", .failure(refused), at: time), "up → down is urgent")
        #expect(await state.record(collector: "redis", .failure(refused), at: time) == false, "still down is not news")
        let contents = try #require(await state.takeReportContents())
        #expect(contents.measurements == [.gauge("vigil_collector_up", 0, labels: ["collector": "redis"])])
        #expect(contents.events.map(\.kind) == [.collectorDown])
        #expect(contents.events.first?.detail == "127.0.0.1:6379: connection refused")
        #expect(await state.takeReportContents()?.events.isEmpty == true, "events go out once")
        #expect(await state.record(collector: "redis", .success(CollectorOutput()), at: time))
        #expect(await state.takeReportContents()?.events.map(\.kind) == [.collectorUp])
    }

    @Test func aProbeGoingDownIsUrgentAndOneSeenDownFirstIsToo() async {
        let state = CollectedState()
        let up = CollectorOutput(probes: [ProbeResult(name: "health", isUp: true)])
        let down = CollectorOutput(probes: [ProbeResult(name: "health", isUp: false, error: "timeout")])
        #expect(await state.record(collector: "http", .success(up), at: Date()) == false)
        #expect(await state.record(collector: "http", .success(up), at: Date()) == false)
        #expect(await state.record(collector: "http", .success(down), at: Date()))
        #expect(await state.takeReportContents()?.events.map(\.kind) == [.probeDown])
        let fresh = CollectedState()
        #expect(await fresh.record(collector: "http", .success(down), at: Date()))
    }

    @Test func aProbeThatFailsIsReportedAtOnceNotAtTheNextTick() async throws {
        let buffer = ReportBuffer(limits: .init(maximumReports: 100, maximumBytes: 1 << 20))
        let scheduler = CollectionScheduler(
            collectors: [FlippingProbe(upRuns: 3)],
            reportInterval: .seconds(3_600),
            buffer: buffer,
            catalog: SeriesCatalog(),
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var reports: [Report] = []
            while !reports.contains(where: { $0.events.contains { $0.kind == .probeDown } }) {
                try await Task.sleep(for: .milliseconds(10))
                reports = await buffer.reports(after: 0)
            }
            group.cancelAll()
            // With an hour between ticks, only the probe's failure can have produced a report.
            #expect(reports.count == 1)
            #expect(reports.first?.probes.first?.isUp == false)
            #expect(reports.first?.probes.first?.error == "503")
        }
    }
}
