import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Coordinator

/// Silences through the real API and the CLI against an in-process coordinator: add, list, remove, refusals,
/// and a silence that outlives a restart.
@Suite(.timeLimit(.minutes(1)))
struct SilenceRoutesTests {
    private static func send(_ method: String, _ url: String, json: String) async throws -> HTTPResponse {
        try await HTTPTransfer.perform(
            HTTPRequest(
                url: url,
                method: method,
                headers: ["Content-Type": "application/json", "Expect": ""],
                body: Array(json.utf8),
                timeout: .seconds(10),
                userAgent: "test"
            )
        )
    }

    private static func message(_ response: HTTPResponse) throws -> String {
        let body = try JSONDecoder().decode([String: [String: String]].self, from: Data(response.body))
        return body["error"]?["message"] ?? ""
    }

    @Test func theAPIAddsListsAndRemovesSilences() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let url = "http://127.0.0.1:\(coordinator.httpPort)"
            let client = APIClient(baseURL: url)
            let created = try await Self.send(
                "POST",
                url + "/api/v1/silences",
                json: #"{"service":"api","kind":"memory_leak","duration":"2h","by":"alice","reason":"deploy"}"#
            )
            #expect(created.status == 201)
            let silence = try APIJSON.makeDecoder().decode(Silence.self, from: Data(created.body))
            #expect(silence.id.rawValue.hasPrefix("sil-"))
            #expect(silence.service == "api" && silence.kind == IncidentKind("memory_leak") && silence.node == nil)
            #expect(abs(silence.endsAt.timeIntervalSince(silence.startsAt) - 7_200) < 1)
            #expect(silence.isActive(at: Date()))

            let window = try await Self.send(
                "POST",
                url + "/api/v1/silences",
                json: #"{"node":"web-1","starts_at":"+1h","ends_at":"+3h","by":"bob","reason":"kernel upgrade"}"#
            )
            #expect(window.status == 201)
            let scheduled = try APIJSON.makeDecoder().decode(Silence.self, from: Data(window.body))
            #expect(scheduled.state(at: Date()) == .scheduled)

            let list = try await client.get("/api/v1/silences", as: SilenceRoutes.SilenceList.self)
            #expect(list.silences.map(\.id) == [silence.id, scheduled.id])

            let removed = try await Self.send(
                "DELETE",
                url + "/api/v1/silences/\(silence.id)",
                json: #"{"by":"carol"}"#
            )
            #expect(removed.status == 200)
            let answer = try APIJSON.makeDecoder().decode(Silence.self, from: Data(removed.body))
            #expect(answer.removedBy == "carol")
            #expect(
                try await client.get("/api/v1/silences", as: SilenceRoutes.SilenceList.self).silences.map(\.id) == [
                    scheduled.id
                ]
            )
            let all = try await client.get("/api/v1/silences?all=true", as: SilenceRoutes.SilenceList.self)
            #expect(Set(all.silences.map(\.id)) == [silence.id, scheduled.id])

            let missing = try await Self.send("DELETE", url + "/api/v1/silences/sil-nope", json: #"{"by":"carol"}"#)
            #expect(missing.status == 404)
            #expect(try Self.message(missing) == "no silence sil-nope")
        }
    }

    @Test(arguments: [
        (#"{"duration":"2h","by":"a","reason":"r"}"#, "invalid request body: a silence needs at least one of node"),
        (#"{"node":"bad node","duration":"2h","by":"a","reason":"r"}"#, "invalid node \"bad node\""),
        (
            #"{"service":"api","by":"a","reason":"r"}"#,
            "invalid request body: missing field \"duration\" or \"ends_at\""
        ),
        (#"{"service":"api","duration":"soon","by":"a","reason":"r"}"#, "invalid duration \"soon\""),
        (
            #"{"service":"api","duration":"2h","ends_at":"+3h","by":"a","reason":"r"}"#,
            "invalid request body: give duration"
        ),
        (#"{"service":"api","starts_at":"tomorrow","duration":"2h","by":"a","reason":"r"}"#, "invalid starts_at"),
        (#"{"service":"api","ends_at":"2020-01-01T00:00:00Z","by":"a","reason":"r"}"#, "ends_at must be after"),
        (#"{"service":"api","duration":"2h","by":"a","reason":" "}"#, "reason must not be empty"),
        (#"{"service":"api","duration":"2h","by":"a"}"#, "invalid request body: missing field \"reason\""),
        (#"{"service":"api","duration":"2h","by":"","reason":"r"}"#, "by must not be empty"),
    ])
    func badSilencesAreRefusedNamingTheField(_ json: String, _ expected: String) async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let response = try await Self.send(
                "POST",
                "http://127.0.0.1:\(coordinator.httpPort)/api/v1/silences",
                json: json
            )
            #expect(response.status == 400)
            let message = try Self.message(response)
            #expect(message.hasPrefix(expected), "got \(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test func theCommandLineAddsListsAndRemovesAndSilencesSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        let id = try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let url = "http://127.0.0.1:\(coordinator.httpPort)"
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "silence", "add", "--node", "web-1", "--for", "2h", "--reason", "disk swap", "--by", "alice",
                    "--coordinator", url,
                ]) == 0
            )
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "silence", "add", "--service", "api", "--starts-at", "+30m", "--for", "1h", "--reason", "window",
                    "--output", "json", "--coordinator", url,
                ]) == 0
            )
            #expect(await CoordinatorCommand.runMain(arguments: ["silence", "list", "--coordinator", url]) == 0)
            let list = try await APIClient(baseURL: url).get("/api/v1/silences", as: SilenceRoutes.SilenceList.self)
            #expect(list.silences.map(\.matcherText) == ["node=web-1", "service=api"])
            let window = try #require(list.silences.last)
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "silence", "remove", window.id.rawValue, "--by", "bob", "--coordinator", url,
                ]) == 0
            )
            #expect(
                await CoordinatorCommand.runMain(arguments: ["silence", "remove", "sil-nope", "--coordinator", url])
                    == 1
            )
            return try #require(list.silences.first).id
        }
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let url = "http://127.0.0.1:\(coordinator.httpPort)"
            let list = try await APIClient(baseURL: url).get("/api/v1/silences", as: SilenceRoutes.SilenceList.self)
            #expect(list.silences.map(\.id) == [id])
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "silence", "list", "--all", "--output", "json", "--coordinator", url,
                ]) == 0
            )
        }
    }
}
