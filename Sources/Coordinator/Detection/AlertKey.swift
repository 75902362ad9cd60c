import Foundation

/// Which alert: a rule, the subject it was evaluated for (a node id, a service or `fleet`), and the values of
/// the rule's `groupBy` labels.
struct AlertKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    var rule: RuleName
    var subject: String
    var group: [String: String]

    init(rule: RuleName, subject: String, group: [String: String] = [:]) {
        self.rule = rule
        self.subject = subject
        self.group = group
    }

    /// `rule@subject` then the group's labels, sorted: `critical_probe_down@checkout{probe="home"}`.
    ///
    /// It is also the alert's key in the store, so it must never be the same for two keys: rule names cannot
    /// hold `@`, and a backslash, `{` in the subject or `"` in a label value is escaped with a backslash.
    var description: String {
        let labels = group.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value, "\""))\"" }
        return "\(rule)@\(Self.escape(subject, "{"))" + (labels.isEmpty ? "" : "{\(labels.joined(separator: ","))}")
    }

    private static func escape(_ text: String, _ special: Character) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == special || $0 == "\n" }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\\", special: escaped += "\\\(character)"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func < (lhs: AlertKey, rhs: AlertKey) -> Bool { lhs.description < rhs.description }
}
