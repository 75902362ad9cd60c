import ArgumentParser
import Foundation
import Logging
import Shared

/// `vigil`: the coordinator (`vigil serve`) and the operators' commands that talk to it.
@main
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Run the Vigil coordinator, or ask it what is happening.",
        version: VigilVersion.current,
        subcommands: [
            ServeCommand.self,
            CheckConfigCommand.self,
            NodesCommand.self,
            IncidentsCommand.self,
            IncidentCommand.self,
            AckCommand.self,
            StatusCommand.self,
            ResolveCommand.self,
            NoteCommand.self,
            CommanderCommand.self,
            StatsCommand.self,
            RemediateCommand.self,
            CommandsCommand.self,
            ApproveCommand.self,
            RemediationControlCommand.self,
            SilenceCommand.self,
            OnCallCommand.self,
            UpdateCommand.self,
            MessageCommand.self,
            PostmortemCommand.self,
            NotificationsCommand.self,
        ]
    )

    /// Parses, runs, and maps the outcome onto the operator contract: exit 0 on success, 1 on failure,
    /// 2 on a usage error, with every error as one `vigil:` line on stderr.
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel =
                ProcessInfo.processInfo.environment["VIGIL_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            return handler
        }
        let status = await runMain(arguments: Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(status)
    }

    /// Runs one command line and returns its exit status; separate from `main` so tests can call it.
    static func runMain(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            // A command that printed its own verdict and only sets the status (`oncall simulate`) has no error to
            // show.
            if let exit = error as? ExitCode, exit != .success, exit != .validationFailure { return exit.rawValue }
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            let usage = code == .validationFailure
            let line = usage ? message(for: error) : String(describing: error)
            let oneLine = line.split(whereSeparator: \.isNewline).joined(separator: " ")
            StandardError.write("vigil: \(oneLine)\n")
            return usage ? 2 : 1
        }
    }
}
