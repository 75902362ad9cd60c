import Foundation
import Testing

@testable import Coordinator

/// What an alert's summary says: values in the units an operator reads, placeholders filled or left visible.
@Suite struct SignalFormatTests {
    private static func signal(_ name: String, _ aggregation: Signal.Aggregation) -> Signal {
        Signal(selector: SeriesSelector(name: name), aggregation: aggregation, window: .seconds(60))
    }

    @Test(arguments: [
        (signal("app_request_errors_total", .ratio(denominator: [], minimumDenominator: 0)), 0.0533, "5.3%"),
        (signal("app_request_errors_total", .ratio(denominator: [], minimumDenominator: 0)), 0.25, "25%"),
        (signal("probe_up", .downFraction), 1.0, "100%"),
        (signal("app_request_duration_seconds", .quantile(0.95, minimumCount: 0)), 0.4875, "488 ms"),
        (signal("app_request_duration_seconds", .quantile(0.95, minimumCount: 0)), 1.75, "1.75 s"),
        (signal("node_silence_seconds", .silence), 45, "45 s"),
        (signal("process_rss_growth_bytes_per_second", .max), 204_800, "200.0 KiB/s"),
        (signal("postgres_connections_used_ratio", .max), 0.95, "95%"),
        (signal("app_queue_depth", .max), 120, "120"),
        (signal("app_requests_total", .rate), 12.5, "12.5/s"),
    ])
    func valuesReadInTheirUnits(_ signal: Signal, _ value: Double, _ expected: String) {
        #expect(SignalFormat.format(value, for: signal) == expected)
    }

    @Test func placeholdersAreFilledAndUnknownOnesStayVisible() {
        let values = ["value": "5.3%", "service": "checkout"]
        #expect(SummaryTemplate.render("Error ratio {{value}} in {{ service }}", values: values) == "Error ratio 5.3% in checkout")
        #expect(SummaryTemplate.render("{{probe}} down", values: values) == "{{probe}} down")
        #expect(SummaryTemplate.render("unclosed {{value", values: values) == "unclosed {{value")
    }

    @Test func latencyFiguresAreTheMedianAndP99OfTheLastOnes() {
        let latency = DetectionLatency()
        #expect(latency.summary == DetectionLatency.Summary(count: 0))
        for millisecond in 1...100 { latency.record(Double(millisecond) / 1000) }
        let summary = latency.summary
        #expect(summary.count == 100)
        #expect(summary.medianSeconds == 0.05)
        #expect(summary.p99Seconds == 0.099)
        #expect(summary.maxSeconds == 0.1)
        // Only the last 1,024 are kept: older times no longer count, the total does.
        for _ in 0..<DetectionLatency.capacity { latency.record(2) }
        #expect(latency.summary.count == 100 + 1024)
        #expect(latency.summary.medianSeconds == 2)
    }
}
