import Foundation
import Yams

/// `collectors.prometheus`: a list of `/metrics` pages to scrape, each with its mapping to Vigil's signals.
///
/// ```yaml
/// prometheus:
///   - name: review-engine
///     url: http://127.0.0.1:8080/metrics
///     labels: {service: review-engine}
///     requests: {metric: http_requests_total}
///     errors: {metric: http_requests_total, match: {code: "5.."}}
///     latency: {metric: http_request_duration_seconds}
///     gauges: [{metric: db_pool_connections_in_use, as: db_pool_in_use}]
/// ```
enum PrometheusCollectorKind: CollectorKind {
    static let section = "prometheus"
    static let defaultTiming = CollectorTiming(interval: .seconds(10), timeout: .seconds(5))

    private struct SelectorSettings: Decodable {
        var metric: String
        var match: [String: String]?
    }

    private struct GaugeSettings: Decodable {
        var metric: String
        var match: [String: String]?
        var `as`: String
    }

    private struct Settings: Decodable {
        var name: String
        var url: String
        var interval_seconds: Double?
        var timeout_seconds: Double?
        var labels: [String: String]?
        var requests: SelectorSettings?
        var errors: SelectorSettings?
        var latency: SelectorSettings?
        var sync_attempts: SelectorSettings?
        var sync_failures: SelectorSettings?
        var gauges: [GaugeSettings]?
    }

    private static let selectorKeys: Set<String> = ["metric", "match"]
    private static let allowed: [String: Set<String>] = [
        "": [
            "name", "url", "interval_seconds", "timeout_seconds", "labels", "requests", "errors", "latency",
            "sync_attempts", "sync_failures", "gauges",
        ],
        "requests": selectorKeys, "errors": selectorKeys, "latency": selectorKeys, "sync_attempts": selectorKeys,
        "sync_failures": selectorKeys, "gauges[]": ["metric", "match", "as"],
    ]

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        guard case .sequence(let items) = node else {
            throw .invalid(source: source, detail: "\(lineText(node))collectors.prometheus must be a list of scrapes")
        }
        var collectors: [any Collector] = []
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = "collectors.prometheus[\(index)]"
            let settings = try ConfigurationNode.decode(
                Settings.self,
                from: item,
                allowed: allowed,
                path: path,
                source: source
            )
            func fail(_ keys: [String], _ detail: String) -> ConfigurationError {
                let keyPath = keys.map { Int($0) == nil ? ".\($0)" : "[\($0)]" }.joined()
                return .invalid(source: source, detail: "\(lineText(item, keys))\(path)\(keyPath) \(detail)")
            }
            guard isName(settings.name) else {
                throw fail(["name"], "\"\(settings.name)\" is invalid: use 1–64 of A-Z a-z 0-9 . _ -")
            }
            guard names.insert(settings.name).inserted else {
                throw fail(["name"], "\"\(settings.name)\" is used twice")
            }
            guard isScrapeURL(settings.url) else {
                throw fail(
                    ["url"],
                    "\"\(settings.url)\" must be an http or https URL with a host and a port in 1–65535"
                )
            }
            let timing = try CollectorTiming(
                intervalSeconds: settings.interval_seconds,
                timeoutSeconds: settings.timeout_seconds,
                defaults: defaultTiming,
                path: path,
                source: source
            )
            for key in (settings.labels ?? [:]).keys.sorted() where !isLabelName(key) || key == "scrape" {
                throw fail(["labels", key], key == "scrape" ? "is set by the collector itself" : "is not a label name")
            }
            /// The selector at `keys`, its metric name, label names and patterns checked.
            func selector(_ keys: [String], _ metric: String, _ match: [String: String]?) throws(ConfigurationError)
                -> PrometheusSignalMapping.Selector
            {
                guard isMetricName(metric) else { throw fail(keys + ["metric"], "\"\(metric)\" is not a metric name") }
                for label in (match ?? [:]).keys.sorted() where !isLabelName(label) {
                    throw fail(keys + ["match", label], "is not a label name")
                }
                do {
                    return try PrometheusSignalMapping.Selector(metric: metric, match: match ?? [:])
                } catch {
                    throw fail(keys + ["match", error.label], "\"\(error.pattern)\" is not a regular expression")
                }
            }
            func configured(_ key: String, _ settings: SelectorSettings?) throws(ConfigurationError)
                -> PrometheusSignalMapping.Selector?
            {
                guard let settings else { return nil }
                return try selector([key], settings.metric, settings.match)
            }
            var mapping = PrometheusSignalMapping()
            mapping.requests = try configured("requests", settings.requests)
            mapping.errors = try configured("errors", settings.errors)
            mapping.latency = try configured("latency", settings.latency)
            mapping.syncAttempts = try configured("sync_attempts", settings.sync_attempts)
            mapping.syncFailures = try configured("sync_failures", settings.sync_failures)
            var outputs = PrometheusSignalMapping.fixedOutputNames
            for (position, gauge) in (settings.gauges ?? []).enumerated() {
                let keys = ["gauges", "\(position)"]
                guard isLabelName(gauge.as), outputs.insert("app_" + gauge.as).inserted else {
                    throw fail(keys + ["as"], "\"\(gauge.as)\" must be a new snake_case name (sent as app_\(gauge.as))")
                }
                let gaugeSelector = try selector(keys, gauge.metric, gauge.match)
                mapping.gauges.append(.init(selector: gaugeSelector, outputName: gauge.as))
            }
            collectors.append(
                PrometheusScrapeCollector(
                    scrapeName: settings.name,
                    url: settings.url,
                    timing: timing,
                    labels: settings.labels ?? [:],
                    mapping: mapping
                )
            )
        }
        return collectors
    }

    // MARK: - Validation

    private static func isName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }
    }

    private static func isScrapeURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return components.port.map { (1...65_535).contains($0) } ?? true
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, as the exposition format spells metric names.
    static func isMetricName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-zA-Z_:][a-zA-Z0-9_:]*/) != nil
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-zA-Z_][a-zA-Z0-9_]*/) != nil
    }

    /// `line N: ` for the node at `keys` below `node` (list positions as numbers), or for the nearest one found.
    private static func lineText(_ node: Node, _ keys: [String] = []) -> String {
        var current = node
        for key in keys {
            if case .mapping(let mapping) = current, let next = mapping[Node(key)] {
                current = next
            } else if case .sequence(let items) = current, let index = Int(key), items.indices.contains(index) {
                current = items[index]
            } else {
                break
            }
        }
        return ConfigurationNode.line(of: current).map { "line \($0): " } ?? ""
    }
}
