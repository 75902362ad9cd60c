import ArgumentParser
import Foundation

/// `vigil status ID STATUS`: moves an incident along the playbook (INVESTIGATING → IDENTIFIED → MONITORING).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Set an incident's status: INVESTIGATING, IDENTIFIED, MONITORING or RESOLVED."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Incident id, such as 12 or #12.")
    var id: String

    @Argument(help: "The new status, in any case.")
    var status: String

    @Option(name: .long, help: "Why, for the timeline.")
    var note: String?

    func validate() throws {
        _ = try IncidentID.argument(id)
        do {
            _ = try IncidentRoutes.checkedStatus(status)
            _ = try IncidentRoutes.checkedOptionalText(note, field: "--note")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let person = try identity.person()
        let body = IncidentRoutes.StatusBody(status: status.uppercased(), by: person, note: note)
        let incident = try await client.makeClient().post(
            "/api/v1/incidents/\(id)/status",
            body: body,
            as: Incident.self
        )
        var output = StandardOutput()
        let summary = "#\(id) is now \(incident.status)"
        try IncidentChangeView(incident: incident, summary: summary).write(as: client.output, to: &output)
    }
}
