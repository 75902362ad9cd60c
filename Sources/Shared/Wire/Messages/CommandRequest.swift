import Foundation

/// A request from the coordinator for one action of the agent's policy.
///
/// The issuer, per-node sequence, key id and signature let an agent refuse forged, replayed or expired commands.
public struct CommandRequest: Hashable, Sendable {
    public var id: String
    public var incidentID: String
    public var targetNodeID: NodeID
    public var action: String
    public var parameters: [String: String]
    public var issuedAt: Date
    public var expiresAt: Date
    public var isDryRun: Bool
    public var issuer: String
    public var nodeSequence: UInt64
    public var keyID: String
    public var signature: [UInt8]

    public init(
        id: String,
        incidentID: String = "",
        targetNodeID: NodeID,
        action: String,
        parameters: [String: String] = [:],
        issuedAt: Date,
        expiresAt: Date,
        isDryRun: Bool = false,
        issuer: String,
        nodeSequence: UInt64,
        keyID: String = "",
        signature: [UInt8] = []
    ) {
        self.id = id
        self.incidentID = incidentID
        self.targetNodeID = targetNodeID
        self.action = action
        self.parameters = parameters
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.isDryRun = isDryRun
        self.issuer = issuer
        self.nodeSequence = nodeSequence
        self.keyID = keyID
        self.signature = signature
    }
}
