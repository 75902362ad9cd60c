import Foundation

/// Rules as people read them: in `vigil check-config`, and as the summary of a rule that gives none.
extension Rule {
    /// The condition on one line: `p95(app_request_duration_seconds) > 1 for 60s`.
    var condition: String {
        "\(signal.expression) \(comparison.rawValue) \(Self.format(threshold)) for \(Self.format(forDuration))"
    }

    /// The summary of a rule that gives none: its name, subject, groups, signal, value and threshold, so an alert
    /// still says what crossed what.
    var generatedSummary: String {
        let groups = groupBy.isEmpty ? "" : " [" + groupBy.map { "\($0)={{\($0)}}" }.joined(separator: ", ") + "]"
        let crossing = "is {{value}} (\(comparison.rawValue) {{threshold}})"
        return "\(name) on {{subject}}\(groups): \(signal.expression) \(crossing)"
    }

    /// A threshold as the file would write it: `1`, `0.05`, `102400`.
    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// A duration in seconds: `60s`, `0.5s`.
    static func format(_ duration: Duration) -> String {
        format(duration.timeInterval) + "s"
    }
}

extension Signal {
    /// The aggregation applied to its series: `p95(app_request_duration_seconds)`,
    /// `ratio(redis_keyspace_hits_total / (redis_keyspace_hits_total + redis_keyspace_misses_total))`, `silence`.
    var expression: String {
        switch aggregation {
        case .silence:
            return "silence"
        case .ratio(let denominator, _):
            let sum = denominator.map(\.description).joined(separator: " + ")
            return "ratio(\(selector) / \(denominator.count > 1 ? "(\(sum))" : sum))"
        default:
            return "\(aggregationName)(\(selector))"
        }
    }
}
