import Foundation
import Shared
import Testing

@testable import Coordinator

/// Runbooks and remediation limits in the coordinator's YAML: overrides, additions, and one-line refusals.
@Suite struct RunbookFileTests {
    private func parse(_ yaml: String) throws(CoordinatorConfigurationError) -> CoordinatorConfiguration {
        try CoordinatorConfiguration.parse(yaml: yaml, source: "c.yaml")
    }

    @Test func thePlaybooksRunbooksAreBuiltIn() throws {
        let configuration = try parse("")
        #expect(
            configuration.runbooks.map(\.kind.rawValue) == [
                "memory_leak", "cache_failure", "connection_pool_exhaustion", "dependency_failure", "sync_failure",
                "high_error_rate",
            ]
        )
        let cache = try #require(configuration.runbooks.first { $0.kind == IncidentKind("cache_failure") })
        #expect(cache.steps.map(\.action) == [.restartService, .redisFlushDatabase])
        #expect(cache.steps.map(\.needsApproval) == [false, true], "flushing a cache waits for a person")
        #expect(configuration.remediation == RemediationSettings())
    }

    @Test func aRunbookReplacesTheBuiltInOneAddsOrDisables() throws {
        let configuration = try parse(
            """
            remediation:
              blast_radius: "25%"
              cooldown_seconds: 60
              max_actions_per_incident: 3
            runbooks:
              - kind: memory_leak
                steps:
                  - action: signal_process
                    params: {process: "{{process}}", signal: USR2}
                    verify_seconds: 30
                  - action: restart_service
                    params: {service: "{{process}}"}
                    approval: required
              - kind: sync_failure
                disabled: true
              - kind: queue_backlog
                steps:
                  - action: http_call
                    params: {endpoint: drain}
            """
        )
        let leak = try #require(configuration.runbooks.first { $0.kind == IncidentKind("memory_leak") })
        #expect(leak.steps.map(\.action) == [.signalProcess, .restartService])
        #expect(leak.steps[0].verifyWindow == .seconds(30))
        #expect(leak.steps[1].needsApproval)
        #expect(leak.steps[1].verifyWindow == .seconds(120), "the default verify window")
        #expect(!configuration.runbooks.contains { $0.kind == IncidentKind("sync_failure") })
        #expect(configuration.runbooks.last?.kind == IncidentKind("queue_backlog"))
        #expect(configuration.remediation.blastRadius == .percent(25))
        #expect(configuration.remediation.blastRadius.limit(serviceSize: 10) == 2)
        #expect(configuration.remediation.blastRadius.limit(serviceSize: 2) == 1, "never less than one node")
        #expect(configuration.remediation.cooldown == .seconds(60))
        #expect(configuration.remediation.maximumActionsPerIncident == 3)
    }

    @Test(arguments: [
        (
            "runbooks:\n  - kind: memory_leak\n    steps:\n      - action: rm_rf\n",
            "c.yaml: line 4: runbook memory_leak: unknown action \"rm_rf\""
        ),
        (
            "runbooks:\n  - kind: memory_leak\n    steps: []\n",
            "c.yaml: line 2: runbook memory_leak: steps must be a list of at least one step"
        ),
        (
            "runbooks:\n  - kind: nothing_like_it\n    disabled: true\n",
            "c.yaml: line 2: runbook nothing_like_it: not a built-in runbook, nothing to disable"
        ),
        (
            "runbooks:\n  - kind: memory_leak\n    steps:\n      - action: restart_service\n        approval: maybe\n",
            "c.yaml: line 5: runbook memory_leak: approval must be \"required\" or \"none\", not \"maybe\""
        ),
        ("runbooks:\n  - steps: []\n", "c.yaml: line 2: a runbook needs a kind"),
        (
            "remediation:\n  blast_radius: 0\n",
            "c.yaml: line 2: remediation.blast_radius must be a whole number of nodes from 1, or a percentage such as \"25%\""
        ),
        (
            "remediation:\n  blast_radius: \"150%\"\n",
            "c.yaml: line 2: remediation.blast_radius must be a whole number of nodes from 1, or a percentage such as \"25%\""
        ),
        (
            "remediation:\n  max_actions_per_incident: 0\n",
            "c.yaml: line 2: remediation.max_actions_per_incident must be a whole number from 1 to 1000"
        ),
        (
            "runbooks:\n  - kind: a\n    steps:\n      - action: http_call\n  - kind: a\n    steps:\n      - action: http_call\n",
            "c.yaml: line 5: runbook a: listed twice; give each kind once"
        ),
    ])
    func mistakesAreRefusedWithTheirLine(_ yaml: String, _ message: String) {
        let error = #expect(throws: CoordinatorConfigurationError.self) { try parse(yaml) }
        #expect(error.map { "\($0)" }?.hasPrefix(message) == true, "\(error.map { "\($0)" } ?? "no error")")
    }
}

extension RunbookFileTests {
    @Test func theDeployedExampleRunbookParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let yaml = try String(
            contentsOfFile: root.appendingPathComponent("deploy/config/coordinator.yaml").path,
            encoding: .utf8
        )
        // The commented runbooks, uncommented at their own indentation.
        let lines = yaml.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "#   runbooks:"))
        let block = lines[start...].prefix { $0.hasPrefix("#  ") }.map { String($0.dropFirst(3)) }
        let configuration = try parse(block.joined(separator: "\n"))
        #expect(!configuration.runbooks.contains { $0.kind == IncidentKind("cache_failure") })
        #expect(configuration.runbooks.first { $0.kind == IncidentKind("memory_leak") }?.steps.count == 1)
        #expect(try parse(yaml).remediation == RemediationSettings())
    }
}
