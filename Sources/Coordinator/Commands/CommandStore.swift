import Foundation
import Shared

/// Where commands and their audit log are kept, so a command survives a restart until its result or expiry.
protocol CommandStore: Sendable {
    /// Inserts the command or updates it in place, and appends `audit`, in one transaction.
    func save(_ command: RemediationCommand, appending audit: [CommandAuditEntry]) async throws

    /// Appends entries that change no command (a refusal, an ignored duplicate result).
    func appendAudit(_ entries: [CommandAuditEntry]) async throws

    /// Every command still pending or sent, oldest node sequence first: what to send again after a restart
    /// (those past their expiry time are expired by the dispatcher at its first tick).
    func unfinishedCommands() async throws -> [RemediationCommand]

    /// Commands matching the query, newest first.
    func commands(matching query: CommandQuery) async throws -> [RemediationCommand]

    func command(_ id: CommandID) async throws -> RemediationCommand?

    /// One more than the highest node sequence the node's commands have used; 1 for a node without any.
    func nextNodeSequence(for node: NodeID) async throws -> UInt64

    /// The command's audit entries, oldest first.
    func auditEntries(of id: CommandID) async throws -> [CommandAuditEntry]
}
