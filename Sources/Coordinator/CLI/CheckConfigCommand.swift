import ArgumentParser
import Foundation
import Shared

/// `vigil check-config`: validate the coordinator's configuration and list the rules it would evaluate, without
/// starting anything, so a rule change can be checked in CI before it is deployed.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and list the rules in effect; names the first problem and its line."
    )

    @Option(name: .long, help: "YAML configuration file (default: check the built-in configuration).")
    var config: String?

    func run() throws {
        var output = StandardOutput()
        try Self.check(path: config, to: &output)
    }

    /// Loads the file at `path` (the built-in configuration when nil) and writes what it holds; throws the file's
    /// first problem.
    static func check(path: String?, to output: inout some TextOutputStream) throws(CoordinatorConfigurationError) {
        let configuration =
            try path.map { path throws(CoordinatorConfigurationError) in
                try CoordinatorConfiguration.load(path: path)
            } ?? .defaults
        RulesView(rules: configuration.rules, detection: configuration.detection)
            .write(source: path ?? "the built-in configuration", to: &output)
        Self.writeRunbooks(configuration, to: &output)
        Self.writePeople(configuration, now: Date(), to: &output)
    }

    /// Who is on call now, the channels, which severity pages where, and the templates overridden; a severity
    /// that pages no channel is said plainly, since nobody would hear of its incidents.
    static func writePeople(_ configuration: CoordinatorConfiguration, now: Date, to output: inout some TextOutputStream) {
        let onCall = configuration.onCall
        for role in onCall.roles {
            let holders = OnCallRole.Position.allCases.map { position in
                "\(position.rawValue) \(role.holder(of: position, at: now) ?? "nobody")"
            }
            output.write("on call \(role.name): \(holders.joined(separator: ", "))\n")
        }
        output.write("on call vp: \(onCall.vp ?? "nobody")\n")
        for channel in configuration.notifications.channels {
            output.write("channel \(channel.name): \(channel.kind)\n")
        }
        for severity in Severity.allCases {
            let names = configuration.notifications.routing.channels(for: severity).map(\.rawValue)
            let text = names.isEmpty ? "no channel: nobody is paged" : names.joined(separator: ", ")
            output.write("notify \(severity): \(text)\n")
        }
        let overridden = configuration.messages.templateOverrides.keys.map { "\($0)" }.sorted()
        output.write("messages: \(overridden.isEmpty ? "built-in templates" : "templates from files for " + overridden.joined(separator: ", "))\n")
    }

    /// One line per runbook in effect, then the remediation limits.
    static func writeRunbooks(_ configuration: CoordinatorConfiguration, to output: inout some TextOutputStream) {
        for runbook in configuration.runbooks {
            let steps = runbook.steps.map { step in
                step.action.rawValue + (step.needsApproval ? " (approval)" : "")
                    + " verify \(Rule.format(step.verifyWindow))"
            }
            output.write("runbook \(runbook.kind): \(steps.joined(separator: ", then "))\n")
        }
        let settings = configuration.remediation
        let radius: String =
            switch settings.blastRadius {
            case .nodes(let count): "\(count) node\(count == 1 ? "" : "s")"
            case .percent(let share): "\(SignalFormat.plain(share))% of a service"
            }
        output.write(
            "remediation: \(settings.isEnabled ? "enabled" : "paused at start"), blast radius \(radius), "
                + "cooldown \(Rule.format(settings.cooldown)), at most \(settings.maximumActionsPerIncident) "
                + "commands per incident, commands expire after \(Rule.format(settings.commandLifetime))\n"
        )
    }
}

/// The rules in effect, counted against the built-in ones and listed one per line.
struct RulesView {
    let rules: [Rule]
    let detection: DetectionSettings

    /// How the rules in effect differ from the built-in ones.
    struct Counts: Equatable {
        /// Built-in rules in effect, overridden or not.
        var builtIn = 0
        /// Built-in rules in effect with at least one field changed.
        var overridden = 0
        /// Rules whose name is not a built-in rule's.
        var added = 0
        /// Built-in rules not in effect.
        var disabled = 0
    }

    var counts: Counts {
        let defaults = Dictionary(DefaultRules.all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var counts = Counts()
        for rule in rules {
            guard let builtIn = defaults[rule.name] else {
                counts.added += 1
                continue
            }
            counts.builtIn += 1
            if rule != builtIn { counts.overridden += 1 }
        }
        counts.disabled = defaults.count - counts.builtIn
        return counts
    }

    func write(source: String, to output: inout some TextOutputStream) {
        let counts = counts
        output.write(
            "vigil check-config: \(source) is valid: \(rules.count) rules (\(counts.builtIn) built-in, "
                + "\(counts.overridden) overridden, \(counts.added) added, \(counts.disabled) disabled)\n"
        )
        var rows = [["NAME", "KIND", "SEV", "SCOPE", "SIGNAL", "GROUP BY"]]
        for rule in rules {
            rows.append([
                rule.name.rawValue,
                rule.kind.rawValue,
                rule.severity.description,
                rule.scope.rawValue,
                rule.condition,
                rule.groupBy.isEmpty ? "-" : rule.groupBy.joined(separator: ","),
            ])
        }
        if !rules.isEmpty { output.write(TextTable(rows: rows).rendered) }
        output.write(
            "detection: evaluated every \(Rule.format(detection.evaluationInterval)), "
                + "heartbeat allowance \(Rule.format(detection.heartbeatAllowance)), "
                + "quiet window \(Rule.format(detection.quietWindow)), "
                + "reopen window \(Rule.format(detection.reopenWindow))\n"
        )
    }
}
