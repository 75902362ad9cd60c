import Shared
import Yams

/// `collectors.processes`: a list of watched processes, each its own collector `process:<name>`.
///
/// ```yaml
/// processes:
///   - name: review-engine
///     match: {pid_file: /run/review-engine.pid}   # or {process_name: review-engine} or {command_line: "java .*review"}
///     rss_trend_window_seconds: 600
///     interval_seconds: 5
///     timeout_seconds: 2
/// ```
enum ProcessCollectorKind: CollectorKind {
    static let section = "processes"
    static let defaultTiming = CollectorTiming(interval: .seconds(5), timeout: .seconds(2))
    static let defaultTrendWindow: Duration = .seconds(600)

    /// The list wrapped under its key, so the key checks and error paths reach into each item.
    private struct Section: Decodable {
        var processes: [Entry]
    }

    private struct Entry: Decodable {
        var name: String
        var match: Match
        var rss_trend_window_seconds: Double?
        var interval_seconds: Double?
        var timeout_seconds: Double?
    }

    struct Match: Decodable {
        var process_name: String?
        var pid_file: String?
        var command_line: String?
    }

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let path = "collectors.processes"
        guard case .sequence(let items) = node else {
            let line = ConfigurationNode.line(of: node).map { "line \($0): " } ?? ""
            throw .invalid(source: source, detail: "\(line)\(path) must be a list of watched processes")
        }
        let entries = try ConfigurationNode.decode(
            Section.self,
            from: .mapping(Node.Mapping([(Node("processes"), node)])),
            allowed: [
                "": ["processes"],
                "processes[]": ["name", "match", "rss_trend_window_seconds", "interval_seconds", "timeout_seconds"],
                "processes[].match": ["process_name", "pid_file", "command_line"],
            ],
            path: "collectors",
            source: source
        ).processes
        var names: Set<String> = []
        var collectors: [any Collector] = []
        for (index, entry) in entries.enumerated() {
            let itemPath = "\(path)[\(index)]"
            let line = ConfigurationNode.line(of: items[index]).map { "line \($0): " } ?? ""
            guard !entry.name.isEmpty else { throw .invalid(source: source, detail: "\(line)\(itemPath).name must not be empty") }
            guard names.insert(entry.name).inserted else {
                throw .invalid(source: source, detail: "\(line)\(itemPath).name \"\(entry.name)\" is used twice")
            }
            let matcher = try matcher(entry.match, path: "\(itemPath).match", line: line, source: source)
            let timing = try CollectorTiming(
                intervalSeconds: entry.interval_seconds,
                timeoutSeconds: entry.timeout_seconds,
                defaults: defaultTiming,
                path: itemPath,
                source: source
            )
            var window = defaultTrendWindow
            if let seconds = entry.rss_trend_window_seconds {
                guard let duration = Duration(configurationSeconds: seconds) else {
                    throw .invalid(source: source, detail: "\(line)\(itemPath).rss_trend_window_seconds must be above 0 and at most 86400")
                }
                window = duration
            }
            collectors.append(ProcessCollector(processName: entry.name, matcher: matcher, trendWindow: window, timing: timing))
        }
        return collectors
    }

    static func matcher(_ match: Match, path: String, line: String, source: String) throws(ConfigurationError) -> ProcessMatcher {
        var matchers: [ProcessMatcher] = []
        if let name = match.process_name { matchers.append(.processName(name)) }
        if let file = match.pid_file { matchers.append(.pidFile(file)) }
        if let pattern = match.command_line { matchers.append(.commandLine(pattern)) }
        guard matchers.count == 1, let matcher = matchers.first else {
            throw .invalid(source: source, detail: "\(line)\(path) needs exactly one of process_name, pid_file, command_line")
        }
        switch matcher {
        case .processName(let name) where name.isEmpty:
            throw .invalid(source: source, detail: "\(line)\(path).process_name must not be empty")
        case .pidFile(let file) where !file.hasPrefix("/"):
            throw .invalid(source: source, detail: "\(line)\(path).pid_file \"\(file)\" must be an absolute path")
        case .commandLine(let pattern):
            do { _ = try Regex(pattern) } catch {
                throw .invalid(source: source, detail: "\(line)\(path).command_line \"\(pattern)\" is not a valid regular expression")
            }
        default:
            break
        }
        return matcher
    }
}
