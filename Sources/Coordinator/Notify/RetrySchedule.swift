import Foundation

/// When to try a failed delivery again, and when to stop: pure arithmetic over attempt numbers and times.
///
/// The wait after attempt `n` (1 for the first) is `initialDelay × 2^(n-1)` capped at `maximumDelay`: 2 s, 4 s,
/// 8 s … 256 s, then every 5 min. Jitter shortens each wait by up to `jitter` of itself (a sample in 0..<1
/// decides how much), so deliveries that failed together do not all return together. A retry is scheduled
/// only while it falls within `horizon` of the first attempt: 24 h by default, after which the delivery is
/// given up and reported.
struct RetrySchedule: Hashable, Sendable {
    var initialDelay: Duration
    var maximumDelay: Duration
    var horizon: Duration
    /// The share of a wait that jitter may take off, from 0 (none) to 1.
    var jitter: Double

    init(
        initialDelay: Duration = .seconds(2),
        maximumDelay: Duration = .seconds(300),
        horizon: Duration = .seconds(24 * 60 * 60),
        jitter: Double = 0.2
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.horizon = horizon
        self.jitter = min(max(jitter, 0), 1)
    }

    enum Decision: Hashable, Sendable {
        case retry(at: Date)
        /// No retry: the failure was not retryable, or the next one would fall past the horizon.
        case giveUp
    }

    /// The wait after failed attempt `attempt` (1 for the first), before jitter.
    func baseDelay(afterAttempt attempt: Int) -> Duration {
        let doublings = max(0, attempt - 1)
        // 2 s doubled 20 times is far past any cap; stopping there keeps the arithmetic from overflowing.
        guard doublings < 20 else { return maximumDelay }
        return min(initialDelay * (1 << doublings), maximumDelay)
    }

    /// The wait after failed attempt `attempt`, shortened by jitter: `jitterSample` in 0..<1, where 0 keeps the
    /// whole wait.
    func delay(afterAttempt attempt: Int, jitterSample: Double) -> Duration {
        let sample = min(max(jitterSample, 0), 1)
        return baseDelay(afterAttempt: attempt) * (1 - jitter * sample)
    }

    /// What to do after failed attempt `attempt` of a delivery first attempted at `firstAttemptAt`, the failure
    /// having come back at `failedAt`.
    func decision(
        afterAttempt attempt: Int,
        retryable: Bool,
        firstAttemptAt: Date,
        failedAt: Date,
        jitterSample: Double
    ) -> Decision {
        guard retryable else { return .giveUp }
        let wait = delay(afterAttempt: attempt, jitterSample: jitterSample)
        let next = failedAt.addingTimeInterval(wait.timeInterval)
        guard next <= firstAttemptAt.addingTimeInterval(horizon.timeInterval) else { return .giveUp }
        return .retry(at: next)
    }

    /// The same with the jitter sample drawn from `generator`.
    func decision(
        after outcome: DeliveryOutcome,
        attempt: Int,
        firstAttemptAt: Date,
        failedAt: Date,
        using generator: inout some RandomNumberGenerator
    ) -> Decision {
        decision(
            afterAttempt: attempt,
            retryable: outcome.isRetryable,
            firstAttemptAt: firstAttemptAt,
            failedAt: failedAt,
            jitterSample: Double.random(in: 0..<1, using: &generator)
        )
    }
}
