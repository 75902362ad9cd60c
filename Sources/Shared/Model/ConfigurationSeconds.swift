/// Durations as configuration files and flags write them: a number of seconds.
extension Duration {
    /// Seconds from a setting, rounded to the millisecond; nil unless finite, at least a millisecond and at most a day
    /// (anything longer is a typo, not an intent).
    public init?(configurationSeconds seconds: Double) {
        guard seconds.isFinite, seconds >= 0.001, seconds <= 86_400 else { return nil }
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
