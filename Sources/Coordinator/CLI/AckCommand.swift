import ArgumentParser
import Foundation

/// `vigil ack ID`: someone is on it; stops the response-time clock.
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge an incident: you are on it."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Incident id, such as 12 or #12.")
    var id: String

    func validate() throws {
        _ = try IncidentID.argument(id)
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let person = try identity.person()
        let incident = try await client.makeClient().post(
            "/api/v1/incidents/\(id)/ack",
            body: IncidentRoutes.AcknowledgeBody(by: person),
            as: Incident.self
        )
        var output = StandardOutput()
        let summary = "#\(id) acknowledged by \(incident.acknowledgedBy ?? "-")"
        try IncidentChangeView(incident: incident, summary: summary).write(as: client.output, to: &output)
    }
}
