import Foundation
import Shared

/// One line of the append-only command audit log: who asked for what, on which node, and what became of it.
struct CommandAuditEntry: Hashable, Sendable, Codable {
    enum Event: String, Hashable, Sendable, Codable, CaseIterable {
        /// Stored, before anything was sent.
        case issued
        /// Written to the agent's connection (once per attempt).
        case sent
        /// The agent's answer, or a duplicate answer that was ignored.
        case result
        /// No answer before its expiry time.
        case expired
        /// The coordinator refused to issue it (unknown node or incident, bad input).
        case refusedByCoordinator = "refused_by_coordinator"
    }

    /// Assigned by the store in the order entries were appended; nil before.
    var id: Int64?
    var time: Date
    /// The person or `vigil` for the coordinator's own doing.
    var actor: String
    /// Nil for a command refused before it had an id.
    var commandID: CommandID?
    var node: NodeID
    var action: ActionName
    var event: Event
    var detail: String
}
