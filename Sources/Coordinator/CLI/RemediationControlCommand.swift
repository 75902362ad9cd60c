import ArgumentParser
import Foundation
import Shared

/// `vigil remediation pause|resume|status`: stop every automatic fix at once, start them again, or see them.
struct RemediationControlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediation",
        abstract: "Pause or resume all automatic remediation, or show what it is doing.",
        subcommands: [Pause.self, Resume.self, Status.self]
    )

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop every automatic action until resumed.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var identity: ActorOptions

        func run() async throws {
            try await RemediationControlCommand.switchRemediation("pause", client: client, identity: identity)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let automatic actions run again.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var identity: ActorOptions

        func run() async throws {
            try await RemediationControlCommand.switchRemediation("resume", client: client, identity: identity)
        }
    }

    /// `POST /api/v1/remediation/pause` or `…/resume`, then the state it left.
    static func switchRemediation(_ verb: String, client: ClientOptions, identity: ActorOptions) async throws {
        let status = try await client.makeClient().post(
            "/api/v1/remediation/\(verb)",
            body: RemediationRoutes.PersonBody(by: try identity.person()),
            as: RemediationStatus.self
        )
        try RemediationStatusView(status: status).write(as: client.output)
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether remediation runs, and each incident's plan.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let status = try await client.makeClient().get("/api/v1/remediation", as: RemediationStatus.self)
            try RemediationStatusView(status: status).write(as: client.output)
        }
    }
}

/// Prints remediation's state as a line and a table, or as JSON.
struct RemediationStatusView {
    let status: RemediationStatus

    func write(as format: OutputFormat) throws {
        var output = StandardOutput()
        try write(as: format, to: &output)
    }

    func write(as format: OutputFormat, to output: inout some TextOutputStream) throws {
        switch format {
        case .json:
            try PrettyJSON.write(status, to: &output)
        case .table:
            output.write(
                "remediation: \(status.isPaused ? "PAUSED" : "running"); runbooks: \(status.runbooks.joined(separator: ", "))\n"
            )
            guard !status.incidents.isEmpty else { return }
            var rows = [["INCIDENT", "KIND", "STEP", "ACTION", "COMMANDS", "STATE", "APPROVALS"]]
            for plan in status.incidents {
                rows.append([
                    "#\(plan.incident)", plan.kind.rawValue, "\(plan.step)/\(plan.steps)", plan.action?.rawValue ?? "-",
                    String(plan.actionsIssued), plan.isOver ? "over" : "working",
                    plan.pendingApprovals.isEmpty ? "-" : plan.pendingApprovals.joined(separator: " "),
                ])
            }
            output.write(TextTable(rows: rows).rendered)
        }
    }
}
