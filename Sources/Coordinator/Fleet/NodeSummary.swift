import Foundation
import Shared

/// A node as the API shows it and the CLI reads it: registration, connection, counters and latest values.
struct NodeSummary: Codable, Sendable, Equatable {
    struct Signal: Codable, Sendable, Equatable {
        var series: String
        var name: String
        var labels: [String: String]
        var kind: SeriesKind
        var value: Double?
        var count: UInt64?
        var sum: Double?
    }

    var id: NodeID
    var hostname: String
    var agentVersion: String
    var labels: [String: String]
    var state: StoredNode.ConnectionState
    var peerAddress: String
    var firstSeen: Date
    var lastSeen: Date
    var lastReportAt: Date?
    var lastReportSeq: UInt64
    var reportsReceived: UInt64
    var duplicateReports: UInt64
    var agent: AgentSelfStats
    var probes: [ProbeResult]
    var signals: [Signal]
    /// The node's latest events, newest last: collectors and probes going down or up, with their errors.
    var recentEvents: [Event]

    struct Event: Codable, Sendable, Equatable {
        var kind: AgentEvent.Kind
        var subject: String
        var detail: String
        var time: Date
    }

    init(_ node: NodeState) {
        id = node.stored.id
        hostname = node.stored.hostname
        agentVersion = node.stored.agentVersion
        labels = node.stored.labels
        state = node.stored.connectionState
        peerAddress = node.stored.peerAddress
        firstSeen = node.stored.firstSeenAt
        lastSeen = node.stored.lastSeenAt
        lastReportAt = node.lastReportAt
        lastReportSeq = node.stored.lastReportSeq
        reportsReceived = node.stored.reportsReceived
        duplicateReports = node.stored.duplicateReports
        agent = node.selfStats
        probes = node.probes.values.sorted { $0.name < $1.name }
        signals = node.latest.map { series, value in
            var signal = Signal(series: series.displayName, name: series.name, labels: series.labels, kind: series.kind)
            switch value {
            case .number(let number):
                signal.value = number.isFinite ? number : nil
            case .histogram(let histogram):
                signal.count = histogram.count
                signal.sum = histogram.sum
            }
            return signal
        }
        .sorted { $0.series < $1.series }
        recentEvents = node.recentEvents.map { Event(kind: $0.kind, subject: $0.subject, detail: $0.detail, time: $0.time) }
    }

    /// The latest plain value of a series with no labels, such as `system_load1`.
    func value(of name: String) -> Double? {
        signals.first { $0.name == name && $0.labels.isEmpty }?.value
    }
}
