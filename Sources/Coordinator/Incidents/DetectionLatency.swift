import Foundation
import Synchronization

/// Time from the arrival of a report that crosses a threshold to the commit of the incident it opened: the
/// last 1,024 such times, for the median and p99 that `/api/health` shows.
final class DetectionLatency: Sendable {
    static let capacity = 1024

    private struct Samples {
        var values: [Double] = []
        var next = 0
        var total: UInt64 = 0
    }

    private let samples = Mutex(Samples())

    init() {}

    func record(_ seconds: Double) {
        samples.withLock { samples in
            if samples.values.count < Self.capacity {
                samples.values.append(seconds)
            } else {
                samples.values[samples.next] = seconds
            }
            samples.next = (samples.next + 1) % Self.capacity
            samples.total += 1
        }
    }

    struct Summary: Codable, Sendable, Equatable {
        /// Incidents opened (or reopened) by a report since the coordinator started.
        var count: UInt64
        var medianSeconds: Double?
        var p99Seconds: Double?
        var maxSeconds: Double?
    }

    var summary: Summary {
        samples.withLock { samples in
            let sorted = samples.values.sorted()
            func quantile(_ q: Double) -> Double? {
                guard !sorted.isEmpty else { return nil }
                let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
                return sorted[min(max(rank, 0), sorted.count - 1)]
            }
            return Summary(
                count: samples.total,
                medianSeconds: quantile(0.5),
                p99Seconds: quantile(0.99),
                maxSeconds: sorted.last
            )
        }
    }
}
