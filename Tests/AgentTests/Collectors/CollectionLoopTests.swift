import Logging
import Shared
import Testing

@testable import Agent

/// Collectors with scripted behaviour: the loop's contract is about how it treats them, not what they read.
private struct FixedCollector: Collector {
    let name: String
    let timeout: Duration = .seconds(5)
    let value: Double

    func collect() async throws -> [MetricSample] { [.gauge("fixed_value", value, labels: ["collector": name])] }
}

private struct FailingCollector: Collector {
    let name = "redis"
    let timeout: Duration = .seconds(5)

    func collect() async throws -> [MetricSample] {
        throw CollectorError.unreadable(path: "127.0.0.1:6379", reason: "connection refused")
    }
}

private struct HangingCollector: Collector {
    let name = "stuck"
    let timeout: Duration = .milliseconds(100)

    func collect() async throws -> [MetricSample] {
        try await Task.sleep(for: .seconds(3_600))
        return []
    }
}

@Suite struct CollectionLoopTests {
    private let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func upValue(_ round: CollectionLoop.Round, _ collector: String) -> SampleValue? {
        round.measurements.first { $0.series.name == "vigil_collector_up" && $0.series.labels["collector"] == collector }?
            .value
    }

    @Test func failingAndHangingCollectorsAreReportedDownWithoutLosingTheOthers() async {
        let round = await CollectionLoop.collectOnce(
            [FixedCollector(name: "system", value: 42), FailingCollector(), HangingCollector()],
            logger: logger
        )
        #expect(round.health == ["system": true, "redis": false, "stuck": false])
        #expect(upValue(round, "system") == .number(1))
        #expect(upValue(round, "redis") == .number(0))
        #expect(upValue(round, "stuck") == .number(0))
        #expect(round.measurements.contains { $0.series.name == "fixed_value" && $0.value == .number(42) })
        #expect(round.errors["redis"] == "cannot read 127.0.0.1:6379: connection refused")
        #expect(round.errors["stuck"]?.contains("did not finish within") == true)
    }

    @Test func healthChangesBecomeEventsOnlyWhenTheStateFlips() {
        let down = CollectionLoop.healthChanges(from: ["redis": true], to: ["redis": false], errors: ["redis": "refused"])
        #expect(down.map(\.kind) == [.collectorDown])
        #expect(down.first?.detail == "refused")
        #expect(CollectionLoop.healthChanges(from: ["redis": false], to: ["redis": false], errors: [:]).isEmpty)
        #expect(CollectionLoop.healthChanges(from: ["redis": false], to: ["redis": true], errors: [:]).map(\.kind) == [.collectorUp])
        #expect(CollectionLoop.healthChanges(from: [:], to: ["new": true], errors: [:]).isEmpty)
    }
}
