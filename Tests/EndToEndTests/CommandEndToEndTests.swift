import Foundation
import Shared
import Testing

@testable import Coordinator

/// Commands between the real `vigil` and `vigil-agent`: a `kill -9` of the coordinator while the agent runs a
/// command loses the command, and runs it no second time.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CommandEndToEndTests {
    private static let support = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Support"
    )

    @Test func killMinusNineBetweenSendAndResultLosesNoCommandAndRunsNoneTwice() async throws {
        let directory = try TemporaryDirectory()
        let dir = directory.path
        var coordinator = try await CoordinatorProcess.start(in: dir)
        let agentConfig = """
            node_id: app-1
            state_dir: \(dir)/agent-state
            actions:
              restart_service:
                services:
                  slow: [\(Self.support.appendingPathComponent("slow_action.sh").path), \(dir)/runs.txt, "3"]
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
        _ = try await coordinator.waitForNode("app-1") { $0.state == .connected }
        let issued = try await coordinator.client.post(
            "/api/v1/commands",
            body: CommandRoutes.IssueBody(
                node: "app-1",
                action: "restart_service",
                params: ["service": "slow"],
                dryRun: nil,
                incident: nil,
                by: "alice",
                lifetimeSeconds: nil
            ),
            as: RemediationCommand.self
        )
        // The agent has started it: the coordinator dies before the result can come back.
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: dir + "/runs.txt") {
            guard ContinuousClock.now < deadline else { throw EndToEndError.timedOut("the action to start") }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await coordinator.process.kill()
        coordinator = try await CoordinatorProcess.start(
            in: dir,
            agentPort: coordinator.agentPort,
            httpPort: coordinator.httpPort,
            name: "coordinator-2"
        )
        let finished = try await coordinator.waitFor(
            "/api/v1/commands/\(issued.id)",
            as: CommandDetail.self,
            what: "the command's result after the restart",
            timeout: .seconds(60)
        ) { $0.command.state == .finished }
        // Whichever answer came first (the kept result, or "duplicate" to the re-sent command), the action ran once.
        let outcome = try #require(finished.command.result?.outcome)
        #expect([.succeeded, .duplicate].contains(outcome), "\(finished.command)")
        let runs = try String(contentsOfFile: dir + "/runs.txt", encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 1, "the action ran \(runs.count) times")
        let all = try await coordinator.client.get("/api/v1/commands", as: CommandRoutes.CommandList.self)
        #expect(all.commands.map(\.id) == [issued.id], "the command is the one stored before the crash")
        #expect(try await agent.stop() == 0)
        #expect(try await coordinator.process.stop() == 0)
    }
}
