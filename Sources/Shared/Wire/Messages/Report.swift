import Foundation

/// One collection's worth of facts from a node, numbered so the coordinator can acknowledge and de-duplicate it.
public struct Report: Hashable, Sendable {
    /// Monotonic per node, starting at 1; never reused, also across agent restarts.
    public var seq: UInt64
    public var collectedAt: Date
    /// Series first used on this connection; declared once, then referred to by id.
    public var declarations: [SeriesDeclaration]
    public var samples: [Sample]
    public var probes: [ProbeResult]
    public var events: [AgentEvent]
    public var selfStats: AgentSelfStats

    public init(
        seq: UInt64,
        collectedAt: Date,
        declarations: [SeriesDeclaration] = [],
        samples: [Sample] = [],
        probes: [ProbeResult] = [],
        events: [AgentEvent] = [],
        selfStats: AgentSelfStats = AgentSelfStats()
    ) {
        self.seq = seq
        self.collectedAt = collectedAt
        self.declarations = declarations
        self.samples = samples
        self.probes = probes
        self.events = events
        self.selfStats = selfStats
    }
}

/// Binds a series id to what the series is, for the rest of one connection.
public struct SeriesDeclaration: Hashable, Sendable {
    public var id: SeriesID
    public var series: SeriesDescriptor

    public init(id: SeriesID, series: SeriesDescriptor) {
        self.id = id
        self.series = series
    }
}
