import ArgumentParser
import Foundation

/// `vigil commands`: the commands sent to agents, newest first.
struct CommandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "List commands sent to agents: node, action, state, outcome."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: "Only commands for this incident.")
    var incident: String?

    @Option(name: .long, help: "Only commands for this node.")
    var node: String?

    @Option(name: .long, help: "Only these states, comma-separated: pending, sent, finished, expired.")
    var state: String?

    @Option(name: .long, help: "At most this many commands (1 to \(IncidentListParameters.maximumLimit)).")
    var limit: String?

    func validate() throws {
        do {
            _ = try CommandListParameters(incident: incident, node: node, state: state, limit: limit)
        } catch {
            throw ValidationError(IncidentsCommand.usageMessage(for: error))
        }
    }

    func run() async throws {
        let path = APIClient.path(
            "/api/v1/commands",
            query: [
                ("incident", incident.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 }), ("node", node),
                ("state", state), ("limit", limit),
            ]
        )
        let list = try await client.makeClient().get(path, as: CommandRoutes.CommandList.self)
        var output = StandardOutput()
        try CommandListView(commands: list.commands).write(as: client.output, to: &output)
    }
}
