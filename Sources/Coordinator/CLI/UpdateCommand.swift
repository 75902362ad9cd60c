import ArgumentParser
import Foundation

/// `vigil update ID --status S --message TEXT`: the playbook's status update, recorded and sent to the
/// severity's channels and everyone paged so far.
struct UpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Post a status update: record it, set the status, and send it to the people and channels involved."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Incident id, such as 12 or #12.") var id: String
    @Option(help: "INVESTIGATING, IDENTIFIED, MONITORING or RESOLVED.") var status: String
    @Option(help: "The current impact, or what there is to say.") var message: String
    @Option(name: .customLong("action"), help: "An action taken (repeat for several).") var actions: [String] = []
    @Option(name: .customLong("next"), help: "A next step (repeat for several).") var nextSteps: [String] = []
    @Option(help: "When it should be fixed, as you would say it (default: unknown).") var eta: String?

    func validate() throws {
        _ = try IncidentID.argument(id)
        guard IncidentStatus(text: status) != nil else {
            throw ValidationError(
                "invalid --status \"\(status)\": use INVESTIGATING, IDENTIFIED, MONITORING or RESOLVED"
            )
        }
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= PeopleDesk.maximumMessageLength else {
            throw ValidationError("--message must be 1 to \(PeopleDesk.maximumMessageLength) characters")
        }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let body = PeopleRoutes.UpdateBody(
            status: status,
            message: message,
            actionsTaken: actions,
            nextSteps: nextSteps,
            eta: eta,
            by: try identity.person()
        )
        let update = try await client.makeClient().post("/api/v1/incidents/\(id)/updates", body: body, as: StatusUpdate.self)
        var output = StandardOutput()
        switch client.output {
        case .json: try PrettyJSON.write(update, to: &output)
        case .table: output.write("#\(id) status update posted (\(update.status)) by \(update.author)\n")
        }
    }
}
