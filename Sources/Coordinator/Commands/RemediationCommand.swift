import Foundation
import Shared

/// A command for one agent, as the coordinator keeps it: stored before it is sent, re-sent after a reconnect
/// until its result arrives or it expires, and kept with its result for the audit log.
struct RemediationCommand: Hashable, Sendable, Codable {
    enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// Stored, not yet written to the agent's connection (it may be offline).
        case pending
        /// Written to the agent at least once; no result yet.
        case sent
        /// A result arrived (whatever its outcome).
        case finished
        /// It expired before any result arrived; it will not be sent again.
        case expired
    }

    /// What the agent answered.
    struct Result: Hashable, Sendable, Codable {
        var outcome: CommandResult.Outcome
        var exitCode: Int32
        var outputTail: String
        var startedAt: Date
        var finishedAt: Date
        var detail: String
        /// When the coordinator received it.
        var receivedAt: Date
    }

    var id: CommandID
    var incidentID: IncidentID?
    var node: NodeID
    var action: ActionName
    var parameters: [String: String]
    var isDryRun: Bool
    /// Who asked: an operator's name, or `remediation` for the engine.
    var issuer: String
    /// Strictly increasing per node.
    var nodeSequence: UInt64
    var issuedAt: Date
    var expiresAt: Date
    var state: State
    /// How many times it was written to an agent connection.
    var attempts: Int
    var lastSentAt: Date?
    var result: Result?
}
