import Foundation

/// What the HTTP API lets operators do with commands to agents.
protocol CommandOperations: Sendable {
    /// Stores the command and sends it when its node is connected; answers once it is stored.
    func issue(_ draft: CommandDraft) async throws(CommandDispatchError) -> RemediationCommand
    /// Commands matching the query, newest first.
    func commands(matching query: CommandQuery) async throws(CommandDispatchError) -> [RemediationCommand]
    /// The command and its audit log; nil when there is no such command.
    func detail(of id: CommandID) async throws(CommandDispatchError) -> CommandDetail?
}
