import ArgumentParser
import Foundation
import Shared

/// `vigil oncall [--role R] [--at TIME]` and `vigil oncall simulate --severity N [--at TIME]`.
struct OnCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oncall",
        abstract: "Who holds each on-call role now or at a given time; who an incident would page.",
        subcommands: [Show.self, Simulate.self],
        defaultSubcommand: Show.self
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Who holds each role's primary, secondary and manager positions, and until when."
        )
        @OptionGroup var client: ClientOptions
        @Option(help: "Only this role, such as sre or database.") var role: String?
        @Option(help: "At this time: ISO 8601, now, or +2h (default: now).") var at: String?

        func validate() throws { try OnCallCommand.check(at: at) }

        func run() async throws {
            let path = APIClient.path("/api/v1/oncall", query: [("role", role), ("at", at)])
            let listing = try await client.makeClient().get(path, as: OnCallRoutes.Listing.self)
            var output = StandardOutput()
            switch client.output {
            case .json: try PrettyJSON.write(listing, to: &output)
            case .table:
                output.write("on call at \(DisplayText.timestamp(listing.at))\n")
                let header = ["ROLE", "POSITION", "PERSON", "CONTACT", "UNTIL"]
                let rows = listing.assignments.map { assignment in
                    [
                        assignment.role, assignment.position, assignment.person ?? "nobody on shift",
                        [assignment.email, assignment.chat, assignment.phone].compactMap { $0 }.joined(separator: " "),
                        assignment.until.map(DisplayText.timestamp) ?? "-",
                    ]
                }
                output.write(TextTable(rows: [header] + rows).rendered)
            }
        }
    }

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who an incident of a severity opening at a time would page at each step, and how."
        )
        @OptionGroup var client: ClientOptions
        @Option(help: "1 to 4 (or SEV-1 to SEV-4).") var severity: String
        @Option(help: "When the incident opens: ISO 8601, now, or +2h (default: now).") var at: String?
        @Option(help: "The role paged (default: the routing's role for --kind and --service).") var role: String?
        @Option(help: "The incident kind, for routing.") var kind: String?
        @Option(help: "The service, for routing.") var service: String?

        func validate() throws {
            guard Severity(text: severity) != nil else {
                throw ValidationError("invalid --severity \"\(severity)\": use 1 to 4 or SEV-1 to SEV-4")
            }
            try OnCallCommand.check(at: at)
        }

        func run() async throws {
            let path = APIClient.path(
                "/api/v1/oncall/simulate",
                query: [("severity", severity), ("at", at), ("role", role), ("kind", kind), ("service", service)]
            )
            let simulation = try await client.makeClient().get(path, as: OnCallRoutes.Simulation.self)
            var output = StandardOutput()
            switch client.output {
            case .json: try PrettyJSON.write(simulation, to: &output)
            case .table:
                output.write(
                    "\(simulation.severity) opening \(DisplayText.timestamp(simulation.at)), paging role \(simulation.role)\n"
                )
                let header = ["STEP", "AFTER", "AT", "TARGET", "PERSON", "CHANNELS", "PROBLEM"]
                let rows = simulation.steps.map { step in
                    [
                        "\(step.step)", "\(step.afterMinutes) min", DisplayText.timestamp(step.dueAt), step.target,
                        step.person ?? "-", step.channels.isEmpty ? "-" : step.channels.joined(separator: ","),
                        step.problems.isEmpty ? "ok" : step.problems.joined(separator: "; "),
                    ]
                }
                output.write(TextTable(rows: [header] + rows).rendered)
            }
            if simulation.steps.contains(where: { !$0.problems.isEmpty }) { throw ExitCode.failure }
        }
    }

    static func check(at: String?) throws {
        if let at, SilenceRoutes.time(at, now: Date()) == nil {
            throw ValidationError("invalid --at \"\(at)\": \(OnCallRoutes.expectedTime)")
        }
    }
}
