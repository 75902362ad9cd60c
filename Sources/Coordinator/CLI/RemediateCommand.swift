import ArgumentParser
import Foundation
import Shared

/// `vigil remediate`: asks one node's agent to run one action; with `--wait`, until it answers or expires.
struct RemediateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate",
        abstract: "Send an action to one node's agent.",
        discussion: "Actions: \(ActionName.allCases.map(\.rawValue).joined(separator: ", "))."
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var identity: ActorOptions

    @Option(name: .long, help: "The node to run it on.")
    var node: String

    @Option(name: .long, help: "The action, such as restart_service.")
    var action: String

    @Option(name: .customLong("param"), help: "A parameter as name=value; repeat for more.")
    var parameters: [String] = []

    @Flag(name: .long, help: "Ask the agent to check, not act.")
    var dryRun = false

    @Option(name: .long, help: "The incident it is for, such as 12.")
    var incident: String?

    @Flag(name: .long, help: "Wait for the result; exit 1 unless it succeeded.")
    var wait = false

    /// How often `--wait` asks.
    static let pollInterval: Duration = .milliseconds(250)

    func validate() throws {
        if NodeID(node) == nil { throw ValidationError("invalid --node \(APIInputError.quoted(node)): use a node id") }
        do {
            _ = try CommandRoutes.checkedAction(action)
        } catch {
            throw ValidationError(IncidentsCommand.usageMessage(for: error))
        }
        _ = try parsedParameters()
        if let incident { _ = try IncidentID.argument(incident) }
    }

    func run() async throws {
        let body = CommandRoutes.IssueBody(
            node: node,
            action: try CommandRoutes.checkedAction(action).rawValue,
            params: try parsedParameters(),
            dryRun: dryRun,
            incident: try incident.map { try IncidentID.argument($0).rawValue },
            by: try identity.person()
        )
        let api = try client.makeClient()
        var command = try await api.post("/api/v1/commands", body: body, as: RemediationCommand.self)
        var output = StandardOutput()
        guard wait else {
            let summary = "issued \(command.id) to \(command.node) (\(command.state.rawValue))"
            try CommandView(command: command, summary: summary).write(as: client.output, to: &output)
            return
        }
        while command.state == .pending || command.state == .sent {
            try await Task.sleep(for: Self.pollInterval)
            command = try await api.get("/api/v1/commands/\(command.id)", as: CommandDetail.self).command
        }
        try CommandView(command: command, summary: command.finishedText).write(as: client.output, to: &output)
        guard command.result?.outcome == .succeeded else {
            throw RemediateError.notSucceeded(command.finishedText)
        }
    }

    /// `--param name=value` as a dictionary; a usage error naming the first one that is not `name=value`.
    func parsedParameters() throws -> [String: String] {
        var result: [String: String] = [:]
        for text in parameters {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("invalid --param \(APIInputError.quoted(text)): use name=value")
            }
            let name = String(text[..<equals])
            guard result[name] == nil else {
                throw ValidationError("--param \(APIInputError.quoted(name)) is given twice")
            }
            result[name] = String(text[text.index(after: equals)...])
        }
        return result
    }
}

/// A command that ended other than succeeded, for `--wait`'s exit status.
enum RemediateError: Error, CustomStringConvertible {
    case notSucceeded(String)

    var description: String {
        switch self {
        case .notSucceeded(let text): "command did not succeed: \(text)"
        }
    }
}
