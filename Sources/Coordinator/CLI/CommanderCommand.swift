import ArgumentParser
import Foundation

/// `vigil commander ID NAME`: names the one person who coordinates the response.
struct CommanderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commander",
        abstract: "Assign an incident's commander."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Incident id, such as 12 or #12.")
    var id: String

    @Argument(help: "Who takes command.")
    var commander: String

    func validate() throws {
        _ = try IncidentID.argument(id)
        do {
            _ = try IncidentRoutes.checkedName(commander, field: "the commander")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let person = try identity.person()
        let body = IncidentRoutes.CommanderBody(by: person, commander: commander)
        let incident = try await client.makeClient().post(
            "/api/v1/incidents/\(id)/commander",
            body: body,
            as: Incident.self
        )
        var output = StandardOutput()
        let summary = "#\(id) commander is \(incident.commander ?? "-")"
        try IncidentChangeView(incident: incident, summary: summary).write(as: client.output, to: &output)
    }
}
