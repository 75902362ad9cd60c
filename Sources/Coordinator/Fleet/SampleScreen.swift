import Foundation
import Shared

/// Keeps values that would corrupt a window out of it, and counts each by reason.
///
/// NaN and ±Inf say nothing a rule could compare; a negative counter cannot be a running total; a histogram
/// whose counts are not cumulative or whose sum is not finite would make every quantile wrong. A counter that
/// merely went down is fine: that is a restart, which the window's rate handles.
struct SampleScreen: Sendable, Equatable {
    enum Reason: String, CaseIterable, Sendable {
        case nonFinite = "non_finite"
        case negativeCounter = "negative_counter"
        case invalidHistogram = "invalid_histogram"
        case futureTimestamp = "future_timestamp"
        case staleTimestamp = "stale_timestamp"
    }

    /// How far ahead of the coordinator's clock a report's collection time may be before it is taken as now.
    static let futureTolerance: TimeInterval = 30

    private(set) var counts: [Reason: UInt64] = [:]

    /// The samples fit for a window.
    mutating func admit(_ samples: [(SeriesDescriptor, SampleValue)]) -> [(SeriesDescriptor, SampleValue)] {
        samples.filter { series, value in
            guard let reason = Self.problem(series, value) else { return true }
            counts[reason, default: 0] += 1
            return false
        }
    }

    /// The time to file a report's samples under: its collection time, unless that is implausibly far in the
    /// future (a wrong clock), in which case the arrival time, counted. A collection time older than the window
    /// is kept (the window ignores it) and counted: it is a replayed backlog or a clock far behind.
    mutating func windowTime(collectedAt: Date, receivedAt: Date, window: Duration) -> Date {
        if collectedAt.timeIntervalSince(receivedAt) > Self.futureTolerance {
            counts[.futureTimestamp, default: 0] += 1
            return receivedAt
        }
        if receivedAt.timeIntervalSince(collectedAt) > window.timeInterval {
            counts[.staleTimestamp, default: 0] += 1
        }
        return collectedAt
    }

    private static func problem(_ series: SeriesDescriptor, _ value: SampleValue) -> Reason? {
        switch value {
        case .number(let number):
            guard number.isFinite else { return .nonFinite }
            return series.kind == .counter && number < 0 ? .negativeCounter : nil
        case .histogram(let histogram):
            guard histogram.sum.isFinite else { return .nonFinite }
            let counts = histogram.cumulativeCounts
            guard counts.count == series.bucketUpperBounds.count + 1,
                zip(counts, counts.dropFirst()).allSatisfy({ $0 <= $1 })
            else { return .invalidHistogram }
            return nil
        }
    }
}
