import Shared
import Yams

/// `collectors.redis`: a list of Redis instances, each measured by its own `redis:<name>` collector.
enum RedisCollectorKind: CollectorKind {
    static let section = "redis"
    static let defaultTiming = CollectorTiming(interval: .seconds(5), timeout: .seconds(2))

    private struct Section: Decodable {
        var redis: [Instance]
    }

    private struct Instance: Decodable {
        var name: String
        var address: String
        var username: String?
        var password: String?
        var database: Int?
        var interval_seconds: Double?
        var timeout_seconds: Double?
    }

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        guard case .sequence = node else {
            let line = ConfigurationNode.line(of: node).map { "line \($0): " } ?? ""
            throw .invalid(source: source, detail: "\(line)collectors.redis must be a list of instances, one per Redis")
        }
        // The section is a list, so it is decoded as the value of a one-key mapping: that way each entry's
        // keys are checked with the `x[]` form and messages name the full path `collectors.redis[i].key`.
        let section = try ConfigurationNode.decode(
            Section.self,
            from: Node([(Node(section), node)]),
            allowed: [
                "": [section],
                "\(section)[]": [
                    "name", "address", "username", "password", "database", "interval_seconds", "timeout_seconds",
                ],
            ],
            path: "collectors",
            source: source
        )
        var names: Set<String> = []
        var collectors: [any Collector] = []
        for (index, instance) in section.redis.enumerated() {
            let path = "collectors.redis[\(index)]"
            func invalid(_ key: String, _ reason: String) -> ConfigurationError {
                let line = lineText(of: key, at: index, in: node)
                return .invalid(source: source, detail: "\(line)\(path).\(key) \(reason)")
            }
            let name = instance.name
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
                throw invalid("name", "must be a non-empty word, found \"\(instance.name)\"")
            }
            guard names.insert(name).inserted else {
                throw invalid("name", "\"\(name)\" is used twice; names must be unique")
            }
            guard let address = HostPort(instance.address), (1...65_535).contains(address.port) else {
                throw invalid("address", "must be HOST:PORT with a port from 1 to 65535, found \"\(instance.address)\"")
            }
            let database = instance.database ?? 0
            guard database >= 0 else { throw invalid("database", "must be 0 or more") }
            let password = instance.password.flatMap { $0.isEmpty ? nil : $0 }
            let username = instance.username.flatMap { $0.isEmpty ? nil : $0 }
            guard username == nil || password != nil else { throw invalid("username", "needs a password") }
            let timing = try CollectorTiming(
                intervalSeconds: instance.interval_seconds,
                timeoutSeconds: instance.timeout_seconds,
                defaults: defaultTiming,
                path: path,
                source: source
            )
            collectors.append(
                RedisCollector(
                    settings: RedisCollector.Settings(
                        instance: name,
                        address: address,
                        username: username,
                        password: password,
                        database: database,
                        timing: timing
                    )
                )
            )
        }
        return collectors
    }

    /// "line N: " for `key` of entry `index`, or for the entry itself when the key is absent.
    private static func lineText(of key: String, at index: Int, in node: Node) -> String {
        guard case .sequence(let items) = node, items.indices.contains(index) else { return "" }
        let item = items[index]
        let target = item.mapping?[Node(key)] ?? item
        return ConfigurationNode.line(of: target).map { "line \($0): " } ?? ""
    }
}
