import Foundation
import Shared

/// Prints one command: a sentence, its line, and its result once there is one; or the API's JSON.
struct CommandView {
    let command: RemediationCommand
    /// What happened, such as `issued cmd-… to web-1`.
    let summary: String

    func write(as format: OutputFormat, to output: inout some TextOutputStream, now: Date = Date()) throws {
        switch format {
        case .json:
            try PrettyJSON.write(command, to: &output)
        case .table:
            output.write(TextTable.printable(summary) + "\n")
            try CommandListView(commands: [command]).write(as: .table, to: &output, now: now)
            if command.result != nil || command.state == .expired {
                output.write("result: " + TextTable.printable(command.outcomeText) + "\n")
            }
            if let tail = command.result?.outputTail, !tail.isEmpty {
                for line in tail.split(whereSeparator: \.isNewline) {
                    output.write("  " + TextTable.printable(String(line)) + "\n")
                }
            }
        }
    }
}
