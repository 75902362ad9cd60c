import Shared

/// How the dispatcher reaches a node's live connection; the agent registry knows which sessions are live.
protocol CommandDelivery: Sendable {
    /// Queues the request on the node's live connection; false when the node has none or its queue is full.
    func deliver(_ request: CommandRequest, to node: NodeID) async -> Bool
}
