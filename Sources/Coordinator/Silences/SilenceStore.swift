import Foundation

/// Where silences are kept, so they survive a restart.
protocol SilenceStore: Sendable {
    /// Inserts the silence or updates it in place.
    func save(_ silence: Silence) async throws
    /// Silences not removed that end after `now` (active or scheduled), earliest start first.
    func currentSilences(at now: Date) async throws -> [Silence]
    /// Every silence ever added, newest first.
    func allSilences() async throws -> [Silence]
    /// Marks the silence removed; returns it as stored afterwards, nil when there is no such silence. A silence
    /// already removed keeps its first removal.
    func removeSilence(_ id: SilenceID, by person: String, at time: Date) async throws -> Silence?
}
