import ArgumentParser
import Foundation

/// `vigil note ID TEXT`: adds a line to the incident's timeline, for the people joining later and the postmortem.
struct NoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note to an incident's timeline."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Incident id, such as 12 or #12.")
    var id: String

    @Argument(help: "The note; quote it.")
    var text: String

    func validate() throws {
        _ = try IncidentID.argument(id)
        do {
            _ = try IncidentRoutes.checkedText(text, field: "the note")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let person = try identity.person()
        let body = IncidentRoutes.NoteBody(by: person, text: text)
        let incident = try await client.makeClient().post(
            "/api/v1/incidents/\(id)/notes",
            body: body,
            as: Incident.self
        )
        var output = StandardOutput()
        try IncidentChangeView(incident: incident, summary: "note added to #\(id)").write(
            as: client.output,
            to: &output
        )
    }
}
