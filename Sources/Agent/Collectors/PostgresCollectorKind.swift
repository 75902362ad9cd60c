import Foundation
import Yams

/// `collectors.postgres`: a list of PostgreSQL servers, each watched by its own `postgres:<name>` collector.
enum PostgresCollectorKind: CollectorKind {
    static let section = "postgres"
    static let defaultTiming = CollectorTiming(interval: .seconds(10), timeout: .seconds(5))

    struct Settings: Decodable {
        var name: String?
        var host: String?
        var port: Int?
        var user: String?
        var password: String?
        var database: String?
        var tls: String?
        var interval_seconds: Double?
        var timeout_seconds: Double?
    }

    private static let keys: Set<String> = [
        "name", "host", "port", "user", "password", "database", "tls", "interval_seconds", "timeout_seconds",
    ]

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let path = "collectors.postgres"
        guard case .sequence(let items) = node else {
            let line = ConfigurationNode.line(of: node).map { "line \($0): " } ?? ""
            throw .invalid(source: source, detail: "\(line)\(path) must be a list of servers, each with a name")
        }
        var list: [Settings] = []
        for (index, item) in items.enumerated() {
            list.append(
                try ConfigurationNode.decode(
                    Settings.self,
                    from: item,
                    allowed: ["": keys],
                    path: "\(path)[\(index)]",
                    source: source
                )
            )
        }
        var names: Set<String> = []
        var collectors: [any Collector] = []
        for (index, settings) in list.enumerated() {
            let itemPath = "\(path)[\(index)]"
            let target = try target(from: settings, path: itemPath, source: source)
            guard names.insert(target.name).inserted else {
                throw .invalid(
                    source: source,
                    detail: "\(itemPath).name \"\(target.name)\" is used twice; names must be unique"
                )
            }
            let timing = try CollectorTiming(
                intervalSeconds: settings.interval_seconds,
                timeoutSeconds: settings.timeout_seconds,
                defaults: defaultTiming,
                path: itemPath,
                source: source
            )
            collectors.append(PostgresCollector(target: target, timing: timing))
        }
        return collectors
    }

    static func target(
        from settings: Settings,
        path: String,
        source: String
    ) throws(ConfigurationError) -> PostgresCollector.Target {
        guard let name = settings.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw .invalid(source: source, detail: "\(path).name is required and must not be empty")
        }
        let host = settings.host ?? "127.0.0.1"
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            throw .invalid(source: source, detail: "\(path).host must be a host name or address")
        }
        let port = settings.port ?? 5432
        guard (1...65535).contains(port) else {
            throw .invalid(source: source, detail: "\(path).port must be between 1 and 65535")
        }
        let user = settings.user ?? "postgres"
        guard !user.isEmpty else {
            throw .invalid(source: source, detail: "\(path).user must not be empty")
        }
        guard let tls = PostgresCollector.Target.TLSMode(rawValue: settings.tls ?? "disable") else {
            throw .invalid(source: source, detail: "\(path).tls must be one of disable, prefer, require")
        }
        return PostgresCollector.Target(
            name: name,
            host: host,
            port: port,
            user: user,
            password: settings.password.flatMap { $0.isEmpty ? nil : $0 },
            database: settings.database.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres",
            tls: tls
        )
    }
}
