import Foundation
import Shared

/// The command list's filters as text — a URL's query or the command line's options — read the same way for both.
struct CommandListParameters: Hashable, Sendable {
    var query = CommandQuery()

    init(incident: String?, node: String?, state: String?, limit: String?) throws(APIInputError) {
        if let incident {
            guard let id = IncidentID(text: incident) else {
                throw .invalidParameter(name: "incident", value: incident, expected: "use an incident id such as 12")
            }
            query.incidentID = id
        }
        if let node {
            guard let id = NodeID(node) else {
                throw .invalidParameter(name: "node", value: node, expected: "use a node id")
            }
            query.node = id
        }
        if let state {
            for item in state.split(separator: ",", omittingEmptySubsequences: false) {
                let word = item.trimmingCharacters(in: .whitespaces).lowercased()
                guard let value = RemediationCommand.State(rawValue: word) else {
                    let names = RemediationCommand.State.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .invalidParameter(name: "state", value: word, expected: "use \(names), comma-separated")
                }
                query.states.insert(value)
            }
        }
        if let limit {
            query.limit = try IncidentListParameters.limit(from: limit)
        }
    }
}
