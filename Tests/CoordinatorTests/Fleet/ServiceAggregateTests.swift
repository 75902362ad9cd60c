import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct ServiceAggregateTests {
    private static let scrape = ["scrape": "api"]
    private static let requests = SeriesDescriptor(name: "app_requests_total", labels: scrape, kind: .counter)
    private static let errors = SeriesDescriptor(name: "app_request_errors_total", labels: scrape, kind: .counter)
    private static let bounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    private static let latency = SeriesDescriptor(
        name: "app_request_duration_seconds",
        labels: scrape,
        kind: .histogram,
        bucketUpperBounds: bounds
    )
    private static let now = SeriesWindow.at(60)

    private static func node(_ index: Int) -> NodeID { NodeID("web-\(index)") ?? .localhost }

    private static func aggregate(_ nodes: [[SeriesDescriptor: SeriesWindow]]) -> ServiceAggregate {
        ServiceAggregate(
            nodes: Dictionary(uniqueKeysWithValues: nodes.enumerated().map { (node($0.offset), $0.element) }),
            window: .seconds(60),
            now: now
        )
    }

    // MARK: - Counters

    /// One node's request and error totals at 0 s and 60 s; nil errors means the node has no error series yet.
    struct NodeCounters: Sendable {
        var requests: (Double, Double)
        var errors: (Double, Double)?
    }

    struct ErrorRatioCase: Sendable, CustomTestStringConvertible {
        var name: String
        var nodes: [NodeCounters]
        var expected: Double?
        var testDescription: String { name }
    }

    @Test(arguments: [
        ErrorRatioCase(
            name: "8 % on two of three nodes",
            nodes: [
                NodeCounters(requests: (0, 1000), errors: (0, 80)),
                NodeCounters(requests: (0, 1000), errors: (0, 80)),
                NodeCounters(requests: (0, 1000), errors: (0, 0)),
            ],
            expected: 160.0 / 3000
        ),
        ErrorRatioCase(
            // Averaging the per-node ratios would give (50 % + 0 + 0) / 3 ≈ 17 %.
            name: "a quiet node weighs what it served",
            nodes: [
                NodeCounters(requests: (0, 10), errors: (0, 5)),
                NodeCounters(requests: (0, 1000), errors: (0, 0)),
                NodeCounters(requests: (0, 990), errors: (0, 0)),
            ],
            expected: 5.0 / 2000
        ),
        ErrorRatioCase(
            name: "a node restarted and one has no error series yet",
            nodes: [
                NodeCounters(requests: (5000, 300), errors: (200, 30)),
                NodeCounters(requests: (0, 500), errors: (0, 20)),
                NodeCounters(requests: (0, 200), errors: nil),
            ],
            expected: 50.0 / 1000
        ),
        ErrorRatioCase(
            name: "no request served",
            nodes: [
                NodeCounters(requests: (10, 10), errors: (1, 1)),
                NodeCounters(requests: (3, 3), errors: nil),
                NodeCounters(requests: (0, 0), errors: (0, 0)),
            ],
            expected: nil
        ),
    ])
    func errorRatioDividesSummedIncreasesAcrossNodes(_ testCase: ErrorRatioCase) throws {
        let service = Self.aggregate(
            testCase.nodes.map { counters in
                var windows = [
                    Self.requests: SeriesWindow.numbers([(0, counters.requests.0), (60, counters.requests.1)])
                ]
                if let errors = counters.errors {
                    windows[Self.errors] = SeriesWindow.numbers([(0, errors.0), (60, errors.1)])
                }
                return windows
            }
        )
        let ratio = service.errorRatio(
            errors: .init(name: "app_request_errors_total", labels: Self.scrape),
            requests: .init(name: "app_requests_total")
        )
        if let expected = testCase.expected {
            let ratio = try #require(ratio)
            #expect(abs(ratio - expected) < 1e-12, "got \(ratio)")
        } else {
            #expect(ratio == nil)
        }
    }

    @Test func ratesAreSummedAcrossNodesThroughARestart() {
        let service = Self.aggregate([
            [Self.requests: .numbers([(0, 0), (60, 60)])],  // 1/s
            [Self.requests: .numbers([(0, 100), (30, 160), (60, 60)])],  // 60 + 60 (restart) = 2/s
            [Self.requests: .numbers([(0, 0), (60, 180)])],  // 3/s
            [Self.errors: .numbers([(0, 0), (60, 600)])],  // another series: not counted
        ])
        #expect(service.rate(of: .init(name: "app_requests_total")) == 6)
        #expect(service.increase(of: .init(name: "app_requests_total")) == 360)
        #expect(service.rate(of: .init(name: "app_requests_total", labels: ["scrape": "other"])) == nil)
    }

    // MARK: - Latency

    @Test func averagingPercentilesIsWrongAndMergingBucketsIsRight() throws {
        // Every observation of the minute: 1000 fast requests on one node, 10 slow ones on the other.
        let fast = [Double](repeating: 0.02, count: 1000)
        let slow = [Double](repeating: 4, count: 10)
        let service = Self.aggregate([
            [Self.latency: .histograms([(0, Self.bucketed([])), (60, Self.bucketed(fast))])],
            [Self.latency: .histograms([(0, Self.bucketed([])), (60, Self.bucketed(slow))])],
        ])

        let perNode = try service.nodes.values.map { windows in
            let window = try #require(windows[Self.latency])
            let increase = window.histogramIncrease(over: .seconds(60), now: Self.now, upperBounds: Self.bounds)
            return try #require(increase?.quantile(0.95))
        }
        let averagedP95 = perNode.reduce(0, +) / Double(perNode.count)
        let mergedP95 = try #require(service.quantile(0.95, of: .init(name: "app_request_duration_seconds")))

        // By construction the right answer is the p95 of one histogram holding all 1010 observations.
        let everything = try #require(
            BucketHistogram(upperBounds: Self.bounds, cumulativeCounts: Self.bucketed(fast + slow), sum: 0)
        )
        #expect(mergedP95 == everything.quantile(0.95))
        // 99 % of the requests took 20 ms: the service's p95 is under 50 ms...
        #expect(mergedP95 < 0.05)
        // ...while the average of the nodes' p95 (47.5 ms and 4.875 s) claims 2.46 s, a false SEV-2 (p95 > 1 s).
        #expect(abs(averagedP95 - (0.0475 + 4.875) / 2) < 1e-12)
        #expect(averagedP95 > 1)
        let p99 = try #require(service.quantile(0.99, of: .init(name: "app_request_duration_seconds")))
        #expect(p99 == everything.quantile(0.99))
        #expect(p99 < 0.05, "rank 999.9 of 1010 is still among the fast requests")
    }

    /// Cumulative counts of `observations` in `bounds`, then the +Inf total.
    private static func bucketed(_ observations: [Double]) -> [UInt64] {
        bounds.map { bound in UInt64(observations.count { $0 <= bound }) } + [UInt64(observations.count)]
    }

    // MARK: - Gauges

    @Test func gaugesGiveMinMaxAndMeanOfRecentLatestValues() throws {
        let load = SeriesDescriptor(name: "system_load1", kind: .gauge)
        let service = Self.aggregate([
            [load: .numbers([(0, 9), (50, 1)])],
            [load: .numbers([(0, 9), (55, 2)])],
            [load: .numbers([(0, 9), (60, 6)])],
            [load: .numbers([(-30, 100)])],  // silent for 90 s: left out
        ])
        let gauge = try #require(service.gauge(.init(name: "system_load1")))
        #expect(gauge == ServiceAggregate.GaugeSummary(min: 1, max: 6, mean: 3, seriesCount: 3))
        #expect(service.gauge(.init(name: "system_load5")) == nil)
    }
}
