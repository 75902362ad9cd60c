import Shared

/// Whoever sends commands to agents and must hear back: told when a node's session is ready for commands (its
/// Welcome written), when it ended, and of every command result the agent sends.
protocol CommandChannel: Sendable {
    func agentConnected(_ node: NodeID) async
    func agentDisconnected(_ node: NodeID) async
    func commandResultArrived(_ result: CommandResult, from node: NodeID) async
}
