import Testing

@testable import Agent

@Suite struct BackoffTests {
    @Test func ceilingDoublesFromHalfASecondUpToThirtySeconds() {
        var backoff = Backoff()
        var generator = SystemRandomNumberGenerator()
        var ceilings: [Duration] = []
        for _ in 0..<9 {
            ceilings.append(backoff.ceiling)
            _ = backoff.nextDelay(using: &generator)
        }
        #expect(
            ceilings == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30),
                .seconds(30), .seconds(30),
            ]
        )
    }

    @Test func delaysAreJitteredWithinZeroAndTheCeiling() {
        var generator = SystemRandomNumberGenerator()
        var delays: Set<Duration> = []
        for _ in 0..<200 {
            var backoff = Backoff()
            for _ in 0..<3 { _ = backoff.nextDelay(using: &generator) }
            let ceiling = backoff.ceiling
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay >= .zero && delay <= ceiling)
            delays.insert(delay)
        }
        #expect(delays.count > 20, "full jitter spreads a fleet's reconnects")
    }

    @Test func resetStartsOverFromTheInitialDelay() {
        var backoff = Backoff()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 { _ = backoff.nextDelay(using: &generator) }
        backoff.reset()
        #expect(backoff.ceiling == .milliseconds(500))
    }

    @Test func hugeFailureCountsDoNotOverflow() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(30))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 { _ = backoff.nextDelay(using: &generator) }
        #expect(backoff.ceiling == .seconds(30))
    }
}
