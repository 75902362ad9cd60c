import Foundation

/// What a rule measures: which series, how they are combined into one number, and over how much time.
struct Signal: Hashable, Sendable {
    /// How the matching series become one number for the rule's subject (a node, a service or the fleet).
    enum Aggregation: Hashable, Sendable {
        /// Gauges: the lowest, highest or mean latest value among the matching series.
        case min
        case max
        case mean
        /// Counters: the summed per-second rate, or the summed increase, over the window.
        case rate
        case increase
        /// Counters: Σ increase of the selector ÷ Σ increase of `denominator` (its selectors summed), over the
        /// window; no value while the denominator grew by less than `minimumDenominator`, so a handful of
        /// requests cannot page anyone.
        case ratio(denominator: [SeriesSelector], minimumDenominator: Double)
        /// Histograms: the quantile (0.95 for p95) of the merged bucket increases over the window; no value with
        /// fewer than `minimumCount` observations.
        case quantile(Double, minimumCount: Double)
        /// Gauges that are 1 when up and 0 when down (`probe_up`, `vigil_collector_up`): the share of matching
        /// series whose latest value is below 1, from 0 (all up) to 1 (all down).
        case downFraction
        /// Seconds since the node last reported; read on the ticker, not from any series.
        case silence
    }

    var selector: SeriesSelector
    var aggregation: Aggregation
    /// How far back the window reaches; gauges read the latest value within it.
    var window: Duration

    /// Series names whose arrival can change this signal; empty for `silence`, which only time changes.
    var seriesNames: Set<String> {
        switch aggregation {
        case .silence: []
        case .ratio(let denominator, _): Set([selector.name] + denominator.map(\.name))
        default: [selector.name]
        }
    }

    /// How a rule file writes the aggregation.
    var aggregationName: String {
        switch aggregation {
        case .min: "min"
        case .max: "max"
        case .mean: "mean"
        case .rate: "rate"
        case .increase: "increase"
        case .ratio: "ratio"
        case .quantile(let q, _): "p\(Self.percentile(q))"
        case .downFraction: "down_fraction"
        case .silence: "silence"
        }
    }

    private static func percentile(_ q: Double) -> String {
        let value = q * 100
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}
