import Foundation
import Shared

/// One service's signals over a window, computed across its nodes the way each kind of series allows.
///
/// Counters are summed as rates or increases; the error ratio divides summed increases (never averages per-node
/// ratios, which would weigh a quiet node like a busy one); quantiles come from the merged histogram increases
/// (never averaged per-node percentiles, which have no meaning); gauges give min / max / mean of latest values.
struct ServiceAggregate: Sendable {
    /// A gauge's latest values across the service's series.
    struct GaugeSummary: Hashable, Sendable {
        var min: Double
        var max: Double
        var mean: Double
        /// How many series (usually one per node) had a recent value.
        var seriesCount: Int
    }

    /// Each node's windows, only for the nodes of this one service.
    let nodes: [NodeID: [SeriesDescriptor: SeriesWindow]]
    /// The range every signal is read over, ending at `now`.
    let window: Duration
    let now: Date

    /// The summed per-second rate of matching counters; nil when no series has two points in the window.
    func rate(of selector: SeriesSelector) -> Double? {
        sum(of: selector) { $1.rate(over: window, now: now) }
    }

    /// The summed increase of matching counters; nil when no series has two points in the window.
    func increase(of selector: SeriesSelector) -> Double? {
        sum(of: selector) { $1.increase(over: window, now: now) }
    }

    /// Σ errors increase / Σ requests increase over the window; nil when the requests did not increase.
    func errorRatio(errors: SeriesSelector, requests: SeriesSelector) -> Double? {
        ratio(of: errors, to: [requests])
    }

    /// Σ increase of `numerator` / Σ increase of the `denominator` selectors over the window; nil when the
    /// denominator grew by less than `minimumDenominator` (or not at all).
    ///
    /// Only nodes with a denominator increase count, on both sides, so that both sums cover the same nodes. Such
    /// a node without a numerator increase counts 0: applications create an error series on the first error.
    func ratio(
        of numerator: SeriesSelector,
        to denominator: [SeriesSelector],
        minimumDenominator: Double = 0
    ) -> Double? {
        var numeratorSum = 0.0
        var denominatorSum = 0.0
        for windows in nodes.values {
            let parts = denominator.compactMap { Self.sum(windows, $0, { $1.increase(over: window, now: now) }) }
            guard !parts.isEmpty else { continue }
            denominatorSum += parts.reduce(0, +)
            numeratorSum += Self.sum(windows, numerator) { $1.increase(over: window, now: now) } ?? 0
        }
        guard denominatorSum > 0, denominatorSum >= minimumDenominator else { return nil }
        return numeratorSum / denominatorSum
    }

    /// The share of matching up/down gauges whose latest value in the window is below 1: 0 when all are up,
    /// 1 when all are down; nil when none has a value in the window.
    func downFraction(of selector: SeriesSelector) -> Double? {
        guard let values = latestValues(selector), !values.isEmpty else { return nil }
        return Double(values.count { $0 < 1 }) / Double(values.count)
    }

    /// The observations of every matching histogram over the window, merged into one.
    func mergedIncrease(of selector: SeriesSelector) -> BucketHistogram? {
        let increases = nodes.values.flatMap { windows in
            windows.compactMap { series, points in
                selector.matches(series)
                    ? points.histogramIncrease(over: window, now: now, upperBounds: series.bucketUpperBounds)
                    : nil
            }
        }
        return BucketHistogram.merged(increases)
    }

    /// The `q`-quantile of the observations of every matching histogram over the window, e.g. 0.95 for p95.
    func quantile(_ q: Double, of selector: SeriesSelector) -> Double? {
        mergedIncrease(of: selector)?.quantile(q)
    }

    /// Min, max and mean of the latest finite value of each matching series, if that value is within the window:
    /// a silent node's old value says nothing about now.
    func gauge(_ selector: SeriesSelector) -> GaugeSummary? {
        guard let values = latestValues(selector), let min = values.min(), let max = values.max() else { return nil }
        return GaugeSummary(
            min: min,
            max: max,
            mean: values.reduce(0, +) / Double(values.count),
            seriesCount: values.count
        )
    }

    /// The latest finite value of each matching series within the window.
    private func latestValues(_ selector: SeriesSelector) -> [Double]? {
        nodes.values.flatMap { windows in
            windows.compactMap { series, points -> Double? in
                guard selector.matches(series),
                    let latest = points.points(within: window, now: now).last,
                    case .number(let value) = latest.value, value.isFinite
                else { return nil }
                return value
            }
        }
    }

    // MARK: - Sums

    private func sum(
        of selector: SeriesSelector,
        _ read: (SeriesDescriptor, SeriesWindow) -> Double?
    ) -> Double? {
        let perNode = nodes.values.compactMap { Self.sum($0, selector, read) }
        return perNode.isEmpty ? nil : perNode.reduce(0, +)
    }

    /// The sum over one node's matching series of what `read` gives; nil when it gives nothing for any of them.
    private static func sum(
        _ windows: [SeriesDescriptor: SeriesWindow],
        _ selector: SeriesSelector,
        _ read: (SeriesDescriptor, SeriesWindow) -> Double?
    ) -> Double? {
        let values = windows.compactMap { selector.matches($0.key) ? read($0.key, $0.value) : nil }
        return values.isEmpty ? nil : values.reduce(0, +)
    }
}
