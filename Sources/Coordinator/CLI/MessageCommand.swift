import ArgumentParser
import Foundation

/// `vigil message ID KIND`: a message rendered as it would be sent now, without sending it.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: "Print one of the playbook's messages for an incident, without sending it.",
        discussion: "KIND is one of: \(MessageKind.allCases.map(\.rawValue).joined(separator: ", "))."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "Incident id, such as 12 or #12.") var id: String
    @Argument(help: "initial, status-update, resolution, customer-initial, customer-resolution or page.") var kind: String

    func validate() throws {
        _ = try IncidentID.argument(id)
        guard MessageKind(rawValue: kind) != nil else {
            let kinds = MessageKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("invalid message kind \"\(kind)\": use \(kinds)")
        }
    }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let message = try await client.makeClient().get(
            "/api/v1/incidents/\(id)/messages/\(kind)",
            as: PeopleRoutes.MessageAnswer.self
        )
        var output = StandardOutput()
        switch client.output {
        case .json: try PrettyJSON.write(message, to: &output)
        case .table:
            if let subject = message.subject { output.write("Subject: \(subject)\n\n") }
            output.write(message.text.hasSuffix("\n") ? message.text : message.text + "\n")
        }
    }
}
