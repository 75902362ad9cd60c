import Shared

/// A cumulative histogram together with its bucket bounds: what merging and quantiles need, and what a bare
/// `HistogramValue` lacks (its bounds live in the series descriptor).
///
/// Counts are observations, usually the increase of a series over a window rather than its raw totals.
struct BucketHistogram: Hashable, Sendable {
    /// Finite upper bounds, strictly ascending; the `+Inf` bound is implied.
    let upperBounds: [Double]
    /// One cumulative count per finite bound, then the `+Inf` bucket's, which is the total; never decreasing.
    let cumulativeCounts: [UInt64]
    /// The sum of the observations.
    let sum: Double

    /// Nil unless there is at least one finite bound, the bounds are finite and strictly ascending, and there is
    /// one non-decreasing count per bound plus one for `+Inf`: anything else is a broken report, not a histogram.
    init?(upperBounds: [Double], cumulativeCounts: [UInt64], sum: Double) {
        guard !upperBounds.isEmpty,
            upperBounds.allSatisfy(\.isFinite),
            zip(upperBounds, upperBounds.dropFirst()).allSatisfy({ $0 < $1 }),
            cumulativeCounts.count == upperBounds.count + 1,
            zip(cumulativeCounts, cumulativeCounts.dropFirst()).allSatisfy({ $0 <= $1 })
        else { return nil }
        self.upperBounds = upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
    }

    /// A reported value read with its series' bounds.
    init?(upperBounds: [Double], value: HistogramValue) {
        self.init(upperBounds: upperBounds, cumulativeCounts: value.cumulativeCounts, sum: value.sum)
    }

    /// The number of observations.
    var count: UInt64 { cumulativeCounts.last ?? 0 }

    /// The `q`-quantile, interpolated linearly inside its bucket as Prometheus' `histogram_quantile` does.
    ///
    /// The first bucket starts at 0 (or is its own bound when that is ≤ 0). A rank that falls in the `+Inf`
    /// bucket yields the largest finite bound: the histogram cannot say more. Nil for an empty histogram or a `q`
    /// outside `0...1`.
    func quantile(_ q: Double) -> Double? {
        guard count > 0, q >= 0, q <= 1 else { return nil }
        let rank = q * Double(count)
        guard let bucket = cumulativeCounts.firstIndex(where: { Double($0) >= rank }) else { return nil }
        if bucket == upperBounds.count { return upperBounds[upperBounds.count - 1] }
        if bucket == 0, upperBounds[0] <= 0 { return upperBounds[0] }
        let below = bucket == 0 ? 0 : cumulativeCounts[bucket - 1]
        let lowerBound = bucket == 0 ? 0 : upperBounds[bucket - 1]
        let upperBound = upperBounds[bucket]
        let inBucket = Double(cumulativeCounts[bucket] - below)
        // Only a rank of 0 can land in an empty bucket (the first one); its quantile is where that bucket starts.
        guard inBucket > 0 else { return lowerBound }
        return lowerBound + (upperBound - lowerBound) * ((rank - Double(below)) / inBucket)
    }
}
