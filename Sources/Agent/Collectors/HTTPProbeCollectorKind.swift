import Foundation
import Yams

/// `collectors.http_probes`: a list of HTTP health checks, each its own collector `http_probe:<name>` on its
/// own interval. The playbook's health endpoints are the typical probes:
///
/// ```yaml
/// http_probes:
///   - name: api-health
///     url: http://127.0.0.1:8080/api/health
///     expected_status: 200            # or a list: [200, 204]
///     body_match: ok                  # a plain substring of the body, not a regular expression
///     labels: {critical: "true"}
///   - name: api-dependencies
///     url: http://127.0.0.1:8080/api/health/dependencies
///     timeout_seconds: 5
///     interval_seconds: 10
///     labels: {critical: "true", feature: payments}
///   - name: api-database
///     url: http://127.0.0.1:8080/api/health/database
///     method: GET
///     headers: {Authorization: "Bearer …"}
/// ```
///
/// Defaults: `method: GET`, `expected_status: 200`, no body match, `timeout_seconds: 5`, `interval_seconds: 10`.
/// `body_match` is a substring because health answers are short fixed texts (`ok`, `"status":"up"`) that a
/// regular expression would only make harder to write correctly.
enum HTTPProbeCollectorKind: CollectorKind {
    static let section = "http_probes"
    static let defaultTiming = CollectorTiming(interval: .seconds(10), timeout: .seconds(5))

    /// The list wrapped under its key, so the key checks and error paths reach into each item.
    private struct Section: Decodable {
        var http_probes: [Entry]
    }

    private struct Entry: Decodable {
        var name: String
        var url: String
        var method: String?
        var expected_status: ExpectedStatus?
        var body_match: String?
        var timeout_seconds: Double?
        var interval_seconds: Double?
        var labels: [String: String]?
        var headers: [String: String]?
    }

    /// One status or a list of them.
    private struct ExpectedStatus: Decodable {
        var codes: [Int]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let code = try? container.decode(Int.self) { codes = [code] } else { codes = try container.decode([Int].self) }
        }
    }

    private static let keys: Set<String> = [
        "name", "url", "method", "expected_status", "body_match", "timeout_seconds", "interval_seconds", "labels", "headers",
    ]

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let path = "collectors.http_probes"
        guard case .sequence(let items) = node else {
            let line = ConfigurationNode.line(of: node).map { "line \($0): " } ?? ""
            throw .invalid(source: source, detail: "\(line)\(path) must be a list of probes")
        }
        let entries = try ConfigurationNode.decode(
            Section.self,
            from: .mapping(Node.Mapping([(Node("http_probes"), node)])),
            allowed: ["": ["http_probes"], "http_probes[]": keys],
            path: "collectors",
            source: source
        )
        .http_probes
        var names: Set<String> = []
        var collectors: [any Collector] = []
        for (index, entry) in entries.enumerated() {
            let itemPath = "\(path)[\(index)]"
            func fail(_ key: String, _ reason: String) -> ConfigurationError {
                let keyNode = items[index].mapping?[Node(key)] ?? items[index]
                let line = ConfigurationNode.line(of: keyNode).map { "line \($0): " } ?? ""
                return .invalid(source: source, detail: "\(line)\(itemPath).\(key) \(reason)")
            }
            guard !entry.name.isEmpty else { throw fail("name", "must not be empty") }
            guard names.insert(entry.name).inserted else { throw fail("name", "\"\(entry.name)\" is used twice") }
            guard let url = URL(string: entry.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host?.isEmpty == false
            else {
                throw fail("url", "\"\(entry.url)\" must be an http:// or https:// URL with a host")
            }
            let method = entry.method ?? "GET"
            guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw fail("method", "\"\(method)\" must be an HTTP method in capitals, such as GET")
            }
            let statuses = entry.expected_status?.codes ?? [200]
            guard !statuses.isEmpty else { throw fail("expected_status", "must name at least one status") }
            if let bad = statuses.first(where: { !(100...599).contains($0) }) {
                throw fail("expected_status", "\(bad) is not an HTTP status (100 to 599)")
            }
            if entry.body_match != nil && method == "HEAD" {
                throw fail("body_match", "cannot apply to HEAD, which has no body")
            }
            let timing = try CollectorTiming(
                intervalSeconds: entry.interval_seconds,
                timeoutSeconds: entry.timeout_seconds,
                defaults: defaultTiming,
                path: itemPath,
                source: source
            )
            let settings = HTTPProbeCollector.Settings(
                name: entry.name,
                url: entry.url,
                method: method,
                expectedStatuses: statuses,
                bodyMatch: entry.body_match,
                headers: entry.headers ?? [:],
                labels: entry.labels ?? [:]
            )
            collectors.append(HTTPProbeCollector(settings: settings, timing: timing))
        }
        return collectors
    }
}
