import Foundation

/// How remediation learns which silences hold it: answered from memory, since the engine asks every second.
protocol SilenceLookup: Sendable {
    /// The silences active at `now` (started, not ended, not removed).
    func activeSilences(at now: Date) async -> [Silence]
}
