import Foundation
import Shared
import Testing

@testable import Coordinator

/// Real `vigil` and `vigil-agent` processes on loopback, with applications whose error ratio the test sets:
/// the agents scrape them, the coordinator detects, groups, downgrades, monitors and resolves, and keeps it all
/// across a `kill -9`.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct IncidentEndToEndTests {
    private typealias IncidentList = IncidentRoutes.IncidentList

    /// Rules with windows of seconds, so a whole incident takes well under a minute.
    private static func coordinatorConfig(criticalFor: Int = 1, extra: String = "") -> String {
        """
        detection:
          evaluation_interval_seconds: 0.2
          quiet_window_seconds: 3
          heartbeat_allowance_seconds: 8
        rules:
          - name: error_ratio_critical
            signal: {window_seconds: 3}
            for_seconds: \(criticalFor)
            clear_for_seconds: 2
          - name: error_ratio_high
            signal: {window_seconds: 3}
            for_seconds: 1
            clear_for_seconds: 2
        \(extra)
        """
    }

    /// Three agents of service `checkout`, each scraping its own application every quarter second.
    private static func startAgents(
        _ names: [String],
        apps: AppMetricsServer,
        coordinator: CoordinatorProcess,
        in directory: String
    ) throws -> [ManagedProcess] {
        try names.map { name in
            let config = """
                node_id: \(name)
                labels: {service: checkout}
                collectors:
                  prometheus:
                    - name: app
                      url: \(apps.metricsURL(of: name))
                      requests: {metric: http_requests_total}
                      errors: {metric: http_requests_total, match: {code: "5.."}}
                      interval_seconds: 0.25
                """
            let path = directory + "/\(name).yaml"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            return try ManagedProcess(
                "vigil-agent",
                ["run", "--config", path, "--coordinator", "127.0.0.1:\(coordinator.agentPort)", "--interval", "0.25"],
                in: directory,
                name: name
            )
        }
    }

    @Test func eightPercentOnTwoOfThreeNodesIsOneSev1ThatDowngradesThenMonitorsThenResolves() async throws {
        let directory = try TemporaryDirectory()
        let apps = try await AppMetricsServer.start()
        let coordinator = try await CoordinatorProcess.start(in: directory.path, config: Self.coordinatorConfig())
        let nodes = ["web-1", "web-2", "web-3"]
        let agents = try Self.startAgents(nodes, apps: apps, coordinator: coordinator, in: directory.path)
        for node in nodes {
            _ = try await coordinator.waitForNode(node) { $0.signals.contains { $0.name == "app_requests_total" } }
        }

        try await apps.setErrorRatio(0.08, of: "web-1")
        try await apps.setErrorRatio(0.08, of: "web-2")
        let opened = try await coordinator.waitFor("/api/v1/incidents", as: IncidentList.self, what: "a SEV-1") {
            $0.incidents.contains { $0.severity == .sev1 }
        }
        #expect(opened.incidents.count == 1, "one incident for the service, not one per alert or node")
        let incident = try #require(opened.incidents.first)
        #expect(incident.kind == IncidentKind("high_error_rate"))
        #expect(incident.service == "checkout")
        #expect(incident.status == .investigating)
        #expect(incident.affectedNodes.map(\.rawValue) == ["web-1", "web-2"])

        try await apps.setErrorRatio(0.02, of: "web-1")
        try await apps.setErrorRatio(0.02, of: "web-2")
        let path = "/api/v1/incidents/\(incident.id)"
        _ = try await coordinator.waitFor(path, as: IncidentDetail.self, what: "a downgrade to SEV-2") {
            $0.incident.severity == .sev2 && $0.timeline.contains { $0.kind == .severityLowered }
        }

        try await apps.setErrorRatio(0, of: "web-1")
        try await apps.setErrorRatio(0, of: "web-2")
        let resolved = try await coordinator.waitFor(path, as: IncidentDetail.self, what: "RESOLVED") {
            $0.incident.status == .resolved
        }
        let kinds = resolved.timeline.map(\.kind)
        let lowered = try #require(kinds.firstIndex(of: .severityLowered))
        let monitoring = try #require(resolved.timeline.firstIndex { $0.message.contains("MONITORING") })
        let done = try #require(resolved.timeline.lastIndex { $0.message.contains("RESOLVED") })
        #expect(kinds.first == .opened)
        #expect(lowered < monitoring && monitoring < done, "\(resolved.timeline.map(\.message))")
        #expect(resolved.incident.resolvedBy == "vigil")
        #expect(resolved.incident.peakSeverity == .sev1)
        let all = try await coordinator.client.get("/api/v1/incidents", as: IncidentList.self)
        #expect(all.incidents.count == 1)

        for agent in agents { #expect(try await agent.stop() == 0) }
        #expect(try await coordinator.process.stop() == 0)
    }

    @Test func killMinusNineLosesNoIncidentNoPendingTimerAndCallsNoNodeSilent() async throws {
        let directory = try TemporaryDirectory()
        let apps = try await AppMetricsServer.start()
        // The SEV-1 rule waits ten minutes: it stays pending across the restart.
        var coordinator = try await CoordinatorProcess.start(
            in: directory.path,
            config: Self.coordinatorConfig(criticalFor: 600)
        )
        let nodes = ["web-1", "web-2", "web-3"]
        let agents = try Self.startAgents(nodes, apps: apps, coordinator: coordinator, in: directory.path)
        try await apps.setErrorRatio(0.2, of: "web-1")
        let before = try await coordinator.waitFor("/api/v1/incidents", as: IncidentList.self, what: "a SEV-2") {
            $0.incidents.contains { $0.severity == .sev2 }
        }
        let incident = try #require(before.incidents.first)
        let alertsBefore = try await coordinator.waitFor(
            "/api/v1/alerts",
            as: AlertRoutes.AlertList.self,
            what: "a pending SEV-1"
        ) {
            $0.alerts.contains { $0.key.rule == RuleName("error_ratio_critical") && $0.state == .pending }
        }
        let pending = try #require(alertsBefore.alerts.first { $0.state == .pending })
        _ = try await coordinator.client.post(
            "/api/v1/incidents/\(incident.id)/ack",
            body: IncidentRoutes.AcknowledgeBody(by: "alice"),
            as: Incident.self
        )
        let detailBefore = try await coordinator.client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self)

        try await coordinator.process.kill()
        coordinator = try await CoordinatorProcess.start(
            in: directory.path,
            agentPort: coordinator.agentPort,
            httpPort: coordinator.httpPort,
            config: Self.coordinatorConfig(criticalFor: 600),
            name: "coordinator-2"
        )
        let detailAfter = try await coordinator.client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self)
        #expect(detailAfter.incident.status == detailBefore.incident.status)
        #expect(detailAfter.incident.acknowledgedBy == "alice")
        #expect(Array(detailAfter.timeline.prefix(detailBefore.timeline.count)) == detailBefore.timeline)
        #expect(detailAfter.snapshots == detailBefore.snapshots)
        let alertsAfter = try await coordinator.client.get("/api/v1/alerts", as: AlertRoutes.AlertList.self)
        let restored = try #require(alertsAfter.alerts.first { $0.key == pending.key })
        // To the millisecond the store keeps (memory showed its own time cut to milliseconds).
        #expect(
            abs(restored.activeSince.timeIntervalSince(pending.activeSince)) <= 0.0011,
            "the pending timer carries on, not restarted"
        )

        // Past the heartbeat allowance (8 s) the agents are back and nobody was called silent.
        for node in nodes { _ = try await coordinator.waitForNode(node) { $0.state == .connected } }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let list = try await coordinator.client.get("/api/v1/incidents", as: IncidentList.self)
            #expect(
                !list.incidents.contains { $0.kind == IncidentKind("node_silent") },
                "\(list.incidents.map(\.title))"
            )
            #expect(list.incidents.map(\.id) == [incident.id])
            try await Task.sleep(for: .milliseconds(500))
        }
        for agent in agents { #expect(try await agent.stop() == 0) }
        #expect(try await coordinator.process.stop() == 0)
    }
}
