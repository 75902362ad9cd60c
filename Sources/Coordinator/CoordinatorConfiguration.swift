import Foundation
import Shared
import Yams

/// The coordinator's settings: its YAML file, then flags. With neither, the design's defaults.
struct CoordinatorConfiguration: Sendable, Equatable {
    var agentListen: HostPort
    var httpListen: HostPort
    var dataDirectory: String
    var reportInterval: Duration
    var limits: WireLimits
    var persistInterval: Duration
    /// The rules in effect: the playbook's unless `default_rules` and `rules` say otherwise.
    var rules: [Rule]
    var detection: DetectionSettings
    /// The runbooks in effect: the playbook's unless `default_runbooks` and `runbooks` say otherwise.
    var runbooks: [Runbook]
    var remediation: RemediationSettings
    /// Who is on call and whom each severity pages: the playbook's rotation table unless `oncall` says otherwise.
    var onCall: OnCallSettings
    /// Where notifications go (`channels`) and which severity goes where (`notify`); none by default.
    var notifications: NotificationSettings
    /// How the playbook's messages and the postmortem are written (`messages`).
    var messages: MessageSettings

    static let defaults = CoordinatorConfiguration(
        agentListen: HostPort(host: "127.0.0.1", port: 7400),
        httpListen: HostPort(host: "127.0.0.1", port: 7401),
        dataDirectory: "./vigil-data",
        reportInterval: .seconds(1),
        limits: WireLimits(),
        persistInterval: .seconds(1),
        rules: DefaultRules.all,
        detection: DetectionSettings(),
        runbooks: DefaultRunbooks.all,
        remediation: RemediationSettings(),
        onCall: .playbook,
        notifications: NotificationSettings(),
        messages: MessageSettings()
    )

    private struct File: Decodable {
        var agent_listen: String?
        var http_listen: String?
        var data_dir: String?
        var report_interval_seconds: Double?
        var max_frame_bytes: Int?
        var frame_deadline_seconds: Double?
        var idle_timeout_seconds: Double?
        var ping_interval_seconds: Double?
        var persist_interval_seconds: Double?
    }

    private static let knownKeys: Set<String> = [
        "agent_listen", "http_listen", "data_dir", "report_interval_seconds", "max_frame_bytes",
        "frame_deadline_seconds", "idle_timeout_seconds", "ping_interval_seconds", "persist_interval_seconds",
        "detection", "default_rules", "rules", "remediation", "default_runbooks", "runbooks",
        "oncall", "channels", "notify", "messages",
    ]

    static func load(path: String) throws(CoordinatorConfigurationError) -> CoordinatorConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse(yaml: text, source: path)
    }

    /// The channels each severity pages on, as escalation sees them.
    var paging: [Severity: [PagingChannel]] {
        Dictionary(
            uniqueKeysWithValues: Severity.allCases.map { severity in
                let channels = notifications.routing.channels(for: severity).compactMap { name in
                    notifications.channel(named: name).map(PagingChannel.init)
                }
                return (severity, channels)
            }
        )
    }

    static func parse(yaml: String, source: String) throws(CoordinatorConfigurationError) -> CoordinatorConfiguration {
        let file: File
        let sections: [String: Node]
        do {
            guard let root = try Yams.compose(yaml: yaml) else { return defaults }
            guard case .mapping(let mapping) = root else {
                throw CoordinatorConfigurationError.invalid(
                    source: source,
                    detail: "the file must be a mapping of keys to values"
                )
            }
            for key in mapping.keys {
                guard let name = key.string, !knownKeys.contains(name) else { continue }
                let line = key.mark.map { "line \($0.line): " } ?? ""
                throw CoordinatorConfigurationError.invalid(source: source, detail: "\(line)unknown key \"\(name)\"")
            }
            // Detection and rules nest deeply; they are read node by node so that each problem names its line.
            sections = Dictionary(
                mapping.compactMap { key, value in key.string.map { ($0, value) } },
                uniquingKeysWith: { first, _ in first }
            )
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch let error as CoordinatorConfigurationError {
            throw error
        } catch {
            throw .invalid(source: source, detail: "\(error)".split(separator: "\n").joined(separator: " "))
        }
        var configuration = defaults
        if let text = file.agent_listen {
            configuration.agentListen = try address(text, key: "agent_listen", source: source)
        }
        if let text = file.http_listen {
            configuration.httpListen = try address(text, key: "http_listen", source: source)
        }
        if let path = file.data_dir {
            guard !path.isEmpty else { throw .invalid(source: source, detail: "data_dir must not be empty") }
            configuration.dataDirectory = path
        }
        if let seconds = file.report_interval_seconds {
            configuration.reportInterval = try duration(seconds, key: "report_interval_seconds", source: source)
        }
        if let bytes = file.max_frame_bytes {
            guard (1_024...(64 << 20)).contains(bytes) else {
                throw .invalid(source: source, detail: "max_frame_bytes must be between 1024 and 67108864")
            }
            configuration.limits.maximumFrameBytes = bytes
        }
        if let seconds = file.frame_deadline_seconds {
            configuration.limits.frameDeadline = try duration(seconds, key: "frame_deadline_seconds", source: source)
        }
        if let seconds = file.idle_timeout_seconds {
            configuration.limits.idleTimeout = try duration(seconds, key: "idle_timeout_seconds", source: source)
        }
        if let seconds = file.ping_interval_seconds {
            configuration.limits.pingInterval = try duration(seconds, key: "ping_interval_seconds", source: source)
        }
        if let seconds = file.persist_interval_seconds {
            configuration.persistInterval = try duration(seconds, key: "persist_interval_seconds", source: source)
        }
        guard configuration.limits.pingInterval < configuration.limits.idleTimeout else {
            throw .invalid(source: source, detail: "ping_interval_seconds must be below idle_timeout_seconds")
        }
        let section = { (key: String) in
            sections[key].map { ConfigurationField(node: $0, path: key, context: "", source: source) }
        }
        configuration.detection = try DetectionSettings(configuration: section("detection"))
        configuration.rules = try RuleFile.rules(defaultRules: section("default_rules"), rules: section("rules"))
        configuration.remediation = try RunbookFile.settings(section("remediation"))
        configuration.runbooks = try RunbookFile.runbooks(defaults: section("default_runbooks"), runbooks: section("runbooks"))
        configuration.onCall = try OnCallFile.settings(section("oncall"))
        configuration.notifications = try NotificationSettings(channels: section("channels"), notify: section("notify"))
        configuration.messages = try MessageSettings.parse(section("messages"))
        // One setting for one thing: the built-in silence rule's threshold is the heartbeat allowance, unless a
        // `rules:` entry for it sets a threshold of its own.
        if !setsThreshold(of: DefaultRules.nodeSilent, in: sections["rules"]) {
            let allowance = configuration.detection.heartbeatAllowance.timeInterval
            configuration.rules = configuration.rules.map { rule in
                var rule = rule
                if rule.name == DefaultRules.nodeSilent { rule.threshold = allowance }
                return rule
            }
        }
        return configuration
    }

    private static func setsThreshold(of rule: RuleName, in rules: Node?) -> Bool {
        guard case .sequence(let entries)? = rules else { return false }
        return entries.contains { entry in
            guard case .mapping(let fields) = entry else { return false }
            return fields["name"]?.string == rule.rawValue && fields["threshold"] != nil
        }
    }

    private static func address(
        _ text: String,
        key: String,
        source: String
    ) throws(CoordinatorConfigurationError)
        -> HostPort
    {
        guard let address = HostPort(text) else {
            throw .invalid(source: source, detail: "\(key) \"\(text)\" is not HOST:PORT")
        }
        return address
    }

    private static func duration(
        _ seconds: Double,
        key: String,
        source: String
    ) throws(CoordinatorConfigurationError)
        -> Duration
    {
        guard let duration = Duration(configurationSeconds: seconds) else {
            throw .invalid(source: source, detail: "\(key) must be a number of seconds above 0 and at most 86400")
        }
        return duration
    }
}

/// A configuration that cannot be used, with the file and the first problem in it.
enum CoordinatorConfigurationError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(source: String, detail: String)

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read config \(path): \(reason)"
        case .invalid(let source, let detail): "\(source): \(detail)"
        }
    }
}
