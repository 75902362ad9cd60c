import Foundation
import Shared

/// How a command reads on the audit log and an incident's timeline.
extension RemediationCommand {
    /// `service=nginx, signal=USR2`, sorted by name; `no parameters` when there are none.
    var parameterText: String {
        guard !parameters.isEmpty else { return "no parameters" }
        return parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    /// `restart_service on web-1 (service=nginx), dry run, command cmd-…`.
    var issuedText: String {
        var text = "\(action.rawValue) on \(node)"
        if !parameters.isEmpty { text += " (\(parameterText))" }
        if isDryRun { text += ", dry run" }
        return text + ", command \(id)"
    }

    /// `succeeded (exit 0) in 1.2 s: first line of output`, `refused: detail`, `expired without a result`.
    var outcomeText: String {
        guard let result else {
            return state == .expired ? "expired without a result" : state.rawValue
        }
        switch result.outcome {
        case .succeeded, .failed:
            let seconds = max(0, result.finishedAt.timeIntervalSince(result.startedAt))
            var text = "\(result.outcome.rawValue) (exit \(result.exitCode)) in \(String(format: "%.1f", seconds)) s"
            let line = Self.firstLine(result.outputTail) ?? Self.firstLine(result.detail)
            if let line { text += ": \(line)" }
            return text
        case .refused, .expired, .duplicate, .unknown:
            let line = Self.firstLine(result.detail)
            return result.outcome.rawValue + (line.map { ": \($0)" } ?? "")
        }
    }

    /// `restart_service on web-1: succeeded (exit 0) in 1.2 s: …`.
    var finishedText: String {
        "\(action.rawValue) on \(node): \(outcomeText)"
    }

    /// The request as the agent receives it.
    var request: CommandRequest {
        CommandRequest(
            id: id.rawValue,
            incidentID: incidentID.map(\.description) ?? "",
            targetNodeID: node,
            action: action.rawValue,
            parameters: parameters,
            issuedAt: issuedAt,
            expiresAt: expiresAt,
            isDryRun: isDryRun,
            issuer: issuer,
            nodeSequence: nodeSequence
        )
    }

    private static func firstLine(_ text: String) -> String? {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return line.map { String($0.prefix(200)).trimmingCharacters(in: .whitespaces) }
    }
}
