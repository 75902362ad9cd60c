/// The agent's first message on every connection: who it is and what it can do.
public struct Hello: Hashable, Sendable {
    public var version: ProtocolVersion
    public var nodeID: NodeID
    public var agentVersion: String
    public var hostname: String
    /// The node's labels: `service`, `role`, `region` and any the deployment adds.
    public var labels: [String: String]
    /// The actions the agent's local policy allows; the coordinator asks for no others.
    public var allowedActions: [String]
    /// The highest report seq the agent saw acknowledged; 0 when none.
    public var lastAcknowledgedSeq: UInt64
    /// Changes every time the agent process starts, so a restart is told apart from a reconnect.
    public var incarnation: UInt64

    public init(
        version: ProtocolVersion = .current,
        nodeID: NodeID,
        agentVersion: String,
        hostname: String,
        labels: [String: String] = [:],
        allowedActions: [String] = [],
        lastAcknowledgedSeq: UInt64 = 0,
        incarnation: UInt64
    ) {
        self.version = version
        self.nodeID = nodeID
        self.agentVersion = agentVersion
        self.hostname = hostname
        self.labels = labels
        self.allowedActions = allowedActions
        self.lastAcknowledgedSeq = lastAcknowledgedSeq
        self.incarnation = incarnation
    }
}
