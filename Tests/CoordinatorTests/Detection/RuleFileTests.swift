import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct RuleFileTests {
    static func parse(_ yaml: String) throws -> CoordinatorConfiguration {
        try CoordinatorConfiguration.parse(yaml: yaml, source: "c.yaml")
    }

    static func rule(_ name: String, in configuration: CoordinatorConfiguration) throws -> Rule {
        try #require(configuration.rules.first { $0.name == RuleName(name) })
    }

    static func builtIn(_ name: String) throws -> Rule {
        try #require(DefaultRules.all.first { $0.name == RuleName(name) })
    }

    /// A complete new rule with only the keys a new rule requires, on lines 2 to 10.
    static let newRule = """
        rules:
          - name: checkout_queue_depth
            kind: queue_backlog
            severity: SEV-3
            scope: service
            signal:
              metric: app_queue_depth
              aggregation: max
            comparison: ">"
            threshold: 100

        """

    // MARK: - Overrides, disabling, new rules

    @Test func overrideChangesOnlyTheFieldsGiven() throws {
        let configuration = try Self.parse("rules:\n  - name: error_ratio_critical\n    for_seconds: 10\n")
        var expected = try Self.builtIn("error_ratio_critical")
        expected.forDuration = .seconds(10)
        #expect(try Self.rule("error_ratio_critical", in: configuration) == expected)
        #expect(configuration.rules.count == DefaultRules.all.count)
        #expect(configuration.rules.first?.name == RuleName("error_ratio_critical"), "an override keeps its place")
        #expect(Array(configuration.rules.dropFirst()) == Array(DefaultRules.all.dropFirst()))
    }

    @Test func signalOverrideKeepsTheAggregationsParameters() throws {
        let yaml = """
            rules:
              - name: error_ratio_high
                signal: {window_seconds: 120}
              - name: latency_p95_high
                signal: {aggregation: p99, labels: {route: checkout}}
            """
        let configuration = try Self.parse(yaml)
        var errors = try Self.builtIn("error_ratio_high")
        errors.signal.window = .seconds(120)
        #expect(try Self.rule("error_ratio_high", in: configuration) == errors)
        var latency = try Self.builtIn("latency_p95_high")
        latency.signal.aggregation = .quantile(0.99, minimumCount: 20)
        latency.signal.selector.labels = ["route": "checkout"]
        #expect(try Self.rule("latency_p95_high", in: configuration) == latency)
    }

    @Test func disabledDropsTheBuiltInRule() throws {
        let configuration = try Self.parse("rules:\n  - name: node_silent\n    disabled: true\n")
        #expect(configuration.rules == DefaultRules.all.filter { $0.name != RuleName("node_silent") })
        let kept = try Self.parse("rules:\n  - name: node_silent\n    disabled: false\n")
        #expect(kept.rules == DefaultRules.all)
    }

    @Test func defaultRulesFalseDropsTheBuiltInSet() throws {
        #expect(try Self.parse("default_rules: false\n").rules.isEmpty)
        let configuration = try Self.parse("default_rules: false\n" + Self.newRule)
        #expect(configuration.rules.map(\.name) == [RuleName("checkout_queue_depth")])
        #expect(try Self.parse("default_rules: true\nrules: []\n").rules == DefaultRules.all)
    }

    @Test func fullCustomRuleParsesToTheExpectedRule() throws {
        let yaml = """
            rules:
              - name: checkout_queue_depth
                kind: queue_backlog
                severity: SEV-3
                scope: service
                signal:
                  metric: app_queue_depth
                  labels: {queue: checkout}
                  aggregation: ratio
                  denominator: [app_requests_total, {metric: app_retries_total, labels: {queue: checkout}}]
                  minimum_denominator: 50
                  window_seconds: 90
                comparison: ">="
                threshold: 0.25
                for_seconds: 60
                clear_for_seconds: 120
                group_by: [queue]
                summary: "Queue {{queue}} backlog {{value}}"
            """
        let expected = Rule(
            name: RuleName("checkout_queue_depth"),
            kind: IncidentKind("queue_backlog"),
            severity: .sev3,
            scope: .service,
            signal: Signal(
                selector: SeriesSelector(name: "app_queue_depth", labels: ["queue": "checkout"]),
                aggregation: .ratio(
                    denominator: [
                        SeriesSelector(name: "app_requests_total"),
                        SeriesSelector(name: "app_retries_total", labels: ["queue": "checkout"]),
                    ],
                    minimumDenominator: 50
                ),
                window: .seconds(90)
            ),
            comparison: .atLeast,
            threshold: 0.25,
            forDuration: .seconds(60),
            clearFor: .seconds(120),
            groupBy: ["queue"],
            summary: "Queue {{queue}} backlog {{value}}"
        )
        let configuration = try Self.parse(yaml)
        #expect(try Self.rule("checkout_queue_depth", in: configuration) == expected)
        #expect(configuration.rules.last?.name == expected.name, "new rules come after the built-in ones")
    }

    @Test func newRuleDefaultsWindowClearForAndSummary() throws {
        let rule = try Self.rule("checkout_queue_depth", in: Self.parse(Self.newRule + "    for_seconds: 45\n"))
        #expect(rule.signal.window == .seconds(60))
        #expect(rule.forDuration == .seconds(45))
        #expect(rule.clearFor == .seconds(45), "clear_for defaults to for")
        #expect(rule.groupBy.isEmpty)
        #expect(
            rule.summary == "checkout_queue_depth on {{subject}}: max(app_queue_depth) is {{value}} (> {{threshold}})"
        )
        #expect(rule.source.isEmpty)
    }

    @Test func silenceNeedsNoMetric() throws {
        let yaml = """
            rules:
              - name: agent_silent_long
                kind: node_silent
                severity: SEV-2
                scope: node
                signal: {aggregation: silence}
                comparison: ">"
                threshold: 300
            """
        let rule = try Self.rule("agent_silent_long", in: Self.parse(yaml))
        #expect(rule.signal.selector.name == "node_silence_seconds")
        #expect(rule.signal.aggregation == .silence)
    }

    @Test(arguments: ["p50", "p90", "p95", "p99", "p99.9", "p99.99", "p99.5", "p0.1"])
    func quantileNamesReadBack(_ name: String) throws {
        let yaml = "rules:\n  - name: latency_p95_high\n    signal: {aggregation: \"\(name)\"}\n"
        let rule = try Self.rule("latency_p95_high", in: Self.parse(yaml))
        #expect(rule.signal.aggregationName == name)
    }

    @Test func deployedExampleIsValidWithAndWithoutItsCommentedRules() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("deploy/config/coordinator.yaml").path
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try CoordinatorConfiguration.parse(yaml: yaml, source: path).rules == DefaultRules.all)
        // Uncomment `# rules:` and the block after it up to the next blank line, one level of `# ` only.
        var lines = yaml.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "# rules:"))
        let end = lines[start...].firstIndex { $0.trimmingCharacters(in: .whitespaces).isEmpty } ?? lines.count
        for index in start..<end where lines[index].hasPrefix("#") {
            lines[index] = String(lines[index].dropFirst(lines[index].hasPrefix("# ") ? 2 : 1))
        }
        let rules = try CoordinatorConfiguration.parse(yaml: lines.joined(separator: "\n"), source: path).rules
        #expect(rules.count == DefaultRules.all.count - 1 + 2)
        let added = rules.map(\.name.rawValue).suffix(2)
        #expect(Array(added) == ["checkout_queue_depth", "checkout_payment_declines"])
    }

    @Test func detectionSettingsAreRead() throws {
        let yaml = """
            detection:
              evaluation_interval_seconds: 2
              heartbeat_allowance_seconds: 45
              quiet_window_seconds: 0
              reopen_window_seconds: 3600
            """
        let expected = DetectionSettings(
            evaluationInterval: .seconds(2),
            heartbeatAllowance: .seconds(45),
            quietWindow: .zero,
            reopenWindow: .seconds(3600)
        )
        #expect(try Self.parse(yaml).detection == expected)
        #expect(try Self.parse("detection:\n").detection == DetectionSettings())
        #expect(try Self.parse("http_listen: 127.0.0.1:1\n").rules == DefaultRules.all)
    }
}
