import Foundation
import Shared
import Testing

@testable import Agent

/// The scrape collector against a real HTTP server: a page mapped to exact values, and every way a scrape fails.
@Suite(.timeLimit(.minutes(1)))
struct PrometheusScrapeCollectorTests {
    private static func appMapping() throws -> PrometheusSignalMapping {
        var mapping = PrometheusSignalMapping()
        mapping.requests = try .init(metric: "http_requests_total")
        mapping.errors = try .init(metric: "http_requests_total", match: ["code": "5.."])
        mapping.latency = try .init(metric: "http_request_duration_seconds")
        mapping.syncAttempts = try .init(metric: "sync_attempts_total")
        mapping.syncFailures = try .init(metric: "sync_failures_total")
        mapping.gauges = [
            .init(selector: try .init(metric: "db_pool_connections_in_use"), outputName: "db_pool_in_use")
        ]
        return mapping
    }

    private static func collector(
        _ url: String,
        mapping: PrometheusSignalMapping? = nil,
        timeout: Duration = .seconds(5)
    ) throws -> PrometheusScrapeCollector {
        PrometheusScrapeCollector(
            scrapeName: "review-engine",
            url: url,
            timing: CollectorTiming(interval: .seconds(10), timeout: timeout),
            labels: ["service": "review-engine"],
            mapping: try mapping ?? appMapping()
        )
    }

    private static func failure(of collector: PrometheusScrapeCollector) async -> String {
        do {
            let output = try await collector.collect()
            return "no failure: \(output.measurements.count) measurements"
        } catch {
            return "\(error)"
        }
    }

    @Test func scrapesAnApplicationPageIntoSignals() async throws {
        let server = try await TestHTTPServer.start()
        let collector = try Self.collector(server.baseURL + "/file/app.prom")
        #expect(collector.name == "prometheus:review-engine")
        let output = try await collector.collect()
        let labels = ["scrape": "review-engine", "service": "review-engine"]
        #expect(output.measurements.allSatisfy { $0.series.labels == labels })
        var values: [String: Double] = [:]
        for sample in output.measurements {
            if case .number(let value) = sample.value { values[sample.series.name] = value }
        }
        #expect(values["app_requests_total"] == 1822)
        #expect(values["app_request_errors_total"] == 10)
        #expect(values["app_sync_attempts_total"] == 50)
        #expect(values["app_sync_failures_total"] == 2)
        #expect(values["app_db_pool_in_use"] == 11)
        #expect(values["vigil_scrape_samples"] == 25)
        #expect((values["vigil_scrape_duration_seconds"] ?? 0) > 0)
        let latency = try #require(output.measurements.first { $0.series.name == "app_request_duration_seconds" })
        #expect(
            latency.series
                == SeriesDescriptor(
                    name: "app_request_duration_seconds",
                    labels: labels,
                    kind: .histogram,
                    bucketUpperBounds: [0.05, 0.1, 0.5, 1]
                )
        )
        #expect(latency.value == .histogram(HistogramValue(cumulativeCounts: [150, 230, 245, 249, 250], sum: 16)))
        #expect(output.measurements.count == 8)
    }

    @Test func scrapesNodeExporterWithoutAMapping() async throws {
        let server = try await TestHTTPServer.start()
        let collector = try Self.collector(
            server.baseURL + "/file/node_exporter.prom",
            mapping: PrometheusSignalMapping()
        )
        let output = try await collector.collect()
        #expect(output.measurements.map(\.series.name) == ["vigil_scrape_duration_seconds", "vigil_scrape_samples"])
        #expect(output.measurements.last?.value == .number(507))
    }

    @Test(arguments: [
        ("/truncated", "transfer closed"),
        ("/file/not_metrics.html", #"line 1: expected a metric name, found "<""#),
        ("/status/503?body=down", "answered 503"),
        ("/status/200?body=up%201", "line 1: the page ends in the middle of a line (truncated?)"),
        ("/file/missing.prom", "answered 404"),
    ])
    func aBadPageFailsWithOneLineNamingTheScrape(_ path: String, _ reason: String) async throws {
        let server = try await TestHTTPServer.start()
        let message = await Self.failure(of: try Self.collector(server.baseURL + path))
        #expect(message.hasPrefix("prometheus review-engine \(server.baseURL + path): "), "got: \(message)")
        #expect(message.contains(reason), "got: \(message)")
        #expect(!message.contains("\n"))
    }

    @Test func aSlowPageTimesOut() async throws {
        let server = try await TestHTTPServer.start()
        let url = server.baseURL + "/slow/5"
        let message = await Self.failure(of: try Self.collector(url, timeout: .milliseconds(300)))
        #expect(
            message == "prometheus review-engine \(url): no answer within 0.27 seconds",
            "curl gives up before the collector's deadline"
        )
    }

    @Test func aRefusedConnectionIsNamed() async throws {
        let message = await Self.failure(of: try Self.collector("http://127.0.0.1:1/metrics"))
        #expect(message == "prometheus review-engine http://127.0.0.1:1/metrics: connection refused")
    }

    @Test func aFamilyOfTheWrongTypeFailsTheScrape() async throws {
        let server = try await TestHTTPServer.start()
        var mapping = PrometheusSignalMapping()
        mapping.latency = try .init(metric: "http_requests_total")
        let url = server.baseURL + "/file/app.prom"
        let message = await Self.failure(of: try Self.collector(url, mapping: mapping))
        #expect(
            message
                == "prometheus review-engine \(url): latency: http_requests_total is a counter, expected a histogram"
        )
    }

    @Test func aPageOverTheLimitIsRefused() async throws {
        let server = try await TestHTTPServer.start()
        let url = server.baseURL + "/file/node_exporter.prom"
        let collector = PrometheusScrapeCollector(
            scrapeName: "review-engine",
            url: url,
            mapping: PrometheusSignalMapping(),
            parser: PrometheusTextParser(maximumBytes: 1024)
        )
        let message = await Self.failure(of: collector)
        #expect(message == "prometheus review-engine \(url): page exceeds 1024 bytes")
    }
}
