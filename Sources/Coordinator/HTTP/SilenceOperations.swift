import Foundation

/// What the HTTP API lets operators do with silences and maintenance windows.
protocol SilenceOperations: Sendable {
    func add(_ draft: SilenceDraft, now: Date) async throws(SilenceError) -> Silence
    /// Active and scheduled silences; with `includingEnded`, every silence, newest first.
    func silences(includingEnded: Bool, now: Date) async throws(SilenceError) -> [Silence]
    /// Expires a silence early.
    func remove(_ id: SilenceID, by person: String, now: Date) async throws(SilenceError) -> Silence
}
