import ArgumentParser
import Foundation
import Testing

@testable import Coordinator

@Suite struct CheckConfigCommandTests {
    private static let validYAML = """
        http_listen: 127.0.0.1:7501
        detection:
          quiet_window_seconds: 300
        rules:
          - name: latency_p95_high
            for_seconds: 30
          - name: node_silent
            disabled: true
          - name: checkout_queue_depth
            kind: queue_backlog
            severity: SEV-3
            scope: service
            signal: {metric: app_queue_depth, labels: {queue: checkout}, aggregation: max}
            comparison: ">"
            threshold: 100
            group_by: [queue]
        oncall:
          roles:
            sre:
              primary: {members: [ana], hand_off: "2020-01-06T09:00"}
              secondary: bo
              manager: cy
          vp: dee
        channels:
          - {name: war-room, kind: slack, url: "https://hooks.example.com/T0/B0/x"}

        """

    private static func write(_ yaml: String, in directory: borrowing TemporaryDirectory) throws -> String {
        let path = directory.path + "/coordinator.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func validFileIsSummarisedAndItsRulesListed() async throws {
        let directory = try TemporaryDirectory()
        let path = try Self.write(Self.validYAML, in: directory)
        var text = ""
        try CheckConfigCommand.check(path: path, to: &text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "vigil check-config: \(path) is valid: 16 rules (15 built-in, 1 overridden, 1 added, 1 disabled)"
        )
        // The verdict, the table's header, 16 rules, the detection settings, 6 runbooks, the remediation limits,
        // one role and the VP, one channel, four severities' routing, the templates.
        let expectedLines = 34
        #expect(lines.count == expectedLines)
        let header = try #require(lines.dropFirst().first)
        #expect(header.hasPrefix("NAME"))
        for column in ["KIND", "SEV", "SCOPE", "SIGNAL", "GROUP BY"] { #expect(header.contains(column)) }
        let latency = try #require(lines.first { $0.hasPrefix("latency_p95_high ") })
        #expect(latency.contains("high_latency"))
        #expect(latency.contains("SEV-2"))
        #expect(latency.contains("p95(app_request_duration_seconds) > 1 for 30s"))
        let added = try #require(lines.first { $0.hasPrefix("checkout_queue_depth ") })
        #expect(added.contains("max(app_queue_depth{queue=\"checkout\"}) > 100 for 0s"), "for defaults to 0")
        #expect(added.hasSuffix("queue"))
        #expect(!lines.contains { $0.hasPrefix("node_silent ") })
        #expect(
            lines.contains("detection: evaluated every 1s, heartbeat allowance 30s, quiet window 300s, reopen window 1800s")
        )
        #expect(lines.contains("runbook cache_failure: restart_service verify 120s, then redis_flush_db (approval) verify 120s"))
        #expect(lines.contains { $0.hasPrefix("remediation: enabled, blast radius 1 node, cooldown 900s") })
        #expect(lines.contains("on call sre: primary ana, secondary bo, manager cy"))
        #expect(lines.contains("on call vp: dee"))
        #expect(lines.contains("channel war-room: slack"))
        #expect(lines.contains("notify SEV-1: war-room"), "chat hears SEV-1 by default")
        #expect(lines.contains("notify SEV-4: no channel: nobody is paged"), "SEV-4 is e-mail only, and there is none")
        #expect(lines.last == "messages: built-in templates")
        #expect(await CoordinatorCommand.runMain(arguments: ["check-config", "--config", path]) == 0)
    }

    @Test func invalidFileNamesItsLineAndExitsOne() async throws {
        let directory = try TemporaryDirectory()
        let yaml = Self.validYAML.replacingOccurrences(of: "threshold: 100", with: "threshold: high")
        let path = try Self.write(yaml, in: directory)
        var text = ""
        let error = #expect(throws: CoordinatorConfigurationError.self) {
            try CheckConfigCommand.check(path: path, to: &text)
        }
        #expect(error?.description == "\(path): line 15: rule checkout_queue_depth: threshold must be a number")
        #expect(text.isEmpty)
        #expect(await CoordinatorCommand.runMain(arguments: ["check-config", "--config", path]) == 1)
        let missing = directory.path + "/none.yaml"
        #expect(await CoordinatorCommand.runMain(arguments: ["check-config", "--config", missing]) == 1)
    }

    @Test func withoutAFileTheBuiltInRulesAreChecked() throws {
        var text = ""
        try CheckConfigCommand.check(path: nil, to: &text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "vigil check-config: the built-in configuration is valid: 16 rules (16 built-in, 0 overridden, "
                + "0 added, 0 disabled)"
        )
        #expect(lines.contains { $0.hasPrefix("node_silent ") && $0.contains("silence > 30 for 0s") })
        #expect(
            lines.contains {
                $0.hasPrefix("cache_hit_ratio_collapsed ")
                    && $0.contains(
                        "ratio(redis_keyspace_hits_total / (redis_keyspace_hits_total + redis_keyspace_misses_total))"
                            + " < 0.5 for 120s"
                    )
            }
        )
    }

    @Test func parsesItsFlag() throws {
        let command = try CoordinatorCommand.parseAsRoot(["check-config", "--config", "c.yaml"])
        #expect((command as? CheckConfigCommand)?.config == "c.yaml")
        #expect((try CoordinatorCommand.parseAsRoot(["check-config"]) as? CheckConfigCommand)?.config == nil)
    }
}
