import Foundation
import Shared

/// Reads the `default_rules` and `rules` keys of the coordinator's configuration: the built-in rules, changed field
/// by field or disabled by name, followed by the deployment's own.
///
/// Every problem is refused before the coordinator starts, as one line naming the file, the line and the rule:
/// a rule that cannot be evaluated as written would otherwise stay silent during the incident it was written for.
enum RuleFile {
    /// The keys of one entry of `rules`, in the order docs/RULES.md lists them.
    static let ruleKeys = [
        "name", "disabled", "kind", "severity", "scope", "signal", "comparison", "threshold", "for_seconds",
        "clear_for_seconds", "group_by", "summary",
    ]

    /// What a rule that changes no built-in rule must give.
    static let requiredKeys = ["kind", "severity", "scope", "signal", "comparison", "threshold"]

    /// The rules in effect: the built-in ones in their order (unless `default_rules` is false), overridden in place
    /// and without the disabled ones, then the new ones in the file's order.
    static func rules(
        defaultRules: ConfigurationField?,
        rules: ConfigurationField?
    ) throws(CoordinatorConfigurationError) -> [Rule] {
        let builtInOn = try defaultRules.map { field throws(CoordinatorConfigurationError) in try field.flag() } ?? true
        var effective = builtInOn ? DefaultRules.all : []
        guard let rules, !rules.isNull else { return effective }
        guard rules.isList else { throw rules.error("rules must be a list of rules") }
        var added: [Rule] = []
        var firstLines: [RuleName: Int] = [:]
        for entry in rules.items() {
            let (name, place) = try nameOf(entry)
            if let first = firstLines[name] {
                throw place.error("listed twice (first on line \(first)); give each rule once")
            }
            firstLines[name] = place.line ?? 0
            let fields = try place.entries(allowed: ruleKeys)
            let index = effective.firstIndex { $0.name == name }
            if let disabled = fields["disabled"], try disabled.flag() {
                guard let index else { throw notBuiltIn(name, place, fields: fields, builtInOn: builtInOn) }
                if let other = fields.keys.sorted().first(where: { $0 != "name" && $0 != "disabled" }) {
                    throw fields[other, default: place].error("a disabled rule takes no other key, found \"\(other)\"")
                }
                effective.remove(at: index)
            } else if let index {
                effective[index] = try rule(named: name, fields: fields, place: place, base: effective[index])
            } else {
                guard requiredKeys.allSatisfy({ fields[$0] != nil }) else {
                    throw notBuiltIn(name, place, fields: fields, builtInOn: builtInOn)
                }
                added.append(try rule(named: name, fields: fields, place: place, base: nil))
            }
        }
        return effective + added
    }

    /// The entry's name, and the entry read in the context of that name so later messages say which rule.
    private static func nameOf(
        _ entry: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> (RuleName, ConfigurationField) {
        guard entry.isMapping else { throw entry.error("\(entry.path) must be a mapping of keys to values") }
        guard let field = entry.value(of: "name"), !field.isNull else {
            throw entry.error("\(entry.path) needs a name")
        }
        let text = try field.text()
        guard isIdentifier(text, extra: "-") else {
            throw field.error("\(field.path) \"\(text)\" must be \(identifierForm)")
        }
        return (RuleName(text), entry.within("rule \(text): "))
    }

    /// A name-only entry, a disabled one or a partial one whose name matches no built-in rule in effect.
    private static func notBuiltIn(
        _ name: RuleName,
        _ place: ConfigurationField,
        fields: [String: ConfigurationField],
        builtInOn: Bool
    ) -> CoordinatorConfigurationError {
        let isBuiltInName = DefaultRules.all.contains { $0.name == name }
        let what =
            builtInOn || !isBuiltInName ? "not a built-in rule" : "the built-in rules are off (default_rules: false)"
        let need = "a new rule needs kind, severity, scope, signal, comparison and threshold"
        let missing = requiredKeys.filter { fields[$0] == nil }
        guard missing.count < requiredKeys.count else { return place.error("\(what); \(need)") }
        return place.error("\(what); \(need), and this one has no \(missing.joined(separator: ", "))")
    }

    // MARK: - One rule

    /// A new rule from its fields, or `base` with the fields given replacing its own.
    private static func rule(
        named name: RuleName,
        fields: [String: ConfigurationField],
        place: ConfigurationField,
        base: Rule?
    ) throws(CoordinatorConfigurationError) -> Rule {
        // A new rule has every required field (checked by the caller); these stand in for an override's base.
        var rule =
            base
            ?? Rule(
                name: name,
                kind: IncidentKind(""),
                severity: .sev4,
                scope: .node,
                signal: Signal(selector: SeriesSelector(name: ""), aggregation: .max, window: .seconds(60)),
                comparison: .above,
                threshold: 0,
                forDuration: .zero,
                clearFor: .zero,
                groupBy: [],
                summary: ""
            )
        if let field = fields["kind"] {
            let text = try field.text()
            guard isIdentifier(text, extra: "-") else {
                throw field.error("kind \"\(text)\" must be \(identifierForm)")
            }
            rule.kind = IncidentKind(text)
        }
        if let field = fields["severity"] {
            let text = try field.text()
            guard let severity = Severity(text: text) else {
                throw field.error("severity \"\(text)\" must be one of SEV-1, SEV-2, SEV-3, SEV-4")
            }
            rule.severity = severity
        }
        if let field = fields["scope"] {
            let text = try field.text()
            guard let scope = Rule.Scope(rawValue: text) else {
                throw field.error("scope \"\(text)\" must be one of node, service, fleet")
            }
            rule.scope = scope
        }
        if let field = fields["comparison"] {
            let text = try field.text()
            guard let comparison = Rule.Comparison(rawValue: text) else {
                throw field.error("comparison \"\(text)\" must be one of \">\", \">=\", \"<\", \"<=\", in quotes")
            }
            rule.comparison = comparison
        }
        if let field = fields["threshold"] {
            let threshold = try field.number()
            guard threshold.isFinite else { throw field.error("threshold must be a finite number") }
            rule.threshold = threshold
        }
        if let field = fields["for_seconds"] {
            rule.forDuration = try field.seconds(allowingZero: true)
            if base == nil { rule.clearFor = rule.forDuration }
        }
        if let field = fields["clear_for_seconds"] { rule.clearFor = try field.seconds(allowingZero: true) }
        if let field = fields["group_by"] { rule.groupBy = try labelNames(field) }
        if let field = fields["signal"] { rule.signal = try signal(field, base: base?.signal) }
        if let field = fields["summary"] {
            rule.summary = try summary(field)
        } else if base == nil {
            rule.summary = rule.generatedSummary
        }
        try check(rule, fields: fields, place: place)
        return rule
    }

    /// What only the whole rule can show, blamed on the line of the field that most likely caused it.
    private static func check(
        _ rule: Rule,
        fields: [String: ConfigurationField],
        place: ConfigurationField
    ) throws(CoordinatorConfigurationError) {
        if case .silence = rule.signal.aggregation, rule.scope != .node {
            let culprit = fields["scope"] ?? fields["signal"] ?? place
            throw culprit.error("aggregation silence needs scope node, found scope \(rule.scope.rawValue)")
        }
        if let problem = summaryProblem(rule.summary, groupBy: rule.groupBy) {
            throw (fields["summary"] ?? fields["group_by"] ?? place).error(problem)
        }
    }

    private static func labelNames(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> [String] {
        var names: [String] = []
        for item in field.items() {
            let name = try item.text()
            guard isIdentifier(name, extra: "", maximumLength: .max, allowsLeadingUnderscore: true) else {
                throw item.error("\(field.path) \"\(name)\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            guard !names.contains(name) else { throw item.error("\(field.path) lists \"\(name)\" twice") }
            names.append(name)
        }
        return names
    }

    // MARK: - Summaries

    /// The placeholders every summary may use; a rule's `group_by` labels come on top.
    static let summaryPlaceholders = ["value", "threshold", "subject", "service", "node"]

    private static func summary(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> String {
        let text = try field.text().trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw field.error("summary must not be empty") }
        guard !text.contains(where: \.isNewline) else { throw field.error("summary must be one line") }
        return text
    }

    /// Why `summary` cannot be filled in for a rule grouped by `groupBy`; nil when it can.
    static func summaryProblem(_ summary: String, groupBy: [String]) -> String? {
        var rest = Substring(summary)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                return "summary has a {{ without its }}"
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard summaryPlaceholders.contains(name) || groupBy.contains(name) else {
                let known = (summaryPlaceholders + groupBy).map { "{{\($0)}}" }.joined(separator: ", ")
                return "summary placeholder {{\(name)}} is unknown (known: \(known))"
            }
            rest = rest[close.upperBound...]
        }
        return nil
    }

    // MARK: - Names

    /// What rule names and kinds may be, for messages.
    private static let identifierForm = "1 to 64 letters, digits, _ or -, starting with a letter"

    /// Whether `text` is an ASCII letter (or `_`, when allowed) followed by letters, digits, `_` and `extra`.
    static func isIdentifier(
        _ text: String,
        extra: String,
        maximumLength: Int = 64,
        allowsLeadingUnderscore: Bool = false
    ) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= maximumLength else { return false }
        let letters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
        let rest = letters.union("0123456789_\(extra)".unicodeScalars)
        guard letters.contains(first) || (allowsLeadingUnderscore && first == "_") else { return false }
        return text.unicodeScalars.allSatisfy(rest.contains)
    }
}
