import ArgumentParser
import Foundation

/// `vigil approve ID`: lets a runbook step that waits for a person send its command.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a remediation step that waits for a person (its id is on the incident's timeline)."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Argument(help: "Approval id, such as apr-12-1-web-1.")
    var id: String

    func validate() throws {
        guard !id.isEmpty, id.allSatisfy({ !$0.isWhitespace && !$0.isNewline }) else {
            throw ValidationError("invalid approval id \"\(id)\"")
        }
    }

    func run() async throws {
        let path = "/api/v1/approvals/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)
        let command = try await client.makeClient().post(
            path,
            body: RemediationRoutes.PersonBody(by: try identity.person()),
            as: RemediationCommand.self
        )
        var output = StandardOutput()
        switch client.output {
        case .json: try PrettyJSON.write(command, to: &output)
        case .table:
            output.write("approved: \(command.action) on \(command.node) sent as \(command.id)\n")
        }
    }
}
