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

    @Flag(help: "Also hold paging and automatic fixes for the incident's service and kind until it resolves.")
    var silence = false

    @Option(name: .customLong("for"), help: "How long the --silence lasts at most, such as 2h (default: 4h).")
    var duration: String?

    func validate() throws {
        _ = try IncidentID.argument(id)
        if duration != nil, !silence { throw ValidationError("--for goes with --silence") }
        if let duration {
            guard case .ago(let length)? = TimeBound(text: duration), length > .zero else {
                throw ValidationError("invalid --for \"\(duration)\": \(SilenceRoutes.expectedDuration)")
            }
        }
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
        var summary = "#\(id) acknowledged by \(incident.acknowledgedBy ?? "-")"
        if silence {
            let bound = try await client.makeClient().post(
                "/api/v1/incidents/\(id)/silence",
                body: PeopleRoutes.SilenceBody(duration: duration ?? "4h", by: person, reason: nil),
                as: Silence.self
            )
            summary += "; silence \(bound.id) until \(DisplayText.timestamp(bound.endsAt)) or resolution"
        }
        try IncidentChangeView(incident: incident, summary: summary).write(as: client.output, to: &output)
    }
}
