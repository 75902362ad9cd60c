import Foundation
import Shared

/// Prints commands one per line, as `vigil commands` shows them, or as the API's JSON.
struct CommandListView {
    let commands: [RemediationCommand]

    func write(as format: OutputFormat, to output: inout some TextOutputStream, now: Date = Date()) throws {
        switch format {
        case .json:
            try PrettyJSON.write(CommandRoutes.CommandList(commands: commands), to: &output)
        case .table:
            guard !commands.isEmpty else {
                output.write("no commands\n")
                return
            }
            let header = ["ID", "NODE", "ACTION", "STATE", "OUTCOME", "ISSUED", "ISSUER", "INCIDENT"]
            output.write(TextTable(rows: [header] + commands.map { Self.row(for: $0, now: now) }).rendered)
        }
    }

    static func row(for command: RemediationCommand, now: Date) -> [String] {
        [
            command.id.rawValue,
            command.node.rawValue,
            command.action.rawValue + (command.isDryRun ? " (dry run)" : ""),
            command.state.rawValue,
            command.result?.outcome.rawValue ?? "-",
            DisplayText.age(since: command.issuedAt, now: now),
            command.issuer,
            command.incidentID.map { "#\($0)" } ?? "-",
        ]
    }
}
