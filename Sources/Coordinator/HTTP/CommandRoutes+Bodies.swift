import Foundation
import Shared

/// The command API's JSON shapes, shared by the routes and the CLI that sends and reads them.
extension CommandRoutes {
    /// `GET /api/v1/commands`, newest first.
    struct CommandList: Codable, Hashable, Sendable {
        var commands: [RemediationCommand]
    }

    /// `POST /api/v1/commands`. Node and action are text so a wrong one is refused with its value named.
    struct IssueBody: Codable, Hashable, Sendable {
        var node: String
        var action: String
        var params: [String: String]?
        var dryRun: Bool?
        var incident: Int64?
        var by: String
        var lifetimeSeconds: Double?

        /// The draft this body asks for, or the first field that cannot be read.
        func draft() throws(APIInputError) -> CommandDraft {
            guard let nodeID = NodeID(node) else {
                throw .invalidParameter(name: "node", value: node, expected: "use a node id")
            }
            var draft = CommandDraft(
                node: nodeID,
                action: try CommandRoutes.checkedAction(action),
                parameters: params ?? [:],
                isDryRun: dryRun ?? false,
                issuer: try IncidentRoutes.checkedName(by, field: "by")
            )
            if let incident {
                guard incident > 0 else {
                    throw .invalidParameter(name: "incident", value: String(incident), expected: "use an incident id")
                }
                draft.incidentID = IncidentID(incident)
            }
            if let lifetimeSeconds {
                let maximum = CommandDispatcher.maximumLifetime.timeInterval
                guard lifetimeSeconds.isFinite, lifetimeSeconds > 0, lifetimeSeconds <= maximum else {
                    throw .invalidParameter(
                        name: "lifetime_seconds",
                        value: String(lifetimeSeconds),
                        expected: "use more than 0 and at most \(Int(maximum))"
                    )
                }
                draft.lifetime = .milliseconds(Int64((lifetimeSeconds * 1_000).rounded()))
            }
            return draft
        }
    }

    /// An action name as the agents know it; refused naming the value and the actions there are.
    static func checkedAction(_ text: String) throws(APIInputError) -> ActionName {
        guard let action = ActionName(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let names = ActionName.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter(name: "action", value: text, expected: "use one of \(names)")
        }
        return action
    }
}
