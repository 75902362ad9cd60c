import Foundation
import Testing

@testable import Coordinator

/// Every kind of bad rule, with the exact line it is refused with.
extension RuleFileTests {
    struct BadCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var message: String
        var testDescription: String { message }

        init(_ yaml: String, _ message: String) {
            self.yaml = yaml
            self.message = message
        }
    }

    /// A file whose only rule entry is `name` followed by `body` (indented four spaces), from line 3 on.
    static func entry(_ name: String, _ body: String = "") -> String {
        "rules:\n  - name: \(name)\n" + body
    }

    static let notBuiltIn =
        "not a built-in rule; a new rule needs kind, severity, scope, signal, comparison and threshold"
    static let labelForm = "is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)"
    static let baseKnown = "{{value}}, {{threshold}}, {{subject}}, {{service}}, {{node}}"

    static let badKeys = [
        BadCase(
            entry("error_ratio_high", "    treshold: 0.02\n"),
            "c.yaml: line 3: rule error_ratio_high: unknown key \"treshold\" (known: name, disabled, kind, "
                + "severity, scope, signal, comparison, threshold, for_seconds, clear_for_seconds, group_by, summary)"
        ),
        BadCase(
            entry("error_ratio_high", "    signal:\n      agregation: max\n"),
            "c.yaml: line 4: rule error_ratio_high: unknown key \"signal.agregation\" (known: metric, labels, "
                + "aggregation, denominator, minimum_denominator, minimum_count, window_seconds)"
        ),
        BadCase(
            entry(
                "error_ratio_high",
                "    signal:\n      denominator:\n        - metric: app_requests_total\n"
                    + "          label: {code: \"200\"}\n"
            ),
            "c.yaml: line 6: rule error_ratio_high: unknown key \"signal.denominator[0].label\" (known: metric, labels)"
        ),
        BadCase(
            entry("error_ratio_high", "    signal: ratio\n"),
            "c.yaml: line 3: rule error_ratio_high: signal must be a mapping of keys to values"
        ),
        BadCase(
            "rules:\n  - error_ratio_high\n",
            "c.yaml: line 2: rules[0] must be a mapping of keys to values"
        ),
        BadCase(
            "detection:\n  quiet_window: 60\n",
            "c.yaml: line 2: unknown key \"detection.quiet_window\" (known: evaluation_interval_seconds, "
                + "heartbeat_allowance_seconds, quiet_window_seconds, reopen_window_seconds)"
        ),
    ]

    static let badSignals = [
        BadCase(
            entry("latency_p95_high", "    signal: {aggregation: p101}\n"),
            "c.yaml: line 3: rule latency_p95_high: signal.aggregation \"p101\": "
                + "a quantile must be above p0 and below p100"
        ),
        BadCase(
            entry("latency_p95_high", "    signal: {aggregation: p0}\n"),
            "c.yaml: line 3: rule latency_p95_high: signal.aggregation \"p0\": "
                + "a quantile must be above p0 and below p100"
        ),
        BadCase(
            entry("latency_p95_high", "    signal:\n      aggregation: avg\n"),
            "c.yaml: line 4: rule latency_p95_high: signal.aggregation \"avg\" is unknown (known: min, max, mean, "
                + "rate, increase, ratio, p50, p90, p95, p99 or any pNN, down_fraction, silence)"
        ),
        BadCase(
            entry("memory_leak", "    signal:\n      metric: \"\"\n"),
            "c.yaml: line 4: rule memory_leak: signal.metric must not be empty"
        ),
        BadCase(
            entry("memory_leak", "    signal:\n      aggregation: max\n      denominator: process_up\n"),
            "c.yaml: line 5: rule memory_leak: signal.denominator applies only to aggregation ratio, not to max"
        ),
        BadCase(
            entry("error_ratio_high", "    signal:\n      minimum_count: 5\n"),
            "c.yaml: line 4: rule error_ratio_high: signal.minimum_count applies only to quantiles such as p95, "
                + "not to ratio"
        ),
        BadCase(
            entry("memory_leak", "    signal:\n      aggregation: ratio\n"),
            "c.yaml: line 4: rule memory_leak: signal.denominator is required with aggregation ratio"
        ),
        BadCase(
            entry("error_ratio_high", "    signal:\n      minimum_denominator: -1\n"),
            "c.yaml: line 4: rule error_ratio_high: signal.minimum_denominator must be a number of 0 or more"
        ),
        BadCase(
            entry("memory_leak", "    signal:\n      labels: {1process: x}\n"),
            "c.yaml: line 4: rule memory_leak: signal.labels: \"1process\" " + labelForm
        ),
        BadCase(
            entry("memory_leak", "    group_by: [process, proc-name]\n"),
            "c.yaml: line 3: rule memory_leak: group_by \"proc-name\" " + labelForm
        ),
        BadCase(
            entry("node_silent", "    scope: service\n"),
            "c.yaml: line 3: rule node_silent: aggregation silence needs scope node, found scope service"
        ),
    ]

    static let badDurations = [
        BadCase(
            entry("error_ratio_high", "    for_seconds: -1\n"),
            "c.yaml: line 3: rule error_ratio_high: for_seconds must be a number of seconds from 0 to 86400"
        ),
        BadCase(
            entry("error_ratio_high", "    clear_for_seconds: 86401\n"),
            "c.yaml: line 3: rule error_ratio_high: clear_for_seconds must be a number of seconds from 0 to 86400"
        ),
        BadCase(
            entry("error_ratio_high", "    signal:\n      window_seconds: .inf\n"),
            "c.yaml: line 4: rule error_ratio_high: signal.window_seconds must be a number of seconds above 0 "
                + "and at most 86400"
        ),
        BadCase(
            entry("error_ratio_high", "    signal:\n      window_seconds: 0\n"),
            "c.yaml: line 4: rule error_ratio_high: signal.window_seconds must be a number of seconds above 0 "
                + "and at most 86400"
        ),
        BadCase(
            "detection:\n  reopen_window_seconds: -5\n",
            "c.yaml: line 2: detection.reopen_window_seconds must be a number of seconds from 0 to 86400"
        ),
        BadCase(
            "detection:\n  evaluation_interval_seconds: 0\n",
            "c.yaml: line 2: detection.evaluation_interval_seconds must be a number of seconds above 0 "
                + "and at most 86400"
        ),
    ]

    static let badValues = [
        BadCase(
            entry("error_ratio_high", "    threshold: high\n"),
            "c.yaml: line 3: rule error_ratio_high: threshold must be a number"
        ),
        BadCase(
            entry("error_ratio_high", "    threshold: [0.01, 0.02]\n"),
            "c.yaml: line 3: rule error_ratio_high: threshold must be a number"
        ),
        BadCase(
            entry("error_ratio_high", "    threshold: .nan\n"),
            "c.yaml: line 3: rule error_ratio_high: threshold must be a finite number"
        ),
        BadCase(
            entry("error_ratio_high", "    threshold: -.inf\n"),
            "c.yaml: line 3: rule error_ratio_high: threshold must be a finite number"
        ),
        BadCase(
            entry("error_ratio_high", "    severity: SEV-5\n"),
            "c.yaml: line 3: rule error_ratio_high: severity \"SEV-5\" must be one of SEV-1, SEV-2, SEV-3, SEV-4"
        ),
        BadCase(
            entry("error_ratio_high", "    scope: cluster\n"),
            "c.yaml: line 3: rule error_ratio_high: scope \"cluster\" must be one of node, service, fleet"
        ),
        BadCase(
            entry("error_ratio_high", "    comparison: \"==\"\n"),
            "c.yaml: line 3: rule error_ratio_high: comparison \"==\" must be one of \">\", \">=\", \"<\", \"<=\", "
                + "in quotes"
        ),
        BadCase(
            // A bare > starts an empty folded block.
            entry("error_ratio_high", "    comparison: >\n    threshold: 0.02\n"),
            "c.yaml: line 3: rule error_ratio_high: comparison \"\" must be one of \">\", \">=\", \"<\", \"<=\", "
                + "in quotes"
        ),
        BadCase(
            "default_rules: maybe\n",
            "c.yaml: line 1: default_rules must be true or false"
        ),
    ]

    static let badNames = [
        BadCase(
            entry("error_ratio_high", "    for_seconds: 10\n  - name: error_ratio_high\n    for_seconds: 20\n"),
            "c.yaml: line 4: rule error_ratio_high: listed twice (first on line 2); give each rule once"
        ),
        BadCase(
            entry("error_ratio_hihg", "    disabled: true\n"),
            "c.yaml: line 2: rule error_ratio_hihg: " + notBuiltIn
        ),
        BadCase(
            entry("error_ratio_hihg", "    for_seconds: 10\n"),
            "c.yaml: line 2: rule error_ratio_hihg: " + notBuiltIn
        ),
        BadCase(
            newRule.replacingOccurrences(of: "    threshold: 100\n", with: ""),
            "c.yaml: line 2: rule checkout_queue_depth: " + notBuiltIn + ", and this one has no threshold"
        ),
        BadCase(
            "default_rules: false\n" + entry("node_silent", "    disabled: true\n"),
            "c.yaml: line 3: rule node_silent: the built-in rules are off (default_rules: false); "
                + "a new rule needs kind, severity, scope, signal, comparison and threshold"
        ),
        BadCase(
            entry("node_silent", "    disabled: true\n    for_seconds: 5\n"),
            "c.yaml: line 4: rule node_silent: a disabled rule takes no other key, found \"for_seconds\""
        ),
        BadCase(
            "rules:\n  - kind: x\n",
            "c.yaml: line 2: rules[0] needs a name"
        ),
        BadCase(
            "rules:\n  - name: \"queue depth\"\n",
            "c.yaml: line 2: rules[0].name \"queue depth\" must be 1 to 64 letters, digits, _ or -, "
                + "starting with a letter"
        ),
        BadCase(
            "rules:\n  error_ratio_high: {for_seconds: 10}\n",
            "c.yaml: line 2: rules must be a list of rules"
        ),
    ]

    static let badSummaries = [
        BadCase(
            entry("error_ratio_high", "    summary: \"Errors in {{queue}}\"\n"),
            "c.yaml: line 3: rule error_ratio_high: summary placeholder {{queue}} is unknown (known: \(baseKnown))"
        ),
        BadCase(
            // The built-in summary names {{probe}}, which this group_by no longer provides.
            entry("critical_probe_failing", "    group_by: [instance]\n"),
            "c.yaml: line 3: rule critical_probe_failing: summary placeholder {{probe}} is unknown "
                + "(known: \(baseKnown), {{instance}})"
        ),
        BadCase(
            entry("error_ratio_high", "    summary: \"Errors {{value\"\n"),
            "c.yaml: line 3: rule error_ratio_high: summary has a {{ without its }}"
        ),
        BadCase(
            entry("error_ratio_high", "    summary: |\n      two\n      lines\n"),
            "c.yaml: line 3: rule error_ratio_high: summary must be one line"
        ),
    ]

    @Test func keyGivenTwiceIsRefusedByTheParser() {
        let yaml = Self.entry("error_ratio_high", "    threshold: 0.02\n    threshold: 0.03\n")
        let error = #expect(throws: CoordinatorConfigurationError.self) { try Self.parse(yaml) }
        #expect(error?.description.hasPrefix("c.yaml: ") == true)
        #expect(error?.description.contains("duplicated key(s): 'threshold'") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test(arguments: badKeys + badSignals + badDurations + badValues + badNames + badSummaries)
    func badRuleIsNamedInOneLineWithItsLine(_ bad: BadCase) {
        let error = #expect(throws: CoordinatorConfigurationError.self) { try Self.parse(bad.yaml) }
        #expect(error?.description == bad.message)
        #expect(error?.description.contains("\n") == false)
    }
}
