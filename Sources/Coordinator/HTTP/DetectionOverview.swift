import Foundation

/// What `/api/health` and `/api/v1/alerts` show of detection.
protocol DetectionOverview: Sendable {
    func status() async -> DetectionStatus
    /// Every alert now: pending ones (not yet past `for`) and firing ones.
    func alerts() async -> [Alert]
}

/// Detection's health: how much it holds and how fast it turns a crossing report into a committed incident.
struct DetectionStatus: Codable, Sendable, Equatable {
    var rules: Int
    var alertsPending: Int
    var alertsFiring: Int
    var openIncidents: Int
    /// Incident changes not yet on disk; growing means the store is failing or slow.
    var unwrittenChanges: Int
    var latency: DetectionLatency.Summary
    /// Samples kept out of the windows (NaN, negative counters, clocks far ahead), by reason.
    var screenedSamples: [String: UInt64]
}
