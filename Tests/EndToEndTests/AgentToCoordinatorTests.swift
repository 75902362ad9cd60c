import Foundation
import Shared
import Testing

@testable import Coordinator

/// The real binaries over loopback: what an operator runs is what is tested.
@Suite(.timeLimit(.minutes(2)))
struct AgentToCoordinatorTests {
    @Test func anAgentsReportsArriveAndNodesListsItWithItsLabels() async throws {
        let directory = try TemporaryDirectory()
        let coordinator = try await CoordinatorProcess.start(in: directory.path)
        let agent = try ManagedProcess(
            "vigil-agent",
            [
                "run", "--coordinator", "127.0.0.1:\(coordinator.agentPort)", "--node-id", "e2e-web-1",
                "--label", "service=review-engine", "--label", "role=web", "--interval", "0.2",
            ],
            in: directory.path,
            name: "agent"
        )
        _ = try await coordinator.waitForNode("e2e-web-1") { $0.reportsReceived >= 3 }

        let listed = try await runToCompletion(
            "vigil",
            ["nodes", "--output", "json", "--coordinator", coordinator.url],
            in: directory.path
        )
        #expect(listed.status == 0, "stderr: \(listed.error)")
        let nodes = try APIJSON.makeDecoder().decode(NodeRoutes.NodeList.self, from: Data(listed.output.utf8)).nodes
        let node = try #require(nodes.first { $0.id.rawValue == "e2e-web-1" })
        #expect(node.labels == ["service": "review-engine", "role": "web"])
        #expect(node.state == .connected)
        #expect((node.value(of: "system_memory_total_bytes") ?? 0) > 0, "real /proc data arrived")
        #expect(node.value(of: "system_load1") != nil)
        #expect(node.duplicateReports == 0)

        let table = try await runToCompletion("vigil", ["nodes", "--coordinator", coordinator.url], in: directory.path)
        #expect(table.output.contains("e2e-web-1"))
        #expect(table.output.contains("review-engine"))

        #expect(try await agent.stop() == 0, "the agent stops cleanly on SIGTERM: \(agent.errorOutput)")
        let gone = try await coordinator.waitForNode("e2e-web-1") { $0.state == .disconnected }
        #expect(gone.reportsReceived == gone.lastReportSeq, "everything the agent flushed was counted once")
        #expect(try await coordinator.process.stop() == 0)
    }

    @Test func coordinatorRestartMidStreamLosesNothingAndCountsNothingTwice() async throws {
        let directory = try TemporaryDirectory()
        let first = try await CoordinatorProcess.start(in: directory.path, name: "coordinator-1")
        let agent = try ManagedProcess(
            "vigil-agent",
            ["run", "--coordinator", "127.0.0.1:\(first.agentPort)", "--node-id", "e2e-restart", "--interval", "0.1"],
            in: directory.path,
            name: "agent"
        )
        let before = try await first.waitForNode("e2e-restart") { $0.reportsReceived >= 5 }
        #expect(try await first.process.stop() == 0, "graceful stop: \(first.process.errorOutput)")

        // The agent keeps collecting while nothing listens: these reports wait in its buffer.
        try await Task.sleep(for: .seconds(1))
        let second = try await CoordinatorProcess.start(
            in: directory.path,
            agentPort: first.agentPort,
            httpPort: first.httpPort,
            name: "coordinator-2"
        )
        let after = try await second.waitForNode("e2e-restart") {
            $0.state == .connected && $0.lastReportSeq >= before.lastReportSeq + 20
        }
        #expect(after.reportsReceived == after.lastReportSeq, "every seq from 1 counted exactly once")
        #expect(after.agent.reconnects >= 1)
        #expect(after.agent.droppedReports == 0)
        // The store keeps milliseconds (rounded); the first coordinator showed its memory's time (cut to them).
        #expect(abs(after.firstSeen.timeIntervalSince(before.firstSeen)) <= 0.0011, "the registration survived the restart")

        #expect(try await agent.stop() == 0)
        #expect(try await second.process.stop() == 0)
    }

    @Test func onceCollectsThisHostAndPrintsJSON() async throws {
        let directory = try TemporaryDirectory()
        let result = try await runToCompletion("vigil-agent", ["once", "--output", "json"], in: directory.path)
        #expect(result.status == 0, "stderr: \(result.error)")
        struct Once: Decodable {
            struct Collector: Decodable {
                var name: String
                var up: Bool
            }
            struct Line: Decodable {
                var name: String
                var value: Double?
            }
            var collectors: [Collector]
            var measurements: [Line]
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let once = try decoder.decode(Once.self, from: Data(result.output.utf8))
        #expect(once.collectors.map(\.name) == ["agent", "system"])
        #expect(once.collectors.allSatisfy { $0.up })
        #expect((once.measurements.first { $0.name == "system_memory_total_bytes" }?.value ?? 0) > 0)
    }

    @Test(arguments: [
        ("vigil", ["nodes", "--output", "xml"], Int32(2), "vigil: "),
        ("vigil", ["nodes", "--coordinator", "http://127.0.0.1:1"], Int32(1), "vigil: cannot reach the coordinator"),
        ("vigil-agent", ["run", "--coordinator", "nowhere"], Int32(2), "vigil-agent: --coordinator"),
        ("vigil-agent", ["run", "--config", "/nonexistent.yaml"], Int32(1), "vigil-agent: cannot read config"),
    ])
    func errorsAreOneLineWithTheContractsExitStatus(
        _ binary: String,
        _ arguments: [String],
        _ status: Int32,
        _ prefix: String
    ) async throws {
        let directory = try TemporaryDirectory()
        let result = try await runToCompletion(binary, arguments, in: directory.path)
        #expect(result.status == status)
        #expect(result.error.hasPrefix(prefix), "got: \(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "got: \(result.error)")
    }

    @Test func outputIntoAClosedPipeEndsQuietlyInsteadOfCrashing() async throws {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = ManagedProcess.binaryDirectory.appendingPathComponent("vigil-agent")
        process.arguments = ["once", "--output", "table"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        // Close the reading end before the agent writes, as `vigil-agent once | head -1` does early.
        try pipe.fileHandleForReading.close()
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        // Ending quietly means exit 0, or SIGPIPE as for any Unix filter; a crash would be SIGILL or SIGTRAP.
        let quiet = (process.terminationReason == .exit && process.terminationStatus == 0)
            || (process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE)
        #expect(quiet, "ended with \(process.terminationReason) \(process.terminationStatus)")
    }

    @Test func probeResultsAndTheirFailuresReachTheCoordinator() async throws {
        let directory = try TemporaryDirectory()
        let coordinator = try await CoordinatorProcess.start(in: directory.path)
        // The agent probes the coordinator's own health endpoint, and a port where nothing listens.
        let config = """
            node_id: e2e-probe
            collectors:
              http_probes:
                - name: coordinator-health
                  url: \(coordinator.url)/api/health
                  body_match: '"status":"ok"'
                  interval_seconds: 0.2
                  labels: {critical: "true"}
                - name: nothing-there
                  url: http://127.0.0.1:1/api/health
                  interval_seconds: 0.2
            """
        let configPath = directory.path + "/agent.yaml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let agent = try ManagedProcess(
            "vigil-agent",
            ["run", "--config", configPath, "--coordinator", "127.0.0.1:\(coordinator.agentPort)", "--interval", "0.2"],
            in: directory.path,
            name: "agent"
        )
        let node = try await coordinator.waitForNode("e2e-probe") { node in
            node.probes.count == 2 && node.recentEvents.contains { $0.kind == .probeDown }
        }
        let health = try #require(node.probes.first { $0.name == "coordinator-health" })
        #expect(health.isUp)
        #expect(health.statusCode == 200)
        #expect(health.labels == ["critical": "true"])
        let nothing = try #require(node.probes.first { $0.name == "nothing-there" })
        #expect(!nothing.isUp)
        #expect(nothing.error == "connection refused")
        let event = try #require(node.recentEvents.first { $0.kind == .probeDown })
        #expect(event.subject == "nothing-there")
        #expect(node.signals.contains { $0.name == "probe_up" && $0.labels["probe"] == "coordinator-health" && $0.value == 1 })
        #expect(try await agent.stop() == 0)
        #expect(try await coordinator.process.stop() == 0)
    }
}
