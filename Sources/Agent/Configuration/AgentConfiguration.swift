import Foundation
import Shared
import Yams

/// The agent's settings, from its YAML file, then overridden by command-line flags.
///
/// Every key is optional: with no file at all the agent reports to 127.0.0.1:7400 as this host's name.
struct AgentConfiguration: Sendable {
    var nodeID: NodeID
    var coordinator: HostPort
    var labels: [String: String]
    var reportInterval: Duration
    var bufferLimits: ReportBuffer.Limits
    var backoffInitial: Duration
    var backoffMaximum: Duration
    var connectTimeout: Duration
    var limits: WireLimits
    /// What the agent measures: the system collector, plus whatever `collectors:` turns on.
    var collectors: [any Collector]
    /// Where the agent keeps what must outlive it: the log of the commands it ran.
    var stateDirectory: String
    /// Which actions the coordinator may ask for, and their bounds; nothing unless `actions:` enables it.
    var actionPolicy: ActionPolicy

    static let defaultStateDirectory = "/var/lib/vigil-agent"

    static let defaultCoordinator = HostPort(host: "127.0.0.1", port: 7400)

    /// The file's shape; snake_case keys, durations in seconds as `…_seconds`.
    private struct File: Decodable {
        var node_id: String?
        var coordinator: String?
        var labels: [String: String]?
        var report_interval_seconds: Double?
        var buffer: Buffer?
        var reconnect: Reconnect?
        var max_frame_bytes: Int?
        var state_dir: String?

        struct Buffer: Decodable {
            var max_reports: Int?
            var max_bytes: Int?
        }

        struct Reconnect: Decodable {
            var initial_delay_seconds: Double?
            var max_delay_seconds: Double?
            var connect_timeout_seconds: Double?
        }
    }

    /// Every key the file may hold, by section; anything else is a typo worth stopping for.
    private static let knownKeys: [String: Set<String>] = [
        "": [
            "node_id", "coordinator", "labels", "report_interval_seconds", "buffer", "reconnect", "max_frame_bytes",
            "collectors", "state_dir", "actions",
        ],
        "buffer": ["max_reports", "max_bytes"],
        "reconnect": ["initial_delay_seconds", "max_delay_seconds", "connect_timeout_seconds"],
    ]

    /// Defaults for this host.
    static func defaults(hostname: String) -> AgentConfiguration {
        AgentConfiguration(
            nodeID: NodeID(sanitizing: hostname),
            coordinator: defaultCoordinator,
            labels: [:],
            reportInterval: .seconds(1),
            bufferLimits: ReportBuffer.Limits(maximumReports: 3_600, maximumBytes: 16 << 20),
            backoffInitial: .milliseconds(500),
            backoffMaximum: .seconds(30),
            connectTimeout: .seconds(5),
            limits: WireLimits(),
            collectors: CollectorKinds.all.flatMap { $0.makeDefaultCollectors() },
            stateDirectory: defaultStateDirectory,
            actionPolicy: ActionPolicy()
        )
    }

    /// Reads and validates a YAML file on top of the defaults.
    static func load(path: String, hostname: String) throws(ConfigurationError) -> AgentConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse(yaml: text, source: path, hostname: hostname)
    }

    static func parse(yaml: String, source: String, hostname: String) throws(ConfigurationError) -> AgentConfiguration {
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else { return defaults(hostname: hostname) }
            root = composed
        } catch {
            throw .invalid(source: source, detail: ConfigurationError.describe(error))
        }
        let file = try ConfigurationNode.decode(File.self, from: root, allowed: knownKeys, path: "", source: source)
        var configuration = defaults(hostname: hostname)
        if let text = file.node_id {
            guard let id = NodeID(text) else {
                throw .invalid(source: source, detail: "node_id \"\(text)\" is invalid: use 1–128 of A-Z a-z 0-9 . _ - :")
            }
            configuration.nodeID = id
        }
        if let text = file.coordinator {
            guard let address = HostPort(text) else {
                throw .invalid(source: source, detail: "coordinator \"\(text)\" is not HOST:PORT")
            }
            configuration.coordinator = address
        }
        if let labels = file.labels { configuration.labels = labels }
        if let seconds = file.report_interval_seconds {
            configuration.reportInterval = try positiveDuration(seconds, key: "report_interval_seconds", source: source)
        }
        if let maximum = file.buffer?.max_reports {
            guard maximum > 0 else { throw .invalid(source: source, detail: "buffer.max_reports must be positive") }
            configuration.bufferLimits.maximumReports = maximum
        }
        if let maximum = file.buffer?.max_bytes {
            guard maximum > 0 else { throw .invalid(source: source, detail: "buffer.max_bytes must be positive") }
            configuration.bufferLimits.maximumBytes = maximum
        }
        if let seconds = file.reconnect?.initial_delay_seconds {
            configuration.backoffInitial = try positiveDuration(seconds, key: "reconnect.initial_delay_seconds", source: source)
        }
        if let seconds = file.reconnect?.max_delay_seconds {
            configuration.backoffMaximum = try positiveDuration(seconds, key: "reconnect.max_delay_seconds", source: source)
        }
        if let seconds = file.reconnect?.connect_timeout_seconds {
            configuration.connectTimeout = try positiveDuration(seconds, key: "reconnect.connect_timeout_seconds", source: source)
        }
        if let bytes = file.max_frame_bytes {
            guard (1_024...(64 << 20)).contains(bytes) else {
                throw .invalid(source: source, detail: "max_frame_bytes must be between 1024 and 67108864")
            }
            configuration.limits.maximumFrameBytes = bytes
        }
        configuration.collectors = try CollectorKinds.makeCollectors(from: root["collectors"], source: source)
        if let directory = file.state_dir {
            guard directory.hasPrefix("/"), !directory.split(separator: "/").contains("..") else {
                throw .invalid(source: source, detail: "state_dir \"\(directory)\" must be an absolute path without ..")
            }
            configuration.stateDirectory = directory
        }
        configuration.actionPolicy = try ActionPolicyParser.parse(root["actions"], source: source)
        guard configuration.backoffInitial <= configuration.backoffMaximum else {
            throw .invalid(source: source, detail: "reconnect.initial_delay_seconds exceeds reconnect.max_delay_seconds")
        }
        return configuration
    }

    private static func positiveDuration(_ seconds: Double, key: String, source: String) throws(ConfigurationError)
        -> Duration
    {
        guard let duration = Duration(configurationSeconds: seconds) else {
            throw .invalid(source: source, detail: "\(key) must be a number of seconds above 0 and at most 86400")
        }
        return duration
    }
}

/// A configuration that cannot be used, with the file and the first problem in it.
enum ConfigurationError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(source: String, detail: String)

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read config \(path): \(reason)"
        case .invalid(let source, let detail): "\(source): \(detail)"
        }
    }

    /// Turns a decoding error into one line naming the key path or the YAML position.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _):
            return "missing key \(key.stringValue)"
        case let yamlError as YamlError:
            return "\(yamlError)".split(separator: "\n").joined(separator: " ")
        default:
            return "\(error)".split(separator: "\n").joined(separator: " ")
        }
    }
}

extension NodeID {
    /// A node id made from a host name: disallowed characters become `-`; an empty result becomes `localhost`.
    init(sanitizing hostname: String) {
        let allowed = hostname.prefix(NodeID.maximumLength).map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || "._-:".contains(character))
                ? character : "-"
        }
        self = NodeID(String(allowed)) ?? .localhost
    }
}
