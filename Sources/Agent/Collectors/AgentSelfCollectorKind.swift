import Yams

/// `collectors.agent`: the agent's own memory and CPU; always on, with these settings when the section is absent.
///
/// A kind of its own rather than part of `system`, so the agent's cost is reported even when the system
/// collector fails (a bad `/proc/meminfo` must not hide whether the agent itself is the problem).
enum AgentSelfCollectorKind: CollectorKind {
    static let section = "agent"
    static let defaultTiming = CollectorTiming(interval: .seconds(5), timeout: .seconds(1))

    private struct Settings: Decodable {
        var interval_seconds: Double?
        var timeout_seconds: Double?
    }

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let settings = try ConfigurationNode.decode(
            Settings.self,
            from: node,
            allowed: ["": ["interval_seconds", "timeout_seconds"]],
            path: "collectors.agent",
            source: source
        )
        let timing = try CollectorTiming(
            intervalSeconds: settings.interval_seconds,
            timeoutSeconds: settings.timeout_seconds,
            defaults: defaultTiming,
            path: "collectors.agent",
            source: source
        )
        return [AgentSelfCollector(timing: timing)]
    }

    static func makeDefaultCollectors() -> [any Collector] {
        [AgentSelfCollector(timing: defaultTiming)]
    }
}
