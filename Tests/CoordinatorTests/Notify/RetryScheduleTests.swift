import Foundation
import Testing

@testable import Coordinator

/// Backoff and the give-up horizon, as plain arithmetic.
@Suite struct RetryScheduleTests {
    private let schedule = RetrySchedule()
    private let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(arguments: [
        (1, 2), (2, 4), (3, 8), (4, 16), (5, 32), (6, 64), (7, 128), (8, 256), (9, 300), (10, 300), (500, 300),
        (Int.max, 300),
    ])
    func waitsDoubleFromTwoSecondsUpToFiveMinutes(attempt: Int, seconds: Int) {
        #expect(schedule.baseDelay(afterAttempt: attempt) == .seconds(seconds))
    }

    @Test(arguments: [(0.0, 8_000), (0.5, 7_200), (1.0, 6_400)])
    func jitterTakesUpToAFifthOffAWait(sample: Double, milliseconds: Int) {
        #expect(schedule.delay(afterAttempt: 3, jitterSample: sample) == .milliseconds(milliseconds))
    }

    @Test func withoutJitterEveryWaitIsWhole() {
        let steady = RetrySchedule(jitter: 0)
        #expect(steady.delay(afterAttempt: 2, jitterSample: 0.9) == .seconds(4))
    }

    @Test func aRetryableFailureIsRetriedAfterItsWait() {
        let failedAt = start.addingTimeInterval(1)
        let decision = schedule.decision(
            afterAttempt: 1,
            retryable: true,
            firstAttemptAt: start,
            failedAt: failedAt,
            jitterSample: 0
        )
        #expect(decision == .retry(at: failedAt.addingTimeInterval(2)))
    }

    @Test func aFailureThatIsNotRetryableIsGivenUpAtOnce() {
        let decision = schedule.decision(
            afterAttempt: 1,
            retryable: false,
            firstAttemptAt: start,
            failedAt: start,
            jitterSample: 0
        )
        #expect(decision == .giveUp)
    }

    @Test(arguments: [
        (86_400.0 - 300, true),  // the next attempt lands exactly on the horizon
        (86_400.0 - 299, false),  // the next attempt would land past it
        (86_400.0 + 1, false),
    ])
    func retriesStopAtTheHorizon(secondsSinceFirstAttempt: Double, retries: Bool) {
        let failedAt = start.addingTimeInterval(secondsSinceFirstAttempt)
        let decision = schedule.decision(
            afterAttempt: 40,
            retryable: true,
            firstAttemptAt: start,
            failedAt: failedAt,
            jitterSample: 0
        )
        #expect(decision == (retries ? .retry(at: failedAt.addingTimeInterval(300)) : .giveUp))
    }

    @Test func theJitterSampleCanComeFromAnyGenerator() {
        var generator = FixedGenerator()
        let outcome = DeliveryOutcome.failed(.httpStatus, retryable: true, "HTTP 503", responseCode: 503)
        let decision = schedule.decision(
            after: outcome,
            attempt: 1,
            firstAttemptAt: start,
            failedAt: start,
            using: &generator
        )
        guard case .retry(let at) = decision else {
            Issue.record("expected a retry, got \(decision)")
            return
        }
        #expect(at > start.addingTimeInterval(1.5) && at <= start.addingTimeInterval(2))
    }

    /// Always the same number, so the jitter is known.
    private struct FixedGenerator: RandomNumberGenerator {
        mutating func next() -> UInt64 { 1 << 62 }
    }
}
