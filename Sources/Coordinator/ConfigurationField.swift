import Foundation
import Yams

/// A value of the coordinator's YAML and where it sits, so that any problem with it becomes one line naming the
/// file, the line and the key: the sections that nest (`detection`, `rules`) are read node by node rather than
/// decoded, because a decoding error loses the line.
struct ConfigurationField {
    let node: Node
    /// The key path messages name, such as `signal.window_seconds` or `detection.quiet_window_seconds`.
    let path: String
    /// Put before the path in messages, such as `rule checkout_queue: `; empty outside rules.
    let context: String
    let source: String

    /// The line as people count lines, when the parser kept it.
    var line: Int? { node.mark?.line }

    /// An empty or `null` value, which means the key's default.
    var isNull: Bool { node.null != nil }

    var isMapping: Bool {
        guard case .mapping = node else { return false }
        return true
    }

    var isList: Bool {
        guard case .sequence = node else { return false }
        return true
    }

    /// The error for a problem with this value: the file, this value's line, the context, then `detail`.
    func error(_ detail: String) -> CoordinatorConfigurationError {
        .invalid(source: source, detail: (line.map { "line \($0): " } ?? "") + context + detail)
    }

    /// The same node read in another context, such as a rule once its name is known.
    func within(_ context: String, path: String = "") -> ConfigurationField {
        ConfigurationField(node: node, path: path, context: context, source: source)
    }

    private func child(_ node: Node, key: String) -> ConfigurationField {
        ConfigurationField(node: node, path: path.isEmpty ? key : "\(path).\(key)", context: context, source: source)
    }

    // MARK: - Collections

    /// One key of a mapping and its value, each with its own line.
    typealias Entry = (name: String, key: ConfigurationField, value: ConfigurationField)

    /// The non-null values of a mapping by key, after refusing keys outside `allowed` (named in the message, in
    /// this order). Yams refuses a key given twice before this runs.
    func entries(allowed: [String]) throws(CoordinatorConfigurationError) -> [String: ConfigurationField] {
        var entries: [String: ConfigurationField] = [:]
        for entry in try pairs() {
            guard allowed.contains(entry.name) else {
                let known = allowed.joined(separator: ", ")
                throw entry.key.error("unknown key \"\(entry.key.path)\" (known: \(known))")
            }
            if !entry.value.isNull { entries[entry.name] = entry.value }
        }
        return entries
    }

    /// The first value of `key` in a mapping, unchecked, for the key that gives the rest of the mapping its context.
    func value(of key: String) -> ConfigurationField? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first { $0.key.string == key }.map { child($0.value, key: key) }
    }

    /// Every entry of a mapping whose keys are free (labels), refusing keys that are not text.
    func pairs() throws(CoordinatorConfigurationError) -> [Entry] {
        guard case .mapping(let mapping) = node else {
            throw error("\(path.isEmpty ? "the file" : path) must be a mapping of keys to values")
        }
        var pairs: [Entry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                let place = ConfigurationField(node: key, path: path, context: context, source: source)
                throw place.error("\(path.isEmpty ? "" : path + ": ")keys must be text")
            }
            pairs.append((scalar.string, child(key, key: scalar.string), child(value, key: scalar.string)))
        }
        return pairs
    }

    /// The items of a list; a single value is a list of one, so `group_by: probe` reads as `[probe]`.
    func items() -> [ConfigurationField] {
        guard case .sequence(let sequence) = node else { return [self] }
        return sequence.enumerated().map { index, item in
            ConfigurationField(node: item, path: "\(path)[\(index)]", context: context, source: source)
        }
    }

    // MARK: - Scalars

    /// A scalar as text: `5` reads as "5", as YAML writes it.
    func text() throws(CoordinatorConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(path) must be text") }
        return scalar.string
    }

    /// A plain YAML number; a quoted one is text. NaN and infinities are numbers here: callers decide.
    func number() throws(CoordinatorConfigurationError) -> Double {
        guard let number = node.float else { throw error("\(path) must be a number") }
        return number
    }

    func flag() throws(CoordinatorConfigurationError) -> Bool {
        guard let flag = node.bool else { throw error("\(path) must be true or false") }
        return flag
    }

    /// A duration in seconds, rounded to the millisecond, at most a day (anything longer is a typo, not an intent).
    func seconds(allowingZero: Bool) throws(CoordinatorConfigurationError) -> Duration {
        let range = allowingZero ? "from 0 to 86400" : "above 0 and at most 86400"
        guard let seconds = node.float, seconds.isFinite, seconds <= 86_400,
            allowingZero ? seconds >= 0 : seconds >= 0.001
        else {
            throw error("\(path) must be a number of seconds \(range)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
