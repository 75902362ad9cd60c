/// Exponential backoff with full jitter: each delay is uniform between zero and a ceiling that doubles per
/// failure up to a cap, so a fleet that lost its coordinator does not reconnect in lockstep.
struct Backoff: Sendable, Equatable {
    let initial: Duration
    let maximum: Duration
    private(set) var failures = 0

    init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The ceiling for the next delay, before jitter.
    var ceiling: Duration {
        let doublings = min(failures, 30)
        let scaled = initial * (1 << doublings)
        return min(scaled, maximum)
    }

    /// Records a failure and returns how long to wait before the next attempt.
    mutating func nextDelay(using generator: inout some RandomNumberGenerator) -> Duration {
        let limit = ceiling
        failures += 1
        let milliseconds = Double(limit.components.seconds) * 1000 + Double(limit.components.attoseconds) / 1e15
        return .milliseconds(Int64(Double.random(in: 0...milliseconds, using: &generator)))
    }

    /// Called once a session is established: the next failure starts from the initial delay again.
    mutating func reset() { failures = 0 }
}
