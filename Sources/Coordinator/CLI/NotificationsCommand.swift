import ArgumentParser
import Foundation

/// `vigil notifications ID`: who was paged at each step, and every notification with its delivery attempts.
struct NotificationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "Show who was paged for an incident, and every notification sent with its delivery attempts."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "Incident id, such as 12 or #12.") var id: String

    func validate() throws { _ = try IncidentID.argument(id) }

    func run() async throws {
        let id = try IncidentID.argument(id)
        let communications = try await client.makeClient().get(
            "/api/v1/incidents/\(id)/notifications",
            as: IncidentCommunications.self
        )
        var output = StandardOutput()
        switch client.output {
        case .json: try PrettyJSON.write(communications, to: &output)
        case .table:
            output.write("PAGES\n")
            let pageRows = communications.pages.map { page in
                [
                    DisplayText.timestamp(page.pagedAt), "\(page.severity)", page.role, page.target.rawValue,
                    page.person ?? "-", page.outcome.rawValue, page.channels.joined(separator: ","),
                ]
            }
            output.write(
                pageRows.isEmpty
                    ? "nobody paged\n"
                    : TextTable(rows: [["AT", "SEVERITY", "ROLE", "STEP", "PERSON", "OUTCOME", "CHANNELS"]] + pageRows)
                        .rendered
            )
            output.write("\nNOTIFICATIONS\n")
            let rows = communications.notifications.map { detail in
                let notification = detail.notification
                return [
                    DisplayText.timestamp(notification.createdAt), notification.channel, notification.event,
                    notification.messageKind, notification.recipient ?? "-", notification.status.rawValue,
                    "\(notification.attempts)", detail.attempts.last?.detail ?? "-",
                ]
            }
            output.write(
                rows.isEmpty
                    ? "none\n"
                    : TextTable(
                        rows: [["QUEUED", "CHANNEL", "EVENT", "MESSAGE", "TO", "STATUS", "ATTEMPTS", "LAST"]] + rows
                    ).rendered
            )
        }
    }
}
