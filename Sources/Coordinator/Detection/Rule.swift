import Foundation
import Shared

/// One line of the severity table: when a signal crosses a threshold for long enough, an alert fires.
struct Rule: Hashable, Sendable {
    /// What a rule is evaluated for, and so what one of its alerts is about.
    enum Scope: String, Hashable, Sendable, CaseIterable {
        /// Each node on its own: replication lag on one replica.
        case node
        /// All nodes with the same `service` label together: the error ratio of a service.
        case service
        /// Every node together.
        case fleet
    }

    enum Comparison: String, Hashable, Sendable, CaseIterable, Codable {
        case above = ">"
        case atLeast = ">="
        case below = "<"
        case atMost = "<="

        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .above: value > threshold
            case .atLeast: value >= threshold
            case .below: value < threshold
            case .atMost: value <= threshold
            }
        }

        /// How far past the threshold a value is, as a factor above 1 when it holds; larger is worse. Used to
        /// find an incident's peak across alerts with different units.
        func badness(_ value: Double, _ threshold: Double) -> Double {
            switch self {
            case .above, .atLeast: threshold > 0 ? value / threshold : value - threshold + 1
            case .below, .atMost: value > 0 ? threshold / value : threshold - value + 1
            }
        }
    }

    var name: RuleName
    var kind: IncidentKind
    var severity: Severity
    var scope: Scope
    var signal: Signal
    var comparison: Comparison
    var threshold: Double
    /// How long the condition must hold before the alert fires; zero fires on the first breach.
    var forDuration: Duration
    /// How long the condition must stay clear before a firing alert resolves, so a flapping signal keeps
    /// one alert (and one incident) instead of opening and closing them.
    var clearFor: Duration
    /// Labels whose values split a subject into several alerts, such as `probe`, so one failing probe is not
    /// diluted by the healthy ones.
    var groupBy: [String]
    /// What the alert says, with `{{value}}`, `{{threshold}}`, `{{subject}}`, `{{service}}`, `{{node}}` and the
    /// `groupBy` labels filled in.
    var summary: String
    /// Where in the playbook the rule comes from; empty for a deployment's own rules.
    var source: String = ""
}
