import Foundation
import Shared
import Testing

@testable import Coordinator

/// The memory-leak runbook with real processes: a leaking service opens an incident, the coordinator asks the
/// real agent to restart it, the agent runs the restart its own policy names, the leak stops, the fix is
/// verified, and the incident goes to MONITORING, then RESOLVED, with every step on its timeline.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RemediationEndToEndTests {
    private static let support = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Support"
    )

    @Test func aLeakingServiceIsRestartedVerifiedAndTheIncidentResolves() async throws {
        let directory = try TemporaryDirectory()
        let dir = directory.path
        let app = try ManagedProcess.python(
            [Self.support.appendingPathComponent("leaky_app.py").path, dir + "/leaky.pid", "--leak"],
            in: dir,
            name: "leaky"
        )
        defer {
            app.terminate()
            // The restart started a new app in its own session; it goes with the test.
            let text = (try? String(contentsOfFile: dir + "/leaky.pid", encoding: .utf8)) ?? ""
            if let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 { kill(pid, SIGKILL) }
        }
        let coordinatorConfig = """
            detection:
              evaluation_interval_seconds: 0.2
              quiet_window_seconds: 6
            rules:
              - name: memory_leak
                signal: {window_seconds: 3}
                for_seconds: 1
                clear_for_seconds: 2
            runbooks:
              - kind: memory_leak
                steps:
                  - action: restart_service
                    params: {service: "{{process}}"}
                    verify_seconds: 3
            """
        let coordinator = try await CoordinatorProcess.start(in: dir, config: coordinatorConfig)
        let agentConfig = """
            node_id: app-1
            labels: {service: shop}
            state_dir: \(dir)/agent-state
            collectors:
              processes:
                - name: leaky
                  match: {pid_file: \(dir)/leaky.pid}
                  rss_trend_window_seconds: 2
                  interval_seconds: 0.25
            actions:
              restart_service:
                services:
                  leaky: [\(Self.support.appendingPathComponent("restart_leaky_app.sh").path), \(dir)]
            """
        try agentConfig.write(toFile: dir + "/agent.yaml", atomically: true, encoding: .utf8)
        let agent = try ManagedProcess(
            "vigil-agent",
            [
                "run", "--config", dir + "/agent.yaml", "--coordinator", "127.0.0.1:\(coordinator.agentPort)",
                "--interval", "0.25",
            ],
            in: dir,
            name: "agent"
        )
        let opened = try await coordinator.waitFor(
            "/api/v1/incidents",
            as: IncidentRoutes.IncidentList.self,
            what: "a memory leak incident"
        ) {
            $0.incidents.contains { $0.kind == IncidentKind("memory_leak") }
        }
        let incident = try #require(opened.incidents.first)
        #expect(incident.affectedNodes.map(\.rawValue) == ["app-1"])
        let path = "/api/v1/incidents/\(incident.id)"
        let resolved = try await coordinator.waitFor(
            path,
            as: IncidentDetail.self,
            what: "RESOLVED",
            timeout: .seconds(90)
        ) {
            $0.incident.status == .resolved && $0.timeline.contains { $0.message.contains("fixed every node") }
        }
        let messages = resolved.timeline.map { "\($0.kind.rawValue) \($0.actor): \($0.message)" }
        func index(_ kind: TimelineEvent.Kind, containing text: String = "") throws -> Int {
            try #require(
                resolved.timeline.firstIndex { $0.kind == kind && (text.isEmpty || $0.message.contains(text)) },
                "\(kind) \(text) in \(messages)"
            )
        }
        let issued = try index(.commandIssued, containing: "restart_service")
        let finished = try index(.commandFinished, containing: "succeeded")
        let verified = try index(.remediation, containing: "verified on app-1")
        let monitoring = try index(.statusChanged, containing: "MONITORING")
        let done = try #require(resolved.timeline.lastIndex { $0.message.contains("RESOLVED") })
        #expect(try index(.opened) < issued)
        #expect(issued < finished && finished < verified && verified < done && monitoring < done, "\(messages)")
        #expect(!resolved.timeline.contains { $0.kind == .escalated }, "\(messages)")
        // One restart: the canary verified, and no other node needed one.
        let commands = try await coordinator.client.get(
            "/api/v1/commands?incident=\(incident.id)",
            as: CommandRoutes.CommandList.self
        )
        #expect(commands.commands.map(\.action) == [.restartService])
        #expect(commands.commands.first?.result?.outcome == .succeeded)
        #expect(commands.commands.first?.result?.outputTail.contains("restarted leaky") == true)
        #expect(try await agent.stop() == 0)
        #expect(try await coordinator.process.stop() == 0)
    }
}
