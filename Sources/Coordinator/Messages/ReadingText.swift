import Foundation
import Shared

/// How an incident's snapshot readings read in messages, in the units of each rule's signal:
/// `error_ratio_critical@checkout: 12% (threshold > 5%) on web-1, web-2`.
struct ReadingText: Sendable {
    /// The signals of the rules in effect, to write values as percentages, seconds or bytes.
    let signals: [RuleName: Signal]

    init(rules: [Rule]) {
        signals = Dictionary(rules.map { ($0.name, $0.signal) }, uniquingKeysWith: { first, _ in first })
    }

    func line(_ reading: IncidentSnapshot.Reading) -> String {
        let value = reading.value.map { format($0, rule: reading.rule) } ?? "no data"
        let threshold = format(reading.threshold, rule: reading.rule)
        let nodes = reading.nodes.isEmpty ? "" : " on " + Self.list(reading.nodes)
        return "\(reading.alert): \(value) (threshold \(reading.comparison) \(threshold))\(nodes)"
    }

    /// The lines of the snapshot taken at `moment`; empty when there is none.
    func lines(_ moment: IncidentSnapshot.Moment, in detail: IncidentDetail) -> [String] {
        detail.snapshots.last { $0.moment == moment }?.readings.map(line) ?? []
    }

    /// `web-1, web-2`.
    static func list(_ nodes: [NodeID]) -> String {
        nodes.map(\.rawValue).joined(separator: ", ")
    }

    private func format(_ value: Double, rule: RuleName) -> String {
        guard let signal = signals[rule] else { return SignalFormat.plain(value) }
        return SignalFormat.format(value, for: signal)
    }
}
