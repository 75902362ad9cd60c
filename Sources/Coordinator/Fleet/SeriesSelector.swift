import Shared

/// Which series a signal reads: a metric name and labels they must carry (they may carry others).
///
/// A label value ending in `*` matches any value that starts with what comes before it, so
/// `collector: "redis:*"` selects every Redis collector of a node.
struct SeriesSelector: Hashable, Sendable, CustomStringConvertible {
    var name: String
    var labels: [String: String] = [:]

    func matches(_ series: SeriesDescriptor) -> Bool {
        series.name == name && labels.allSatisfy { Self.value(series.labels[$0.key], matches: $0.value) }
    }

    private static func value(_ actual: String?, matches pattern: String) -> Bool {
        guard let actual else { return false }
        guard pattern.hasSuffix("*") else { return actual == pattern }
        return actual.hasPrefix(pattern.dropLast())
    }

    /// `name{label="value"}`, as rules and messages write it.
    var description: String {
        SeriesDescriptor(name: name, labels: labels, kind: .gauge).displayName
    }
}
