import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Coordinator

/// Operators issue commands and read them back through the real API and the CLI, with an agent answering over a
/// real socket.
@Suite(.timeLimit(.minutes(1)))
struct CommandOperationsTests {
    private static func post(_ url: String, json: String) async throws -> HTTPResponse {
        try await HTTPTransfer.perform(
            HTTPRequest(
                url: url + "/api/v1/commands",
                method: "POST",
                headers: ["Content-Type": "application/json", "Expect": ""],
                body: Array(json.utf8),
                timeout: .seconds(10),
                userAgent: "test"
            )
        )
    }

    @Test func theAPIIssuesListsAndShowsCommandsWithTheirAuditLog() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        let observer = RecordingCommandObserver()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, commandObserver: observer) {
            coordinator in
            let url = "http://127.0.0.1:\(coordinator.httpPort)"
            let client = APIClient(baseURL: url)
            let response = try await Self.post(
                url,
                json:
                    #"{"node":"web-1","action":"postgres_terminate_idle","params":{"instance":"main","idle_minutes":"10"},"dry_run":true,"incident":1,"by":"alice","lifetime_seconds":60}"#
            )
            #expect(response.status == 201)
            let issued = try APIJSON.makeDecoder().decode(RemediationCommand.self, from: Data(response.body))
            #expect(issued.parameters == ["instance": "main", "idle_minutes": "10"])
            #expect(issued.isDryRun)
            #expect(issued.incidentID == IncidentID(1))
            #expect(issued.state == .pending)
            #expect(issued.expiresAt.timeIntervalSince(issued.issuedAt) >= 59)

            try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                let request = try await agent.answerNextCommand()
                #expect(request.isDryRun)
                #expect(request.parameters["idle_minutes"] == "10")
            }
            _ = try await observer.next()

            let list = try await client.get(
                "/api/v1/commands?node=web-1&state=finished",
                as: CommandRoutes.CommandList.self
            )
            #expect(list.commands.map(\.id) == [issued.id])
            #expect(
                try await client.get("/api/v1/commands?state=pending", as: CommandRoutes.CommandList.self).commands
                    .isEmpty
            )
            #expect(
                try await client.get("/api/v1/commands?incident=1", as: CommandRoutes.CommandList.self).commands.count
                    == 1
            )
            let detail = try await client.get("/api/v1/commands/\(issued.id)", as: CommandDetail.self)
            #expect(detail.command.result?.outcome == .succeeded)
            #expect(detail.audit.map(\.event) == [.issued, .sent, .result])

            let refusals: [(String, Int, String)] = [
                (#"{"node":"ghost","action":"restart_service","by":"alice"}"#, 422, "no node ghost"),
                (
                    #"{"node":"web-1","action":"format_disk","by":"alice"}"#, 400,
                    "invalid action \"format_disk\": use one of restart_service"
                ),
                (#"{"node":"web-1","action":"restart_service","incident":99,"by":"alice"}"#, 422, "no incident 99"),
                (#"{"node":"web-1","action":"restart_service","by":" "}"#, 400, "by must not be empty"),
                (
                    #"{"node":"web-1","action":"restart_service","by":"a","lifetime_seconds":0}"#, 400,
                    "invalid lifetime_seconds"
                ),
                (#"{"node":"web-1","by":"a"}"#, 400, "invalid request body: missing field \"action\""),
            ]
            for (json, status, message) in refusals {
                let answer = try await Self.post(url, json: json)
                #expect(answer.status == status, "\(json)")
                let body = try JSONDecoder().decode([String: [String: String]].self, from: Data(answer.body))
                #expect(body["error"]?["message"]?.hasPrefix(message) == true, "\(json)")
            }
            let missing = try await HTTPTransfer.perform(
                HTTPRequest(url: url + "/api/v1/commands/cmd-nope", timeout: .seconds(10), userAgent: "test")
            )
            #expect(missing.status == 404)
            let badState = try await HTTPTransfer.perform(
                HTTPRequest(url: url + "/api/v1/commands?state=done", timeout: .seconds(10), userAgent: "test")
            )
            #expect(badState.status == 400)
        }
    }

    @Test func remediateWaitsForTheResultAndExitsByItsOutcome() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let url = "http://127.0.0.1:\(coordinator.httpPort)"
            try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                async let succeeded = CoordinatorCommand.runMain(arguments: [
                    "remediate", "--node", "web-1", "--action", "restart_service", "--param", "service=nginx",
                    "--incident", "#1", "--by", "alice", "--wait", "--coordinator", url,
                ])
                let request = try await agent.answerNextCommand()
                #expect(request.parameters == ["service": "nginx"])
                #expect(request.issuer == "alice")
                #expect(await succeeded == 0)

                async let failed = CoordinatorCommand.runMain(arguments: [
                    "remediate", "--node", "web-1", "--action", "restart_service", "--param", "service=nginx",
                    "--wait", "--output", "json", "--coordinator", url,
                ])
                try await agent.answerNextCommand(outcome: .failed, exitCode: 1, outputTail: "no such unit")
                #expect(await failed == 1)

                #expect(
                    await CoordinatorCommand.runMain(arguments: [
                        "remediate", "--node", "web-1", "--action", "signal_process", "--param", "process=app",
                        "--dry-run", "--by", "bob", "--coordinator", url,
                    ]) == 0
                )
                #expect(try await agent.nextCommand().isDryRun)
            }
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "remediate", "--node", "ghost", "--action", "restart_service", "--coordinator", url,
                ]) == 1
            )
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "commands", "--node", "web-1", "--state", "finished", "--output", "json", "--coordinator", url,
                ]) == 0
            )
            let finished = try await coordinator.database.commands(matching: CommandQuery(states: [.finished]))
            #expect(finished.compactMap(\.result?.outcome) == [.failed, .succeeded])
            #expect(finished.last?.incidentID == IncidentID(1))
        }
    }
}
