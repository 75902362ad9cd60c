import Foundation
import Shared

/// Counter semantics over a window of raw totals: increase and per-second rate, across restarts.
///
/// A value lower than the one before it means the counter started over from 0 (the application or process
/// restarted), so that step counts the new value whole, as Prometheus' `rate` does. Unlike Prometheus, the
/// result is not extrapolated to the edges of the range: the increase is what the points in range show, and the
/// rate divides it by the time between the first and the last of them, so hand-computed values are exact.
extension SeriesWindow {
    /// How much the counter grew over the points within `[now - duration, now]`; nil with fewer than 2 of them.
    ///
    /// Points that are not finite numbers (a histogram, NaN, ±Inf) are skipped.
    func increase(over duration: Duration, now: Date) -> Double? {
        counterIncrease(over: duration, now: now)?.increase
    }

    /// The per-second rate of the counter over `[now - duration, now]`; nil with fewer than 2 points in range.
    func rate(over duration: Duration, now: Date) -> Double? {
        guard let (increase, elapsed) = counterIncrease(over: duration, now: now), elapsed > 0 else { return nil }
        return increase / elapsed
    }

    /// The increase, and the seconds between the first and the last point that produced it.
    private func counterIncrease(over duration: Duration, now: Date) -> (increase: Double, elapsed: TimeInterval)? {
        var first: Date?
        var previous: (time: Date, value: Double)?
        var increase = 0.0
        for point in points(within: duration, now: now) {
            guard case .number(let value) = point.value, value.isFinite else { continue }
            if let previous {
                increase += value >= previous.value ? value - previous.value : value
            } else {
                first = point.time
            }
            previous = (point.time, value)
        }
        guard let first, let previous, previous.time > first else { return nil }
        return (increase, previous.time.timeIntervalSince(first))
    }
}
