import ArgumentParser
import Foundation
import Shared

/// `vigil-agent check-config`: validate a configuration file and say what it turns on, without running.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and list the collectors it enables; names the first problem and its line."
    )

    @OptionGroup var options: CommonOptions

    func run() throws {
        let configuration = try options.resolve()
        var output = StandardOutput()
        output.write("configuration ok: node \(configuration.nodeID), coordinator \(configuration.coordinator)\n")
        for collector in configuration.collectors {
            output.write("collector \(collector.name): every \(collector.interval), timeout \(collector.timeout)\n")
        }
        let policy = configuration.actionPolicy
        for action in policy.enabledActions {
            let limits = policy.limits(for: action)
            output.write(
                "action \(action.rawValue): timeout \(limits.timeout), at most \(limits.runsPerHour) runs per hour\n"
            )
        }
        if !policy.enabledActions.isEmpty {
            output.write("executed-command log: \(configuration.stateDirectory)/\(ExecutedCommandLog.fileName)\n")
        }
    }
}
