import Yams

/// `collectors.system`: memory, CPU and load; always on, with these settings when the section is absent.
enum SystemCollectorKind: CollectorKind {
    static let section = "system"
    static let defaultTiming = CollectorTiming(interval: .seconds(1), timeout: .seconds(2))

    private struct Settings: Decodable {
        var interval_seconds: Double?
        var timeout_seconds: Double?
    }

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let settings = try ConfigurationNode.decode(
            Settings.self,
            from: node,
            allowed: ["": ["interval_seconds", "timeout_seconds"]],
            path: "collectors.system",
            source: source
        )
        let timing = try CollectorTiming(
            intervalSeconds: settings.interval_seconds,
            timeoutSeconds: settings.timeout_seconds,
            defaults: defaultTiming,
            path: "collectors.system",
            source: source
        )
        return [SystemCollector(timing: timing)]
    }

    static func makeDefaultCollectors() -> [any Collector] {
        [SystemCollector(timing: defaultTiming)]
    }
}
