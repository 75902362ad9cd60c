import ArgumentParser
import Foundation

/// `vigil postmortem ID [--output FILE]`: the playbook's postmortem, filled from the incident, as Markdown.
///
/// `--output` names a file here, as the playbook's process writes a document; `--format json` gives the API's
/// answer instead of the Markdown.
struct PostmortemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postmortem",
        abstract: "Write the incident's postmortem as Markdown: summary, timeline, resolution, remediation steps."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown
        case json
    }

    @Option(
        name: .long,
        help: "Coordinator HTTP address (default: $VIGIL_COORDINATOR, else \(ClientOptions.defaultCoordinator))."
    )
    var coordinator: String?

    @OptionGroup var identity: ActorOptions
    @Argument(help: "Incident id, such as 12 or #12.") var id: String
    @Option(name: .long, help: "Write it to this file instead of standard output.") var output: String?
    @Flag(help: "Mark the postmortem final (reviewed) first; the incident must be resolved.") var final = false
    @Option(help: "markdown or json.") var format: Format = .markdown

    func validate() throws {
        _ = try IncidentID.argument(id)
        if let coordinator, APIClient.baseURL(coordinator) == nil {
            throw ValidationError("--coordinator \"\(coordinator)\" is not an http:// or https:// URL")
        }
        if let output, output.isEmpty { throw ValidationError("--output needs a file name") }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let client = try ClientOptions.client(coordinator: coordinator)
        if final {
            _ = try await client.post(
                "/api/v1/incidents/\(id)/postmortem",
                body: PeopleRoutes.PostmortemBody(status: "final", by: try identity.person()),
                as: PostmortemDraft.self
            )
        }
        let document = try await client.get(
            "/api/v1/incidents/\(id)/postmortem",
            as: PostmortemDocument.self
        )
        var text = ""
        switch format {
        case .markdown: text = document.markdown
        case .json: try PrettyJSON.write(document, to: &text)
        }
        guard let output else {
            var standardOutput = StandardOutput()
            standardOutput.write(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw PostmortemFileError(path: output, reason: error.localizedDescription)
        }
        StandardError.write("postmortem of #\(id) written to \(output)\n")
    }
}

/// The postmortem could not be written where asked.
struct PostmortemFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "cannot write \(path): \(reason)" }
}
