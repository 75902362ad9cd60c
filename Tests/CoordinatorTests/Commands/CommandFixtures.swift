import Foundation
import Shared

@testable import Coordinator

/// Nodes, incidents and drafts for the command tests.
enum CommandFixtures {
    static let web1 = NodeID("web-1") ?? .localhost

    /// Puts known (disconnected) nodes and incident #1 into the data directory before a coordinator starts.
    static func seed(_ directory: String, nodes: [String] = ["web-1"], incident: Bool = true) async throws {
        let database = try CoordinatorDatabase.open(directory: directory)
        let now = Date()
        try await database.saveNodes(
            nodes.compactMap(NodeID.init).map { id in
                StoredNode(
                    id: id,
                    hostname: id.rawValue,
                    agentVersion: "test",
                    labels: [:],
                    firstSeenAt: now,
                    lastSeenAt: now,
                    connectionState: .disconnected,
                    peerAddress: "",
                    lastReportSeq: 0,
                    reportsReceived: 0,
                    duplicateReports: 0
                )
            }
        )
        if incident {
            try await database.apply([.saveIncident(IncidentFixtures.incident(1, openedAt: now))])
        }
    }

    static func draft(
        node: NodeID = web1,
        incident: IncidentID? = IncidentID(1),
        lifetime: Duration = .seconds(300)
    ) -> CommandDraft {
        CommandDraft(
            incidentID: incident,
            node: node,
            action: .restartService,
            parameters: [ActionParameter.service: "nginx"],
            issuer: "alice",
            lifetime: lifetime
        )
    }
}
