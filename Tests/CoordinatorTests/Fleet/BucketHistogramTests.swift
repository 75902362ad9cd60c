import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct BucketHistogramTests {
    /// 100 observations: 10 ≤ 0.1, 50 in (0.1, 0.5], 30 in (0.5, 1], 10 above 1.
    private static let hundred = BucketHistogram(
        upperBounds: [0.1, 0.5, 1],
        cumulativeCounts: [10, 60, 90, 100],
        sum: 50
    )

    struct QuantileCase: Sendable, CustomTestStringConvertible {
        var q: Double
        var expected: Double?
        var testDescription: String { "q = \(q)" }
    }

    @Test(arguments: [
        QuantileCase(q: 0, expected: 0),  // rank 0: the start of the first bucket
        QuantileCase(q: 0.05, expected: 0.05),  // rank 5 of 10 in [0, 0.1]
        QuantileCase(q: 0.1, expected: 0.1),  // rank 10: the top of the first bucket
        QuantileCase(q: 0.5, expected: 0.42),  // rank 50: 40 of 50 into (0.1, 0.5] → 0.1 + 0.4 × 0.8
        QuantileCase(q: 0.75, expected: 0.75),  // rank 75: 15 of 30 into (0.5, 1]
        QuantileCase(q: 0.9, expected: 1),  // rank 90: the top of (0.5, 1]
        QuantileCase(q: 0.95, expected: 1),  // rank 95 is in +Inf: the largest finite bound
        QuantileCase(q: 1, expected: 1),
        QuantileCase(q: -0.1, expected: nil),
        QuantileCase(q: 1.5, expected: nil),
        QuantileCase(q: .nan, expected: nil),
    ])
    func quantileInterpolatesInsideTheBucketLikePrometheus(_ testCase: QuantileCase) throws {
        let histogram = try #require(Self.hundred)
        let quantile = histogram.quantile(testCase.q)
        if let expected = testCase.expected {
            let value = try #require(quantile)
            #expect(abs(value - expected) < 1e-12, "got \(value)")
        } else {
            #expect(quantile == nil)
        }
    }

    @Test func anEmptyHistogramHasNoQuantile() throws {
        let empty = try #require(BucketHistogram(upperBounds: [0.1, 1], cumulativeCounts: [0, 0, 0], sum: 0))
        #expect(empty.quantile(0.95) == nil)
    }

    @Test func aFirstBoundAtOrBelowZeroIsItsOwnQuantile() throws {
        let histogram = try #require(BucketHistogram(upperBounds: [0, 1], cumulativeCounts: [4, 8, 8], sum: 2))
        #expect(histogram.quantile(0.25) == 0)
        #expect(histogram.quantile(0.75) == 0.5)
    }

    @Test(arguments: [
        ([Double](), [UInt64]([3])),  // no finite bound
        ([0.1, 1], [1, 2]),  // no +Inf count
        ([0.1, 1], [3, 2, 4]),  // counts decrease
        ([1, 0.1], [1, 2, 3]),  // bounds out of order
        ([0.1, .infinity], [1, 2, 3]),  // +Inf given as a finite bound
    ])
    func refusesWhatIsNotACumulativeHistogram(bounds: [Double], counts: [UInt64]) {
        #expect(BucketHistogram(upperBounds: bounds, cumulativeCounts: counts, sum: 0) == nil)
    }

    // MARK: - Merging

    @Test func identicalBoundsAreSummedBucketWise() throws {
        let a = try #require(BucketHistogram(upperBounds: [0.1, 1], cumulativeCounts: [1, 5, 6], sum: 3))
        let b = try #require(BucketHistogram(upperBounds: [0.1, 1], cumulativeCounts: [2, 2, 4], sum: 7))
        let merged = try #require(BucketHistogram.merged([a, b]))
        #expect(merged.upperBounds == [0.1, 1])
        #expect(merged.cumulativeCounts == [3, 7, 10])
        #expect(merged.sum == 10)
        #expect(BucketHistogram.merged([]) == nil)
    }

    @Test func differentBoundsMergeOnTheirUnionFromBelow() throws {
        let a = try #require(BucketHistogram(upperBounds: [0.1, 1], cumulativeCounts: [10, 20, 20], sum: 5))
        let b = try #require(BucketHistogram(upperBounds: [0.5, 1], cumulativeCounts: [5, 10, 10], sum: 4))
        let merged = try #require(BucketHistogram.merged([a, b]))
        #expect(merged.upperBounds == [0.1, 0.5, 1])
        // a at 0.5 counts what it knows ≤ 0.1 (10); b below its first bound counts 0.
        #expect(merged.cumulativeCounts == [10, 15, 30, 30])
        #expect(merged.sum == 9)
    }

    @Test func aMergeAcrossDifferentBoundsNeverUnderstatesAQuantile() throws {
        // The truth: a's 10 observations are all 0.3 s, b's 10 are all 0.05 s.
        let truth = try #require(
            BucketHistogram(upperBounds: [0.1, 0.5, 1], cumulativeCounts: [10, 20, 20, 20], sum: 3.5)
        )
        let a = try #require(BucketHistogram(upperBounds: [0.1, 1], cumulativeCounts: [0, 10, 10], sum: 3))
        let b = try #require(
            BucketHistogram(upperBounds: [0.1, 0.5, 1], cumulativeCounts: [10, 10, 10, 10], sum: 0.5)
        )
        let merged = try #require(BucketHistogram.merged([a, b]))
        for q in [0.25, 0.5, 0.75, 0.95, 0.99] {
            let estimate = try #require(merged.quantile(q))
            let exact = try #require(truth.quantile(q))
            #expect(estimate >= exact, "q = \(q)")
        }
    }

    @Test func hostileCountsSaturateInsteadOfCrashing() throws {
        let huge = try #require(BucketHistogram(upperBounds: [1], cumulativeCounts: [.max, .max], sum: 1))
        let merged = try #require(BucketHistogram.merged([huge, huge]))
        #expect(merged.cumulativeCounts == [.max, .max])
        #expect(merged.quantile(0.5) != nil)
    }

    // MARK: - Increase over a window

    @Test func increaseIsTheDifferenceAcrossTheWindowAndCountsARestartWhole() throws {
        // 10 s apart; at 20 s the application restarted and its buckets started over.
        let window = SeriesWindow.histograms([(0, [1, 2, 3]), (10, [4, 6, 8]), (20, [1, 1, 2]), (30, [2, 3, 4])])
        let increase = try #require(
            window.histogramIncrease(over: .seconds(600), now: SeriesWindow.at(30), upperBounds: [0.1, 1])
        )
        // +[3, 4, 5] up to the restart, +[1, 1, 2] for the restarted point whole, then +[1, 2, 2].
        #expect(increase.cumulativeCounts == [5, 7, 9])
        #expect(increase.sum == 9)

        let steady = try #require(
            window.histogramIncrease(over: .seconds(10), now: SeriesWindow.at(10), upperBounds: [0.1, 1])
        )
        #expect(steady.cumulativeCounts == [3, 4, 5], "last minus first")
    }

    @Test func increaseNeedsTwoPointsWithTheSeriesBounds() {
        let window = SeriesWindow.histograms([(0, [1, 2, 3]), (10, [4, 6, 8])])
        #expect(window.histogramIncrease(over: .seconds(5), now: SeriesWindow.at(10), upperBounds: [0.1, 1]) == nil)
        #expect(window.histogramIncrease(over: .seconds(60), now: SeriesWindow.at(10), upperBounds: [1]) == nil)
    }
}
