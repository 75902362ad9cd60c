import Yams

/// `collectors.connections`: TCP sockets by state, with per-port counts for the listed ports; off when absent.
///
/// ```yaml
/// connections:
///   ports: [5432, 6379]
///   interval_seconds: 5
/// ```
enum ConnectionCollectorKind: CollectorKind {
    static let section = "connections"
    static let defaultTiming = CollectorTiming(interval: .seconds(5), timeout: .seconds(2))

    private struct Settings: Decodable {
        var ports: [Int]?
        var interval_seconds: Double?
        var timeout_seconds: Double?
    }

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let path = "collectors.connections"
        let settings = try ConfigurationNode.decode(
            Settings.self,
            from: node,
            allowed: ["": ["ports", "interval_seconds", "timeout_seconds"]],
            path: path,
            source: source
        )
        var ports: [UInt16] = []
        for (index, port) in (settings.ports ?? []).enumerated() {
            guard (1...65_535).contains(port) else {
                throw .invalid(source: source, detail: "\(path).ports[\(index)] \(port) must be a port from 1 to 65535")
            }
            // A port listed twice would send each of its series twice.
            if !ports.contains(UInt16(port)) { ports.append(UInt16(port)) }
        }
        let timing = try CollectorTiming(
            intervalSeconds: settings.interval_seconds,
            timeoutSeconds: settings.timeout_seconds,
            defaults: defaultTiming,
            path: path,
            source: source
        )
        return [ConnectionCollector(ports: ports, timing: timing)]
    }
}
