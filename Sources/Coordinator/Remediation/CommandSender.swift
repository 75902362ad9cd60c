import Foundation
import Shared

/// How remediation (and an operator's `vigil remediate`) asks for a command: the sender stores it, sends it
/// when the node is connected, and reports its end to its `CommandResultObserver`.
protocol CommandSender: Sendable {
    func issue(_ draft: CommandDraft) async throws(CommandDispatchError) -> RemediationCommand
}

/// A command before it has an id, a sequence and a state.
struct CommandDraft: Hashable, Sendable {
    var incidentID: IncidentID?
    var node: NodeID
    var action: ActionName
    var parameters: [String: String] = [:]
    var isDryRun = false
    var issuer: String
    /// How long the command may wait for its node before it expires unsent or unanswered.
    var lifetime: Duration = .seconds(300)
}

/// Why a command was not issued.
enum CommandDispatchError: Error, Equatable, CustomStringConvertible {
    case unknownNode(NodeID)
    case unknownIncident(IncidentID)
    case invalid(String)
    /// The store could not be written; nothing was sent.
    case unavailable(String)

    var description: String {
        switch self {
        case .unknownNode(let node): "no node \(node)"
        case .unknownIncident(let id): "no incident \(id)"
        case .invalid(let reason): reason
        case .unavailable(let reason): "the command store is unavailable: \(reason)"
        }
    }
}
