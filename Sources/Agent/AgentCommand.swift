import ArgumentParser
import Foundation
import Logging
import Shared

/// `vigil-agent`: measures this host and streams what it finds to the coordinator.
@main
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-agent",
        abstract: "Measure this host and stream the measurements to the Vigil coordinator.",
        version: VigilVersion.current,
        subcommands: [RunCommand.self, OnceCommand.self, CheckConfigCommand.self]
    )

    /// Parses, runs, and maps the outcome onto the operator contract: exit 0 on success, 1 on failure,
    /// 2 on a usage error, with every error as one `vigil-agent:` line on stderr.
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["VIGIL_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            return handler
        }
        let status: Int32
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch {
            status = report(error)
        }
        Foundation.exit(status)
    }

    private static func report(_ error: any Error) -> Int32 {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return 0
        }
        let line = code == .validationFailure ? message(for: error) : String(describing: error)
        StandardError.write("vigil-agent: \(line.split(separator: "\n").joined(separator: " "))\n")
        return code == .validationFailure ? 2 : 1
    }
}
