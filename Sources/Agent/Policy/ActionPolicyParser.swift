import Foundation
import Shared
import Yams

/// Reads the `actions:` section of the agent's YAML into an `ActionPolicy`: one key per enabled action, its
/// bounds inside, unknown keys refused and every error one line naming the key and, where known, its line.
///
/// A parser, and the one place every action's settings are spelled, hence its length.
enum ActionPolicyParser {
    /// Keys every action section may hold besides its own.
    private static let commonKeys: Set<String> = ["timeout_seconds", "max_runs_per_hour"]

    private struct Common: Decodable {
        var timeout_seconds: Double?
        var max_runs_per_hour: Int?
    }

    static func parse(_ node: Node?, source: String) throws(ConfigurationError) -> ActionPolicy {
        var policy = ActionPolicy()
        guard let node else { return policy }
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            return policy
        }
        guard case .mapping(let mapping) = node else {
            throw invalid(node, "actions must be a mapping of action names to their settings", source)
        }
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard let action = ActionName(rawValue: name) else {
                let known = ActionName.allCases.map(\.rawValue).joined(separator: ", ")
                throw invalid(key, "unknown key \"actions.\(name)\" (actions are \(known))", source)
            }
            let context = Context(path: "actions.\(name)", node: value, source: source)
            policy.limits[action] = try limits(context, own: ownKeys(action))
            switch action {
            case .restartService: policy.restartService = try restartService(context)
            case .signalProcess: policy.signalProcess = try signalProcess(context)
            case .redisDeleteKeys: policy.redisDeleteKeys = try redisDeleteKeys(context)
            case .redisFlushDatabase:
                policy.redisFlushDatabase = .init(instances: try redisInstances(context, requireDatabase: true))
            case .redisSetMaxMemory: policy.redisSetMaxMemory = try redisSetMaxMemory(context)
            case .postgresTerminateIdle: policy.postgresTerminateIdle = try postgresTerminateIdle(context)
            case .httpCall: policy.httpCall = try httpCall(context)
            case .runScript: policy.runScript = try runScript(context)
            }
        }
        return policy
    }

    private static func ownKeys(_ action: ActionName) -> Set<String> {
        switch action {
        case .restartService: ["services"]
        case .signalProcess: ["processes", "signals"]
        case .redisDeleteKeys: ["instances", "patterns", "max_keys", "batch_size"]
        case .redisFlushDatabase: ["instances"]
        case .redisSetMaxMemory: ["instances", "min_bytes", "max_bytes"]
        case .postgresTerminateIdle: ["instances", "min_idle_minutes"]
        case .httpCall: ["endpoints"]
        case .runScript: ["scripts"]
        }
    }

    /// Where a section is, for its messages.
    private struct Context {
        var path: String
        var node: Node
        var source: String

        func fail(_ key: String?, _ reason: String) -> ConfigurationError {
            let target = key.flatMap { node[$0] } ?? node
            let name = key.map { "\(path).\($0)" } ?? path
            return invalid(target, "\(name) \(reason)", source)
        }
    }

    private static func limits(_ context: Context, own: Set<String>) throws(ConfigurationError) -> ActionPolicy.Limits {
        let common = try ConfigurationNode.decode(
            Common.self,
            from: context.node,
            allowed: ["": commonKeys.union(own)],
            path: context.path,
            source: context.source
        )
        var limits = ActionPolicy.Limits()
        if let seconds = common.timeout_seconds {
            guard let timeout = Duration(configurationSeconds: seconds), timeout <= ActionPolicy.Limits.maximumTimeout
            else {
                throw context.fail("timeout_seconds", "must be a number of seconds above 0 and at most 3600")
            }
            limits.timeout = timeout
        }
        if let runs = common.max_runs_per_hour {
            guard (1...3_600).contains(runs) else {
                throw context.fail("max_runs_per_hour", "must be between 1 and 3600")
            }
            limits.runsPerHour = runs
        }
        return limits
    }

    // MARK: - Named entries

    /// The entries of the mapping under `key`, by name, each decoded with its keys checked.
    private static func named<T: Decodable>(
        _ key: String,
        of context: Context,
        keys: Set<String>?,
        what: String
    ) throws(ConfigurationError) -> [(name: String, value: T, node: Node)] {
        guard let section = context.node[key] else { throw context.fail(nil, "needs \(key): at least one \(what)") }
        guard case .mapping(let mapping) = section, !mapping.isEmpty else {
            throw context.fail(key, "must be a mapping of names to \(what) settings, with at least one")
        }
        var entries: [(name: String, value: T, node: Node)] = []
        for (nameNode, item) in mapping {
            let name = nameNode.string ?? ""
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
                throw invalid(
                    nameNode,
                    "\(context.path).\(key) has a name \"\(name)\" that is empty or has spaces",
                    context.source
                )
            }
            let value = try ConfigurationNode.decode(
                T.self,
                from: item,
                allowed: keys.map { ["": $0] } ?? [:],
                path: "\(context.path).\(key).\(name)",
                source: context.source
            )
            entries.append((name, value, item))
        }
        return entries
    }

    private static func value<T: Decodable>(
        _ type: T.Type,
        _ key: String,
        of context: Context
    ) throws(ConfigurationError) -> T? {
        guard let node = context.node[key] else { return nil }
        return try ConfigurationNode.decode(
            type,
            from: node,
            allowed: [:],
            path: "\(context.path).\(key)",
            source: context.source
        )
    }

    // MARK: - Sections

    private static func restartService(_ context: Context) throws(ConfigurationError) -> RestartServiceAction.Policy {
        var services: [String: [String]] = [:]
        for entry: (name: String, value: [String], node: Node) in try named(
            "services",
            of: context,
            keys: nil,
            what: "service"
        ) {
            let path = "\(context.path).services.\(entry.name)"
            try checkArgv(entry.value, path: path, node: entry.node, source: context.source)
            services[entry.name] = entry.value
        }
        return .init(services: services)
    }

    private static func signalProcess(_ context: Context) throws(ConfigurationError) -> SignalProcessAction.Policy {
        var processes: [String: ProcessMatcher] = [:]
        let entries: [(name: String, value: ProcessCollectorKind.Match, node: Node)] = try named(
            "processes",
            of: context,
            keys: ["process_name", "pid_file", "command_line"],
            what: "process"
        )
        for entry in entries {
            let line = ConfigurationNode.line(of: entry.node).map { "line \($0): " } ?? ""
            processes[entry.name] = try ProcessCollectorKind.matcher(
                entry.value,
                path: "\(context.path).processes.\(entry.name)",
                line: line,
                source: context.source
            )
        }
        let names = try value([String].self, "signals", of: context) ?? []
        guard !names.isEmpty else {
            throw context.fail(nil, "needs signals: the signals that may be sent, such as [HUP, USR2]")
        }
        var signals: [String] = []
        for name in names {
            let normalized = SignalProcessAction.normalized(name)
            guard SignalProcessAction.knownSignals[normalized] != nil else {
                let known = SignalProcessAction.knownSignals.keys.sorted().joined(separator: ", ")
                throw context.fail("signals", "names \"\(name)\", which is not one of \(known)")
            }
            signals.append(normalized)
        }
        return .init(processes: processes, signals: signals)
    }

    private struct RedisSettings: Decodable {
        var address: String
        var username: String?
        var password: String?
        var database: Int?
    }

    private static func redisInstances(
        _ context: Context,
        requireDatabase: Bool = false
    ) throws(ConfigurationError) -> [String: RedisInstance] {
        var instances: [String: RedisInstance] = [:]
        let entries: [(name: String, value: RedisSettings, node: Node)] = try named(
            "instances",
            of: context,
            keys: ["address", "username", "password", "database"],
            what: "Redis instance"
        )
        for (name, settings, node) in entries {
            let path = "\(context.path).instances.\(name)"
            guard let address = HostPort(settings.address), (1...65_535).contains(address.port) else {
                throw invalid(node, "\(path).address must be HOST:PORT, found \"\(settings.address)\"", context.source)
            }
            guard !requireDatabase || settings.database != nil else {
                throw invalid(node, "\(path).database is required: the database FLUSHDB empties", context.source)
            }
            let database = settings.database ?? 0
            guard database >= 0 else { throw invalid(node, "\(path).database must be 0 or more", context.source) }
            let password = settings.password.flatMap { $0.isEmpty ? nil : $0 }
            let username = settings.username.flatMap { $0.isEmpty ? nil : $0 }
            guard username == nil || password != nil else {
                throw invalid(node, "\(path).username needs a password", context.source)
            }
            let options = RedisConnection.Options(
                address: address,
                username: username,
                password: password,
                database: database
            )
            instances[name] = RedisInstance(name: name, options: options)
        }
        return instances
    }

    private static func redisDeleteKeys(_ context: Context) throws(ConfigurationError) -> RedisDeleteKeysAction.Policy {
        let instances = try redisInstances(context)
        let patterns = try value([String].self, "patterns", of: context) ?? []
        guard !patterns.isEmpty else {
            throw context.fail(nil, "needs patterns: the exact patterns commands may use, such as [\"tts:*\"]")
        }
        if let everything = patterns.first(where: RedisDeleteKeysAction.matchesEverything) {
            throw context.fail("patterns", "may not hold \"\(everything)\": it matches every key (use redis_flush_db)")
        }
        let maximumKeys = try value(Int.self, "max_keys", of: context) ?? 100_000
        guard maximumKeys >= 1 else { throw context.fail("max_keys", "must be 1 or more") }
        let batchSize = try value(Int.self, "batch_size", of: context) ?? 500
        guard (1...10_000).contains(batchSize) else { throw context.fail("batch_size", "must be between 1 and 10000") }
        return .init(instances: instances, patterns: patterns, maximumKeys: maximumKeys, batchSize: batchSize)
    }

    private static func redisSetMaxMemory(
        _ context: Context
    ) throws(ConfigurationError) -> RedisSetMaxMemoryAction.Policy {
        let instances = try redisInstances(context)
        guard let minimum = try value(Int64.self, "min_bytes", of: context), minimum >= 1 else {
            throw context.fail("min_bytes", "is required and must be 1 or more")
        }
        guard let maximum = try value(Int64.self, "max_bytes", of: context), maximum >= minimum else {
            throw context.fail("max_bytes", "is required and must be at least min_bytes")
        }
        return .init(instances: instances, minimumBytes: minimum, maximumBytes: maximum)
    }

    private static func postgresTerminateIdle(
        _ context: Context
    ) throws(ConfigurationError) -> PostgresTerminateIdleAction.Policy {
        var instances: [String: PostgresCollector.Target] = [:]
        let entries: [(name: String, value: PostgresCollectorKind.Settings, node: Node)] = try named(
            "instances",
            of: context,
            keys: ["host", "port", "user", "password", "database", "tls"],
            what: "PostgreSQL server"
        )
        for entry in entries {
            var settings = entry.value
            settings.name = entry.name
            instances[entry.name] = try PostgresCollectorKind.target(
                from: settings,
                path: "\(context.path).instances.\(entry.name)",
                source: context.source
            )
        }
        let minimum = try value(Int.self, "min_idle_minutes", of: context) ?? 10
        guard minimum >= 0 else { throw context.fail("min_idle_minutes", "must be 0 or more") }
        return .init(instances: instances, minimumIdleMinutes: minimum)
    }

    private struct EndpointSettings: Decodable {
        var method: String?
        var url: String
        var body: String?
        var headers: [String: String]?
        var expected_statuses: [Int]?
    }

    private static func httpCall(_ context: Context) throws(ConfigurationError) -> HTTPCallAction.Policy {
        var endpoints: [String: HTTPCallAction.Endpoint] = [:]
        let entries: [(name: String, value: EndpointSettings, node: Node)] = try named(
            "endpoints",
            of: context,
            keys: ["method", "url", "body", "headers", "expected_statuses"],
            what: "endpoint"
        )
        for (name, settings, node) in entries {
            let path = "\(context.path).endpoints.\(name)"
            guard isLocalHTTP(settings.url) else {
                throw invalid(
                    node,
                    "\(path).url must be http(s) on this host (localhost, 127.0.0.1 or [::1]), found \"\(settings.url)\"",
                    context.source
                )
            }
            let method = (settings.method ?? "POST").uppercased()
            guard ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method) else {
                throw invalid(node, "\(path).method must be one of GET, POST, PUT, DELETE, PATCH", context.source)
            }
            let statuses = settings.expected_statuses ?? [200, 202, 204]
            guard !statuses.isEmpty, statuses.allSatisfy({ (100...599).contains($0) }) else {
                throw invalid(node, "\(path).expected_statuses must list HTTP statuses from 100 to 599", context.source)
            }
            let headers = settings.headers ?? [:]
            guard headers.allSatisfy({ !"\($0.key)\($0.value)".contains(where: \.isNewline) }) else {
                throw invalid(node, "\(path).headers must not contain line breaks", context.source)
            }
            endpoints[name] = .init(
                method: method,
                url: settings.url,
                body: settings.body,
                headers: headers,
                expectedStatuses: statuses
            )
        }
        return .init(endpoints: endpoints)
    }

    /// http or https to a loopback name or address: the endpoints are this host's own admin interfaces.
    static func isLocalHTTP(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.user == nil, let host = components.host?.lowercased()
        else { return false }
        return ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
    }

    private struct ScriptSettings: Decodable {
        var path: String
        var argv: [String]?
        var arg_patterns: [String]?
        var max_args: Int?
    }

    private static func runScript(_ context: Context) throws(ConfigurationError) -> RunScriptAction.Policy {
        var scripts: [String: RunScriptAction.Script] = [:]
        let entries: [(name: String, value: ScriptSettings, node: Node)] = try named(
            "scripts",
            of: context,
            keys: ["path", "argv", "arg_patterns", "max_args"],
            what: "script"
        )
        for (name, settings, node) in entries {
            let path = "\(context.path).scripts.\(name)"
            let fixed = settings.argv ?? []
            try checkArgv([settings.path] + fixed, path: path, node: node, source: context.source)
            let patterns = settings.arg_patterns ?? []
            for pattern in patterns {
                do { _ = try Regex(pattern) } catch {
                    throw invalid(
                        node,
                        "\(path).arg_patterns holds \"\(pattern)\", which is not a valid regular expression",
                        context.source
                    )
                }
            }
            let maximum = settings.max_args ?? (patterns.isEmpty ? 0 : patterns.count)
            guard (0...64).contains(maximum) else {
                throw invalid(node, "\(path).max_args must be between 0 and 64", context.source)
            }
            guard maximum == 0 || !patterns.isEmpty else {
                throw invalid(node, "\(path).max_args needs arg_patterns to check the arguments with", context.source)
            }
            scripts[name] = .init(
                path: settings.path,
                fixedArguments: fixed,
                argumentPatterns: patterns,
                maximumArguments: maximum
            )
        }
        return .init(scripts: scripts)
    }

    // MARK: - Checks

    /// An argv runs without a shell, so it must start with an absolute program path; `..` and control
    /// characters are refused so the file that runs is the one a reader of the config sees.
    private static func checkArgv(_ argv: [String], path: String, node: Node, source: String) throws(ConfigurationError)
    {
        guard let program = argv.first, program.hasPrefix("/") else {
            throw invalid(node, "\(path) must start with an absolute program path, such as /usr/bin/systemctl", source)
        }
        for argument in argv {
            if argument.split(separator: "/").contains("..") {
                throw invalid(node, "\(path) holds \"\(argument)\": \"..\" is not allowed in a path", source)
            }
            if argument.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw invalid(node, "\(path) holds an argument with a control or line-break character", source)
            }
        }
    }

    private static func invalid(_ node: Node, _ detail: String, _ source: String) -> ConfigurationError {
        let line = ConfigurationNode.line(of: node).map { "line \($0): " } ?? ""
        return .invalid(source: source, detail: line + detail)
    }
}
