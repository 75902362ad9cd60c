import Shared
import Yams

/// A kind of collector the config file can turn on: its section under `collectors:` and how to build it.
///
/// Each kind reads its own section, so adding a collector touches its own files and one line of
/// `CollectorKinds.all`, not the configuration as a whole.
protocol CollectorKind: Sendable {
    /// The key under `collectors:`.
    static var section: String { get }
    /// Builds the collectors the section configures; throws naming the line of the first problem.
    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector]
    /// The collectors this kind runs when its section is absent; most run none.
    static func makeDefaultCollectors() -> [any Collector]
}

extension CollectorKind {
    static func makeDefaultCollectors() -> [any Collector] { [] }
}

/// Every collector kind the agent knows, in the order their results are listed.
enum CollectorKinds {
    static let all: [any CollectorKind.Type] = [
        SystemCollectorKind.self,
        AgentSelfCollectorKind.self,
        ProcessCollectorKind.self,
        ConnectionCollectorKind.self,
        HTTPProbeCollectorKind.self,
        PrometheusCollectorKind.self,
        RedisCollectorKind.self,
        PostgresCollectorKind.self,
    ]

    /// Builds the collectors of a `collectors:` mapping; kinds it does not mention run their defaults.
    static func makeCollectors(from node: Node?, source: String) throws(ConfigurationError) -> [any Collector] {
        var sections: [String: Node] = [:]
        if let node {
            guard case .mapping(let mapping) = node else {
                throw .invalid(source: source, detail: "\(lineText(node))collectors must be a mapping of collector kinds")
            }
            let known = Set(all.map { $0.section })
            for (key, value) in mapping {
                guard let name = key.string, known.contains(name) else {
                    throw .invalid(
                        source: source,
                        detail: "\(lineText(key))unknown collector \"collectors.\(key.string ?? "?")\" "
                            + "(known: \(known.sorted().joined(separator: ", ")))"
                    )
                }
                sections[name] = value
            }
        }
        var collectors: [any Collector] = []
        for kind in all {
            if let section = sections[kind.section] {
                collectors += try kind.makeCollectors(from: section, source: source)
            } else {
                collectors += kind.makeDefaultCollectors()
            }
        }
        var seen: Set<String> = []
        for collector in collectors where !seen.insert(collector.name).inserted {
            throw .invalid(source: source, detail: "two collectors are named \"\(collector.name)\"; names must be unique")
        }
        return collectors
    }

    private static func lineText(_ node: Node) -> String {
        ConfigurationNode.line(of: node).map { "line \($0): " } ?? ""
    }
}

/// How often a collector runs and how long one run may take, as every section may set them.
struct CollectorTiming: Sendable, Equatable {
    var interval: Duration
    var timeout: Duration

    /// Reads `interval_seconds` and `timeout_seconds` (either may be absent); the timeout never exceeds the interval.
    init(
        intervalSeconds: Double?,
        timeoutSeconds: Double?,
        defaults: CollectorTiming,
        path: String,
        source: String
    ) throws(ConfigurationError) {
        interval = defaults.interval
        timeout = defaults.timeout
        if let seconds = intervalSeconds {
            guard let duration = Duration(configurationSeconds: seconds) else {
                throw .invalid(source: source, detail: "\(path).interval_seconds must be above 0 and at most 86400")
            }
            interval = duration
        }
        if let seconds = timeoutSeconds {
            guard let duration = Duration(configurationSeconds: seconds) else {
                throw .invalid(source: source, detail: "\(path).timeout_seconds must be above 0 and at most 86400")
            }
            timeout = duration
        }
        timeout = min(timeout, interval)
    }

    init(interval: Duration, timeout: Duration) {
        self.interval = interval
        self.timeout = timeout
    }
}
