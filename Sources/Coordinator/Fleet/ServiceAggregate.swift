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
    ///
    /// Only nodes with a requests increase count, on both sides, so that both sums cover the same nodes. Such a
    /// node without an errors increase counts 0 errors: applications create an error series on the first error.
    func errorRatio(errors: SeriesSelector, requests: SeriesSelector) -> Double? {
        var errorSum = 0.0
        var requestSum = 0.0
        for windows in nodes.values {
            guard let requested = Self.sum(windows, requests, { $1.increase(over: window, now: now) }) else {
                continue
            }
            requestSum += requested
            errorSum += Self.sum(windows, errors) { $1.increase(over: window, now: now) } ?? 0
        }
        guard requestSum > 0 else { return nil }
        return errorSum / requestSum
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
        let values = nodes.values.flatMap { windows in
            windows.compactMap { series, points -> Double? in
                guard selector.matches(series),
                    let latest = points.points(within: window, now: now).last,
                    case .number(let value) = latest.value, value.isFinite
                else { return nil }
                return value
            }
        }
        guard let min = values.min(), let max = values.max() else { return nil }
        return GaugeSummary(
            min: min,
            max: max,
            mean: values.reduce(0, +) / Double(values.count),
            seriesCount: values.count
        )
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
