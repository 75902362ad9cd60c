import Foundation
import Shared

/// What the coordinator keeps about a node across restarts: who it is, when it was seen, how far its
/// reports got. Everything else about a node is rebuilt from the next reports.
struct StoredNode: Sendable, Equatable {
    var id: NodeID
    var hostname: String
    var agentVersion: String
    var labels: [String: String]
    var firstSeenAt: Date
    var lastSeenAt: Date
    var connectionState: ConnectionState
    var peerAddress: String
    /// The highest report seq accepted; anything at or below it is a duplicate.
    var lastReportSeq: UInt64
    var reportsReceived: UInt64
    var duplicateReports: UInt64

    enum ConnectionState: String, Sendable, Codable, CaseIterable {
        case connected
        case disconnected
    }
}
