import Foundation
import Shared

/// Histogram semantics over a window of cumulative histogram totals.
extension SeriesWindow {
    /// The observations a histogram series gained over the points within `[now - duration, now]`.
    ///
    /// Without a restart this is the bucket-wise difference between the last point and the first one in range.
    /// A step in which any bucket decreases means the histogram started over from empty, so that step counts the
    /// new point whole, as for a counter; the whole histogram is reset together, so the result stays cumulative.
    /// Points that are not histograms matching `upperBounds` are skipped.
    ///
    /// - Returns: nil with fewer than 2 valid points in range, or when the gains are not themselves cumulative
    ///   (a bucket gaining more than a wider one), which no real series produces.
    func histogramIncrease(over duration: Duration, now: Date, upperBounds: [Double]) -> BucketHistogram? {
        var previous: BucketHistogram?
        var counts: [UInt64] = []
        var sum = 0.0
        var steps = 0
        for point in points(within: duration, now: now) {
            guard case .histogram(let value) = point.value,
                let current = BucketHistogram(upperBounds: upperBounds, value: value)
            else { continue }
            defer { previous = current }
            guard let previous else {
                counts = [UInt64](repeating: 0, count: current.cumulativeCounts.count)
                continue
            }
            steps += 1
            let isReset = zip(current.cumulativeCounts, previous.cumulativeCounts).contains { $0 < $1 }
            for index in counts.indices {
                let gained =
                    isReset
                    ? current.cumulativeCounts[index]
                    : current.cumulativeCounts[index] - previous.cumulativeCounts[index]
                counts[index] = counts[index].saturatingAdding(gained)
            }
            sum += isReset ? current.sum : current.sum - previous.sum
        }
        guard steps > 0 else { return nil }
        return BucketHistogram(upperBounds: upperBounds, cumulativeCounts: counts, sum: sum)
    }
}
