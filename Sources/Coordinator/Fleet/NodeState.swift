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
    /// Recent points of every series the node reports, for rates, ratios and quantiles.
    var windows: [SeriesDescriptor: SeriesWindow] = [:]

    init(stored: StoredNode) {
        self.stored = stored
    }

    /// Adds a report's samples to their windows at `time`, and forgets points (and series) older than the
    /// window at `now`.
    mutating func appendToWindows(_ samples: [(SeriesDescriptor, SampleValue)], at time: Date, now: Date) {
        for (series, value) in samples {
            windows[series, default: SeriesWindow()].append(value, at: time)
        }
        for series in windows.keys {
            windows[series]?.removeExpired(now: now)
            if windows[series]?.isEmpty == true { windows[series] = nil }
        }
    }

    var view: FleetView.Node {
        FleetView.Node(
            id: stored.id,
            service: FleetView.service(of: stored.labels),
            windows: windows,
            lastHeardAt: lastReportAt ?? stored.lastSeenAt,
            isConnected: stored.connectionState == .connected
        )
    }

    mutating func record(_ events: [AgentEvent]) {
        recentEvents.append(contentsOf: events)
        if recentEvents.count > Self.recentEventLimit {
            recentEvents.removeFirst(recentEvents.count - Self.recentEventLimit)
        }
    }
}
