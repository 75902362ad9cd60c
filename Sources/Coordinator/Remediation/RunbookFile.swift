import Foundation
import Shared

/// The `remediation`, `default_runbooks` and `runbooks` sections of the coordinator's configuration.
///
/// A runbook entry names an incident kind. For a kind with a built-in runbook it replaces its steps (or
/// `disabled: true` drops it); any other kind adds a runbook. Every problem is one line with its line number.
enum RunbookFile {
    static let remediationKeys = [
        "enabled", "blast_radius", "cooldown_seconds", "max_actions_per_incident", "command_lifetime_seconds",
    ]
    static let runbookKeys = ["kind", "disabled", "steps"]
    static let stepKeys = ["action", "params", "verify_seconds", "approval"]

    static func settings(_ field: ConfigurationField?) throws(CoordinatorConfigurationError) -> RemediationSettings {
        var settings = RemediationSettings()
        guard let field, !field.isNull else { return settings }
        let fields = try field.entries(allowed: remediationKeys)
        if let value = fields["enabled"] { settings.isEnabled = try value.flag() }
        if let value = fields["blast_radius"] { settings.blastRadius = try blastRadius(value) }
        if let value = fields["cooldown_seconds"] { settings.cooldown = try value.seconds(allowingZero: true) }
        if let value = fields["max_actions_per_incident"] {
            let number = try value.number()
            guard number.isFinite, number >= 1, number <= 1000, number == number.rounded() else {
                throw value.error("\(value.path) must be a whole number from 1 to 1000")
            }
            settings.maximumActionsPerIncident = Int(number)
        }
        if let value = fields["command_lifetime_seconds"] {
            settings.commandLifetime = try value.seconds(allowingZero: false)
        }
        return settings
    }

    /// `2` (nodes) or `"25%"` (of the service's nodes).
    private static func blastRadius(
        _ field: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> RemediationSettings.BlastRadius {
        let problem = "\(field.path) must be a whole number of nodes from 1, or a percentage such as \"25%\""
        let text = try field.text().trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("%"), let share = Double(text.dropLast()), share > 0, share <= 100 {
            return .percent(share)
        }
        guard let count = Int(text), count >= 1 else { throw field.error(problem) }
        return .nodes(count)
    }

    static func runbooks(
        defaults: ConfigurationField?,
        runbooks: ConfigurationField?
    ) throws(CoordinatorConfigurationError) -> [Runbook] {
        let builtInOn = try defaults.map { field throws(CoordinatorConfigurationError) in try field.flag() } ?? true
        var effective = builtInOn ? DefaultRunbooks.all : []
        guard let runbooks, !runbooks.isNull else { return effective }
        guard runbooks.isList else { throw runbooks.error("runbooks must be a list of runbooks") }
        var seen: Set<IncidentKind> = []
        for entry in runbooks.items() {
            let fields = try entry.entries(allowed: runbookKeys)
            guard let kindField = fields["kind"] else { throw entry.error("a runbook needs a kind") }
            let kind = IncidentKind(try kindField.text())
            let place = entry.within("runbook \(kind): ")
            guard seen.insert(kind).inserted else { throw place.error("listed twice; give each kind once") }
            let index = effective.firstIndex { $0.kind == kind }
            if let disabled = fields["disabled"], try disabled.flag() {
                guard let index else { throw place.error("not a built-in runbook, nothing to disable") }
                effective.remove(at: index)
                continue
            }
            guard let stepsField = fields["steps"], stepsField.isList, !stepsField.items().isEmpty else {
                throw place.error("steps must be a list of at least one step")
            }
            var steps: [Runbook.Step] = []
            for stepField in stepsField.items() {
                steps.append(try step(stepField.within(place.context)))
            }
            let runbook = Runbook(kind: kind, steps: steps)
            if let index { effective[index] = runbook } else { effective.append(runbook) }
        }
        return effective
    }

    private static func step(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> Runbook.Step {
        let fields = try field.entries(allowed: stepKeys)
        guard let actionField = fields["action"] else { throw field.error("a step needs an action") }
        let name = try actionField.text()
        guard let action = ActionName(rawValue: name) else {
            let known = ActionName.allCases.map(\.rawValue).joined(separator: ", ")
            throw actionField.error("unknown action \"\(name)\" (known: \(known))")
        }
        var parameters: [String: String] = [:]
        if let params = fields["params"] {
            for pair in try params.pairs() where !pair.value.isNull {
                parameters[pair.name] = try pair.value.text()
            }
        }
        let verify = try fields["verify_seconds"]?.seconds(allowingZero: false) ?? .seconds(120)
        var needsApproval = false
        if let approval = fields["approval"] {
            switch try approval.text() {
            case "required": needsApproval = true
            case "none": needsApproval = false
            case let other: throw approval.error("approval must be \"required\" or \"none\", not \"\(other)\"")
            }
        }
        return Runbook.Step(action: action, parameters: parameters, verifyWindow: verify, needsApproval: needsApproval)
    }
}
