import Shared

extension AgentRegistry: CommandDelivery {
    func deliver(_ request: CommandRequest, to node: NodeID) async -> Bool {
        send(.command(request), to: node)
    }
}
