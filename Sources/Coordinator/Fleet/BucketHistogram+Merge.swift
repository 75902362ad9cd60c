/// Merging histograms from several nodes or series into one, so that quantiles are read from all observations.
///
/// Identical bounds (the usual case: every node runs the same application) are summed bucket-wise, which is
/// exact. Different bounds are merged on the union of the bounds, each histogram contributing at a union bound
/// its cumulative count at its own largest bound ≤ that bound (0 below its first bound).
///
/// That is an approximation, and a one-sided one: a histogram without a given bound can only under-count the
/// observations ≤ that bound, never over-count them, so every merged cumulative count is ≤ the true one. The rank
/// of a quantile is therefore reached at the same union bound as with the true counts or a later one: the bucket
/// a quantile lands in is never below the one holding the true quantile, so a latency estimate errs on the slow
/// side (an alert may fire early, it is never hidden). Refusing to merge would have lost a whole node's
/// observations instead; the bounds common to every histogram carry exact counts either way.
extension BucketHistogram {
    /// All histograms merged into one; nil when there are none.
    static func merged(_ histograms: [BucketHistogram]) -> BucketHistogram? {
        guard let first = histograms.first else { return nil }
        let bounds =
            histograms.allSatisfy { $0.upperBounds == first.upperBounds }
            ? first.upperBounds
            : Array(Set(histograms.flatMap(\.upperBounds))).sorted()
        var counts = [UInt64](repeating: 0, count: bounds.count + 1)
        var sum = 0.0
        for histogram in histograms {
            let aligned = histogram.cumulativeCounts(at: bounds)
            for index in counts.indices {
                counts[index] = counts[index].saturatingAdding(aligned[index])
            }
            sum += histogram.sum
        }
        return BucketHistogram(upperBounds: bounds, cumulativeCounts: counts, sum: sum)
    }

    /// This histogram's cumulative counts read at `bounds` (ascending), then its total for `+Inf`.
    private func cumulativeCounts(at bounds: [Double]) -> [UInt64] {
        if bounds == upperBounds { return cumulativeCounts }
        var result: [UInt64] = []
        result.reserveCapacity(bounds.count + 1)
        var own = 0  // index of the first own bound > the current union bound
        for bound in bounds {
            while own < upperBounds.count, upperBounds[own] <= bound { own += 1 }
            result.append(own == 0 ? 0 : cumulativeCounts[own - 1])
        }
        result.append(count)
        return result
    }
}

extension UInt64 {
    /// The sum, or `UInt64.max` when it would overflow: a hostile count must not crash the coordinator.
    func saturatingAdding(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
