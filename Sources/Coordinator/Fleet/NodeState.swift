import Foundation
import Shared

/// One node as the coordinator knows it now: its stored registration plus the latest of everything it reported.
struct NodeState: Sendable {
    /// How many events to keep per node for display; older ones are dropped.
    static let recentEventLimit = 50

    var stored: StoredNode
    var latest: [SeriesDescriptor: SampleValue] = [:]
    var lastReportAt: Date?
    var lastCollectedAt: Date?
    var probes: [String: ProbeResult] = [:]
    var recentEvents: [AgentEvent] = []
    var selfStats = AgentSelfStats()

    init(stored: StoredNode) {
        self.stored = stored
    }

    mutating func record(_ events: [AgentEvent]) {
        recentEvents.append(contentsOf: events)
        if recentEvents.count > Self.recentEventLimit {
            recentEvents.removeFirst(recentEvents.count - Self.recentEventLimit)
        }
    }
}
