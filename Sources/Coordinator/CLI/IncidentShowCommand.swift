import ArgumentParser
import Foundation

/// `vigil incident show ID`: everything about one incident, timeline included.
struct IncidentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an incident: summary, alerts, snapshots and the full timeline."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "Incident id, such as 12 or #12.")
    var id: String

    func validate() throws {
        _ = try IncidentID.argument(id)
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let detail = try await client.makeClient().get("/api/v1/incidents/\(id)", as: IncidentDetail.self)
        var output = StandardOutput()
        try IncidentDetailView(detail: detail).write(as: client.output, to: &output)
    }
}
