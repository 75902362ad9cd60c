import HTTPTransfer
import Shared

/// Scrapes one application's `/metrics` page and sends the signals its mapping selects.
///
/// Every series it produces carries `scrape="<name>"` plus the configured labels. A page that cannot be
/// fetched, is not complete Prometheus text, or does not fit the mapping fails the whole run with one line
/// naming the scrape and its URL: half a page read as if it were whole would report false rates.
struct PrometheusScrapeCollector: Collector {
    let name: String
    let interval: Duration
    let timeout: Duration
    /// The instance name from the config, without the `prometheus:` prefix.
    let scrapeName: String
    let url: String
    /// `scrape` plus the configured labels.
    let labels: [String: String]
    let mapping: PrometheusSignalMapping
    let parser: PrometheusTextParser

    init(
        scrapeName: String,
        url: String,
        timing: CollectorTiming = PrometheusCollectorKind.defaultTiming,
        labels: [String: String] = [:],
        mapping: PrometheusSignalMapping,
        parser: PrometheusTextParser = PrometheusTextParser()
    ) {
        self.name = "prometheus:" + scrapeName
        self.interval = timing.interval
        self.timeout = timing.timeout
        self.scrapeName = scrapeName
        self.url = url
        self.labels = labels.merging(["scrape": scrapeName]) { _, scrape in scrape }
        self.mapping = mapping
        self.parser = parser
    }

    /// How failures name this scrape: `prometheus review-engine http://127.0.0.1:8080/metrics`.
    var target: String { "prometheus \(scrapeName) \(url)" }

    func collect() async throws -> CollectorOutput {
        let started = ContinuousClock.now
        let response = try await fetch()
        guard !response.isTruncated else {
            throw CollectorError.unavailable(target: target, reason: "page exceeds \(parser.maximumBytes) bytes")
        }
        guard (200..<300).contains(response.status) else {
            throw CollectorError.unavailable(target: target, reason: "answered \(response.status)")
        }
        let page: PrometheusPage
        var measurements: [MetricSample]
        do {
            page = try parser.parse(response.body)
            measurements = try mapping.signals(from: page, labels: labels)
        } catch {
            throw CollectorError.unavailable(target: target, reason: "\(error)")
        }
        let elapsed = (ContinuousClock.now - started).components
        measurements.append(
            .gauge(
                "vigil_scrape_duration_seconds",
                Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
                labels: labels
            )
        )
        measurements.append(.gauge("vigil_scrape_samples", Double(page.sampleCount), labels: labels))
        return CollectorOutput(measurements: measurements)
    }

    private func fetch() async throws(CollectorError) -> HTTPResponse {
        // libcurl gives up a little before the collector's own deadline, so a slow page is reported with its URL.
        let transferTimeout = timeout * 9 / 10
        let request = HTTPRequest(
            url: url,
            // Asks for the format the parser reads rather than OpenMetrics or protobuf.
            headers: ["Accept": "text/plain;version=0.0.4"],
            timeout: transferTimeout,
            connectTimeout: min(transferTimeout, .seconds(5)),
            maximumResponseBytes: parser.maximumBytes
        )
        do {
            return try await HTTPTransfer.perform(request)
        } catch let error as HTTPTransferError {
            let reason =
                switch error.kind {
                case .timeout: "no answer within \(transferTimeout)"
                case .connectionRefused: "connection refused"
                default: error.reason
                }
            throw .unavailable(target: target, reason: reason)
        } catch {
            throw .unavailable(target: target, reason: "\(error)")
        }
    }
}
