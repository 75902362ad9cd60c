import ArgumentParser
import Foundation

/// `vigil resolve ID`: closes an incident; the coordinator refuses while its alerts still fire, unless `--force`.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve an incident, optionally with its root cause."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Incident id, such as 12 or #12.")
    var id: String

    @Option(name: .customLong("root-cause"), help: "What caused it, for the timeline and the postmortem.")
    var rootCause: String?

    @Flag(name: .long, help: "Resolve even while some of its alerts still fire.")
    var force = false

    func validate() throws {
        _ = try IncidentID.argument(id)
        do {
            _ = try IncidentRoutes.checkedOptionalText(rootCause, field: "--root-cause")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let person = try identity.person()
        let body = IncidentRoutes.ResolveBody(by: person, rootCause: rootCause, force: force)
        let incident = try await client.makeClient().post(
            "/api/v1/incidents/\(id)/resolve",
            body: body,
            as: Incident.self
        )
        var output = StandardOutput()
        let summary = "#\(id) resolved by \(incident.resolvedBy ?? "-")"
        try IncidentChangeView(incident: incident, summary: summary).write(as: client.output, to: &output)
    }
}
