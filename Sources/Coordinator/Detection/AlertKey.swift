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
    var description: String {
        let labels = group.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
        return "\(rule)@\(subject)" + (labels.isEmpty ? "" : "{\(labels.joined(separator: ","))}")
    }

    static func < (lhs: AlertKey, rhs: AlertKey) -> Bool { lhs.description < rhs.description }
}
