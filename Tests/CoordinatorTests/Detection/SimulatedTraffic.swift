import Foundation
import Shared

@testable import Coordinator

/// An application on one node: cumulative request, error and latency series that grow as it serves traffic.
final class SimulatedApplication {
    static let latencyBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    /// What the application does for one second.
    struct Second {
        var requests: Double = 100
        var errorRatio: Double = 0
        /// Every request of the second takes this long.
        var latency: Double = 0.02
    }

    private var requests = 0.0
    private var errors = 0.0
    private var buckets = [UInt64](repeating: 0, count: latencyBounds.count + 1)
    private var latencySum = 0.0

    /// Serves one second of traffic and returns the series as the agent would report them.
    func serve(_ second: Second) -> [MetricSample] {
        requests += second.requests
        errors += (second.requests * second.errorRatio).rounded()
        let bucket = Self.latencyBounds.firstIndex { second.latency <= $0 } ?? Self.latencyBounds.count
        for index in bucket..<buckets.count { buckets[index] += UInt64(second.requests) }
        latencySum += second.requests * second.latency
        return samples
    }

    var samples: [MetricSample] {
        [
            .counter("app_requests_total", requests),
            .counter("app_request_errors_total", errors),
            MetricSample(
                series: SeriesDescriptor(
                    name: "app_request_duration_seconds",
                    kind: .histogram,
                    bucketUpperBounds: Self.latencyBounds
                ),
                value: .histogram(HistogramValue(cumulativeCounts: buckets, sum: latencySum))
            ),
        ]
    }
}

extension DetectionHarness {
    /// Every second in `range`: each node serves what `traffic` says and reports, then the ticker runs.
    func run(
        _ applications: [String: SimulatedApplication],
        seconds range: ClosedRange<Int>,
        traffic: (String, Int) -> SimulatedApplication.Second?,
        extra: (String, Int) -> [MetricSample] = { _, _ in [] }
    ) async {
        for second in range {
            for (node, application) in applications.sorted(by: { $0.key < $1.key }) {
                guard let load = traffic(node, second) else { continue }
                await report(node, at: TimeInterval(second), application.serve(load) + extra(node, second))
            }
            await tick(at: TimeInterval(second) + 0.5)
        }
    }
}
