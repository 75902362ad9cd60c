import Foundation
import Shared
import Testing

@testable import Coordinator

/// The HTTP API over a real socket, read through the CLI's own libcurl client.
@Suite(.timeLimit(.minutes(1)))
struct APITests {
    @Test func nodesListsAConnectedAgentWithItsLabelsAndLatestValues() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            #expect(try await client.get("/api/v1/nodes", as: NodeRoutes.NodeList.self).nodes.isEmpty)
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "web-1", labels: ["service": "review-engine", "role": "web"])
                _ = try await agent.report(seq: 1, value: 1.5)
                let nodes = try await client.get("/api/v1/nodes", as: NodeRoutes.NodeList.self).nodes
                let node = try #require(nodes.first)
                #expect(nodes.count == 1)
                #expect(node.id.rawValue == "web-1")
                #expect(node.labels == ["service": "review-engine", "role": "web"])
                #expect(node.state == .connected)
                #expect(node.reportsReceived == 1)
                #expect(node.value(of: "system_load1") == 1.5)
                let single = try await client.get("/api/v1/nodes/web-1", as: NodeSummary.self)
                #expect(single == node)
            }
        }
    }

    @Test func healthReportsTheDatabaseAndConnectedAgents() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            let health = try await client.get("/api/health", as: HealthRoutes.HealthResponse.self)
            #expect(health.status == "ok")
            #expect(health.database == "ok")
            #expect(health.version == VigilVersion.current)
            #expect(health.agentsConnected == 0)
        }
    }

    @Test(arguments: [
        ("/api/v1/nodes/nobody", "coordinator answered 404: no node nobody"),
        ("/api/v1/nodes/bad%20id", "coordinator answered 400: invalid node id \"bad id\""),
        ("/api/v1/nothing", "coordinator answered 404"),
    ])
    func badRequestsGetAClearStatusAndMessage(_ path: String, _ expected: String) async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            let error = await #expect(throws: APIClientError.self) { try await client.get(path, as: NodeSummary.self) }
            #expect(error?.description.hasPrefix(expected) == true, "got \(String(describing: error))")
        }
    }

    @Test func nodeRegistrationsReachSQLiteAndSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "db-1", labels: ["service": "postgres"])
                for seq in 1...3 { _ = try await agent.report(seq: UInt64(seq), declare: seq == 1) }
            }
        }
        let database = try CoordinatorDatabase.open(directory: directory.path)
        let stored = try await database.loadNodes()
        #expect(stored.map(\.id.rawValue) == ["db-1"])
        #expect(stored.first?.lastReportSeq == 3)
        #expect(stored.first?.connectionState == .disconnected)
        #expect(stored.first?.labels == ["service": "postgres"])
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                guard case .welcome(let welcome) = try await agent.hello(node: "db-1") else {
                    throw CoordinatorTestError.unexpected("no welcome after restart")
                }
                #expect(welcome.lastReceivedSeq == 3, "the agent learns where to continue")
                #expect(try await agent.report(seq: 3) == .reportAck(ReportAck(seq: 3)))
                #expect(await coordinator.fleet.summary(of: NodeID("db-1") ?? .localhost)?.duplicateReports == 1)
            }
        }
    }
}
