import Foundation
import Shared
import Testing

@testable import Agent

/// From parsed families to Vigil's signals: sums over matching series, buckets merged, wrong types refused.
@Suite struct PrometheusSignalMappingTests {
    private static let labels = ["scrape": "app"]

    private static func appPage() throws -> PrometheusPage {
        let text = try String(contentsOfFile: TestHTTPServer.fixturesDirectory + "/app.prom", encoding: .utf8)
        return try PrometheusTextParser().parse(text)
    }

    private static func value(_ samples: [MetricSample], _ name: String) -> Double? {
        guard case .number(let value)? = samples.first(where: { $0.series.name == name })?.value else { return nil }
        return value
    }

    @Test func mapsAnApplicationPage() throws {
        var mapping = PrometheusSignalMapping()
        mapping.requests = try .init(metric: "http_requests_total")
        mapping.errors = try .init(metric: "http_requests_total", match: ["code": "5.."])
        mapping.latency = try .init(metric: "http_request_duration_seconds")
        mapping.syncAttempts = try .init(metric: "sync_attempts_total")
        mapping.syncFailures = try .init(metric: "sync_failures_total")
        mapping.gauges = [
            .init(selector: try .init(metric: "db_pool_connections_in_use"), outputName: "db_pool_in_use")
        ]
        let samples = try mapping.signals(from: try Self.appPage(), labels: Self.labels)

        #expect(
            samples.map(\.series.name) == [
                "app_requests_total", "app_request_errors_total", "app_sync_attempts_total", "app_sync_failures_total",
                "app_request_duration_seconds", "app_db_pool_in_use",
            ]
        )
        #expect(samples.allSatisfy { $0.series.labels == Self.labels })
        #expect(Self.value(samples, "app_requests_total") == 1822)
        #expect(Self.value(samples, "app_request_errors_total") == 10)
        #expect(Self.value(samples, "app_sync_attempts_total") == 50)
        #expect(Self.value(samples, "app_sync_failures_total") == 2)
        #expect(Self.value(samples, "app_db_pool_in_use") == 11, "both pools' connections add up")
        #expect(samples.first { $0.series.name == "app_requests_total" }?.series.kind == .counter)
        #expect(samples.first { $0.series.name == "app_db_pool_in_use" }?.series.kind == .gauge)
        let latency = try #require(samples.first { $0.series.name == "app_request_duration_seconds" })
        #expect(latency.series.kind == .histogram)
        #expect(latency.series.bucketUpperBounds == [0.05, 0.1, 0.5, 1])
        #expect(latency.value == .histogram(HistogramValue(cumulativeCounts: [150, 230, 245, 249, 250], sum: 16)))
    }

    @Test func matchesLabelsInFullAndNarrowsTheHistogram() throws {
        var mapping = PrometheusSignalMapping()
        mapping.requests = try .init(metric: "http_requests_total", match: ["code": "5", "method": "GET|POST"])
        mapping.errors = try .init(metric: "http_requests_total", match: ["code": "5..", "method": "POST"])
        mapping.latency = try .init(metric: "http_request_duration_seconds", match: ["route": "/api/health"])
        let samples = try mapping.signals(from: try Self.appPage(), labels: Self.labels)
        #expect(Self.value(samples, "app_requests_total") == 0, "\"5\" does not match \"500\": patterns are anchored")
        #expect(Self.value(samples, "app_request_errors_total") == 3)
        let latency = try #require(samples.first { $0.series.name == "app_request_duration_seconds" })
        #expect(latency.value == .histogram(HistogramValue(cumulativeCounts: [50, 50, 50, 50, 50], sum: 0.5)))
    }

    @Test func absentFamiliesYieldNothing() throws {
        var mapping = PrometheusSignalMapping()
        mapping.requests = try .init(metric: "http_requests_total")
        mapping.latency = try .init(metric: "http_request_duration_seconds")
        mapping.gauges = [.init(selector: try .init(metric: "queue_depth"), outputName: "queue_depth")]
        let page = try PrometheusTextParser().parse("# TYPE other gauge\nother 1\n")
        #expect(try mapping.signals(from: page, labels: Self.labels).isEmpty)
    }

    @Test func aLabelTheSeriesLacksMatchesAsEmpty() throws {
        var mapping = PrometheusSignalMapping()
        mapping.gauges = [
            .init(selector: try .init(metric: "g", match: ["pool": ""]), outputName: "unpooled"),
            .init(selector: try .init(metric: "g", match: ["pool": ".+"]), outputName: "pooled"),
        ]
        let page = try PrometheusTextParser().parse("g 1\ng{pool=\"a\"} 2\ng{pool=\"b\"} NaN\n")
        let samples = try mapping.signals(from: page, labels: Self.labels)
        #expect(Self.value(samples, "app_unpooled") == 1)
        #expect(Self.value(samples, "app_pooled") == 2, "a NaN series counts as no value")
    }

    @Test func histogramsWithDifferentBucketsMergeOnTheBoundsTheyShare() throws {
        let page = try PrometheusTextParser().parse(
            """
            # TYPE h histogram
            h_bucket{a="1",le="0.1"} 1
            h_bucket{a="1",le="1"} 2
            h_bucket{a="1",le="+Inf"} 3
            h_sum{a="1"} 4
            h_bucket{a="2",le="0.5"} 5
            h_bucket{a="2",le="1"} 6
            h_bucket{a="2",le="+Inf"} 7
            h_sum{a="2"} 8

            """
        )
        var mapping = PrometheusSignalMapping()
        mapping.latency = try .init(metric: "h")
        let latency = try #require(try mapping.signals(from: page, labels: Self.labels).first)
        #expect(latency.series.bucketUpperBounds == [1])
        #expect(latency.value == .histogram(HistogramValue(cumulativeCounts: [8, 10], sum: 12)))
    }

    @Test func decreasingBucketsAreRefused() throws {
        let page = try PrometheusTextParser().parse(
            "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 4\n"
        )
        var mapping = PrometheusSignalMapping()
        mapping.latency = try .init(metric: "h")
        let error = #expect(throws: PrometheusMappingError.self) { try mapping.signals(from: page, labels: [:]) }
        #expect(error?.description == #"latency: histogram h: cumulative counts decrease at le="+Inf""#)
    }

    @Test(arguments: [
        ("latency", "http_requests_total", "latency: http_requests_total is a counter, expected a histogram"),
        (
            "requests", "http_request_duration_seconds",
            "requests: http_request_duration_seconds is a histogram, expected a counter"
        ),
        ("errors", "db_pool_connections_in_use", "errors: db_pool_connections_in_use is a gauge, expected a counter"),
        ("gauge", "sync_attempts_total", "gauges.in_use: sync_attempts_total is a counter, expected a gauge"),
    ])
    func familiesOfTheWrongTypeAreNamed(_ signal: String, _ metric: String, _ expected: String) throws {
        var mapping = PrometheusSignalMapping()
        let selector = try PrometheusSignalMapping.Selector(metric: metric)
        switch signal {
        case "latency": mapping.latency = selector
        case "requests": mapping.requests = selector
        case "errors": mapping.errors = selector
        default: mapping.gauges = [.init(selector: selector, outputName: "in_use")]
        }
        let page = try Self.appPage()
        let error = #expect(throws: PrometheusMappingError.self) { try mapping.signals(from: page, labels: [:]) }
        #expect(error?.description == expected)
    }

    @Test func anInvalidPatternIsNamed() {
        let error = #expect(throws: PrometheusSignalMapping.InvalidPattern.self) {
            try PrometheusSignalMapping.Selector(metric: "m", match: ["code": "5(("])
        }
        #expect(error?.label == "code")
        #expect(error?.pattern == "5((")
    }
}
