import Foundation
import GRDB
import Shared

/// A row of `node`.
struct NodeRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "node"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let lastSeenAt = Column(CodingKeys.lastSeenAt)
    }

    var id: String
    var hostname: String
    var agentVersion: String
    /// Stored as JSON text.
    var labels: [String: String]
    var firstSeenAt: Date
    var lastSeenAt: Date
    var connectionState: String
    var peerAddress: String
    // SQLite integers are signed 64-bit; seqs and counts never get near the sign bit.
    var lastReportSeq: Int64
    var reportsReceived: Int64
    var duplicateReports: Int64

    init(_ node: StoredNode) {
        id = node.id.rawValue
        hostname = node.hostname
        agentVersion = node.agentVersion
        labels = node.labels
        firstSeenAt = node.firstSeenAt
        lastSeenAt = node.lastSeenAt
        connectionState = node.connectionState.rawValue
        peerAddress = node.peerAddress
        lastReportSeq = Int64(clamping: node.lastReportSeq)
        reportsReceived = Int64(clamping: node.reportsReceived)
        duplicateReports = Int64(clamping: node.duplicateReports)
    }

    func makeStoredNode() throws(StorageError) -> StoredNode {
        guard let nodeID = NodeID(id) else {
            throw .invalidRow(table: Self.databaseTableName, id: id, reason: "invalid node id")
        }
        guard let state = StoredNode.ConnectionState(rawValue: connectionState) else {
            throw .invalidRow(table: Self.databaseTableName, id: id, reason: "unknown connection state \(connectionState)")
        }
        return StoredNode(
            id: nodeID,
            hostname: hostname,
            agentVersion: agentVersion,
            labels: labels,
            firstSeenAt: firstSeenAt,
            lastSeenAt: lastSeenAt,
            connectionState: state,
            peerAddress: peerAddress,
            lastReportSeq: UInt64(clamping: lastReportSeq),
            reportsReceived: UInt64(clamping: reportsReceived),
            duplicateReports: UInt64(clamping: duplicateReports)
        )
    }
}
