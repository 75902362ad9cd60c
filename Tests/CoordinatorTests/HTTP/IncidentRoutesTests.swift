import Foundation
import Shared
import Testing

@testable import Coordinator

/// The incident routes over a real socket, driven through the CLI's own libcurl client, with a recording
/// stand-in for the incident engine behind them.
@Suite(.timeLimit(.minutes(1)))
struct IncidentRoutesTests {
    typealias Call = RecordingIncidentOperations.Call

    private static let newYear = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z

    @Test func listPassesEveryFilterToTheEngineAndAnswersWithItsIncidents() async throws {
        let operations = RecordingIncidentOperations()
        let list = try await IncidentAPIServer.withRunning(operations: operations) { client in
            try await client.get(
                "/api/v1/incidents?status=open&severity=SEV-1,sev2&since=2025-01-01T00:00:00Z&limit=5",
                as: IncidentRoutes.IncidentList.self
            )
        }
        let expected = IncidentQuery(
            statuses: [.investigating, .identified, .monitoring],
            severities: [.sev1, .sev2],
            openedSince: Self.newYear,
            limit: 5
        )
        #expect(await operations.calls == [.list(expected)])
        #expect(list.incidents.map(\.id) == [IncidentID(3), IncidentID(2)])
        #expect(list.incidents.first == IncidentFixtures.incidents.first)
    }

    @Test func listWithoutParametersAsksForEverythingUpToTheDefaultLimit() async throws {
        let operations = RecordingIncidentOperations()
        let list = try await IncidentAPIServer.withRunning(operations: operations) { client in
            try await client.get("/api/v1/incidents", as: IncidentRoutes.IncidentList.self)
        }
        #expect(await operations.calls == [.list(IncidentQuery())])
        #expect(list.incidents == IncidentFixtures.incidents)
    }

    @Test func repeatedParametersAddUp() async throws {
        let operations = RecordingIncidentOperations()
        _ = try await IncidentAPIServer.withRunning(operations: operations) { client in
            try await client.get(
                "/api/v1/incidents?status=identified&status=RESOLVED",
                as: IncidentRoutes.IncidentList.self
            )
        }
        #expect(await operations.calls == [.list(IncidentQuery(statuses: [.identified, .resolved]))])
    }

    @Test(arguments: [
        ("/api/v1/incidents?status=BROKEN", "coordinator answered 400: invalid status \"BROKEN\": use INVESTIGATING"),
        ("/api/v1/incidents?status=open,", "coordinator answered 400: invalid status \"\""),
        (
            "/api/v1/incidents?severity=SEV-9",
            "coordinator answered 400: invalid severity \"SEV-9\": use SEV-1 to SEV-4"
        ),
        ("/api/v1/incidents?since=yesterday", "coordinator answered 400: invalid since \"yesterday\": use an ISO 8601"),
        ("/api/v1/incidents?since=5y", "coordinator answered 400: invalid since \"5y\""),
        (
            "/api/v1/incidents?limit=0",
            "coordinator answered 400: invalid limit \"0\": use a whole number from 1 to 1000"
        ),
        ("/api/v1/incidents?limit=ten", "coordinator answered 400: invalid limit \"ten\""),
        ("/api/v1/incidents/stats?since=soon", "coordinator answered 400: invalid since \"soon\""),
    ])
    func badQueryValuesAreRefusedNamingParameterAndValue(_ path: String, _ expected: String) async throws {
        let operations = RecordingIncidentOperations()
        let error = try await IncidentAPIServer.withRunning(operations: operations) { client in
            await #expect(throws: APIClientError.self) {
                try await client.get(path, as: IncidentRoutes.IncidentList.self)
            }
        }
        #expect(error?.description.hasPrefix(expected) == true, "got \(String(describing: error))")
        #expect(error?.description.contains("\n") == false)
        #expect(await operations.calls.isEmpty, "nothing reaches the engine")
    }

    @Test func showAnswersWithTheWholeDetail() async throws {
        let operations = RecordingIncidentOperations()
        let (plain, hashed) = try await IncidentAPIServer.withRunning(operations: operations) { client in
            (
                try await client.get("/api/v1/incidents/2", as: IncidentDetail.self),
                try await client.get("/api/v1/incidents/%232", as: IncidentDetail.self)
            )
        }
        let incident = try #require(IncidentFixtures.incidents.first { $0.id == IncidentID(2) })
        #expect(plain == IncidentFixtures.detail(of: incident))
        #expect(hashed == plain)
        #expect(await operations.calls == [.detail(IncidentID(2)), .detail(IncidentID(2))])
    }

    @Test func statsIsNotAnIdAndPassesSince() async throws {
        let operations = RecordingIncidentOperations()
        let (all, recent) = try await IncidentAPIServer.withRunning(operations: operations) { client in
            (
                try await client.get("/api/v1/incidents/stats", as: IncidentRoutes.StatisticsList.self),
                try await client.get(
                    APIClient.path("/api/v1/incidents/stats", query: [("since", "2025-01-01T02:00:00+02:00")]),
                    as: IncidentRoutes.StatisticsList.self
                )
            )
        }
        #expect(all.severities == IncidentFixtures.statistics)
        #expect(recent == all)
        #expect(await operations.calls == [.statistics(since: nil), .statistics(since: Self.newYear)])
    }

    @Test func everyChangePassesItsArgumentsAndAnswersWithTheUpdatedIncident() async throws {
        let operations = RecordingIncidentOperations()
        let id = IncidentID(3)
        let answers = try await IncidentAPIServer.withRunning(operations: operations) { client in
            [
                try await client.post(
                    "/api/v1/incidents/3/ack",
                    body: IncidentRoutes.AcknowledgeBody(by: " alice "),
                    as: Incident.self
                ),
                try await client.post(
                    "/api/v1/incidents/%233/status",
                    body: IncidentRoutes.StatusBody(status: "identified", by: "alice", note: "bad deploy"),
                    as: Incident.self
                ),
                try await client.post(
                    "/api/v1/incidents/3/status",
                    body: IncidentRoutes.StatusBody(status: "MONITORING", by: "alice", note: "  "),
                    as: Incident.self
                ),
                try await client.post(
                    "/api/v1/incidents/3/notes",
                    body: IncidentRoutes.NoteBody(by: "bob", text: "rolled back"),
                    as: Incident.self
                ),
                try await client.post(
                    "/api/v1/incidents/3/commander",
                    body: IncidentRoutes.CommanderBody(by: "bob", commander: "carol"),
                    as: Incident.self
                ),
                try await client.post(
                    "/api/v1/incidents/3/resolve",
                    body: IncidentRoutes.ResolveBody(by: "carol", rootCause: "the 14:00 deploy", force: true),
                    as: Incident.self
                ),
                try await client.post(
                    "/api/v1/incidents/3/resolve",
                    json: Array(#"{"by":"dave"}"#.utf8),
                    as: Incident.self
                ),
            ]
        }
        #expect(
            await operations.calls == [
                .acknowledge(id, by: "alice"),
                .setStatus(id, .identified, by: "alice", note: "bad deploy"),
                .setStatus(id, .monitoring, by: "alice", note: nil),
                .addNote(id, text: "rolled back", by: "bob"),
                .assignCommander(id, to: "carol", by: "bob"),
                .resolve(id, by: "carol", rootCause: "the 14:00 deploy", force: true),
                .resolve(id, by: "dave", rootCause: nil, force: false),
            ]
        )
        #expect(answers[0].acknowledgedBy == "alice")
        #expect(answers[0].acknowledgedAt == RecordingIncidentOperations.changedAt)
        #expect(answers[1].status == .identified)
        #expect(answers[4].commander == "carol")
        #expect(answers[5].status == .resolved)
        #expect(answers[5].rootCause == "the 14:00 deploy")
    }

    @Test(arguments: [
        (IncidentOperationError.notFound(IncidentID(3)), "coordinator answered 404: no incident 3"),
        (
            .conflict(IncidentID(3), "2 alerts still firing; use --force"),
            "coordinator answered 409: incident 3: 2 alerts still firing; use --force"
        ),
        (.invalid("a note must not be empty"), "coordinator answered 400: a note must not be empty"),
        (.unavailable("disk I/O error"), "coordinator answered 503: the incident store is unavailable: disk I/O error"),
    ])
    func engineErrorsBecomeTheirStatusAndMessage(_ failure: IncidentOperationError, _ expected: String) async throws {
        let operations = RecordingIncidentOperations()
        await operations.failEveryCall(with: failure)
        let errors = try await IncidentAPIServer.withRunning(operations: operations) { client in
            [
                await #expect(throws: APIClientError.self) {
                    try await client.get("/api/v1/incidents/3", as: IncidentDetail.self)
                },
                await #expect(throws: APIClientError.self) {
                    try await client.get("/api/v1/incidents", as: IncidentRoutes.IncidentList.self)
                },
                await #expect(throws: APIClientError.self) {
                    try await client.post(
                        "/api/v1/incidents/3/resolve",
                        body: IncidentRoutes.ResolveBody(by: "a"),
                        as: Incident.self
                    )
                },
            ]
        }
        for error in errors {
            #expect(error?.description == expected)
        }
    }

    @Test func anUnknownIncidentIsNotFound() async throws {
        let operations = RecordingIncidentOperations()
        let errors = try await IncidentAPIServer.withRunning(operations: operations) { client in
            [
                await #expect(throws: APIClientError.self) {
                    try await client.get("/api/v1/incidents/99", as: IncidentDetail.self)
                },
                await #expect(throws: APIClientError.self) {
                    try await client.post(
                        "/api/v1/incidents/99/ack",
                        body: IncidentRoutes.AcknowledgeBody(by: "a"),
                        as: Incident.self
                    )
                },
            ]
        }
        #expect(
            errors.map { $0?.description } == [
                "coordinator answered 404: no incident 99", "coordinator answered 404: no incident 99",
            ]
        )
    }

    @Test(arguments: ["abc", "0", "-4", "%2312x", "stats2"])
    func anInvalidIdIsABadRequest(_ id: String) async throws {
        let operations = RecordingIncidentOperations()
        let errors = try await IncidentAPIServer.withRunning(operations: operations) { client in
            [
                await #expect(throws: APIClientError.self) {
                    try await client.get("/api/v1/incidents/\(id)", as: IncidentDetail.self)
                },
                await #expect(throws: APIClientError.self) {
                    try await client.post(
                        "/api/v1/incidents/\(id)/ack",
                        body: IncidentRoutes.AcknowledgeBody(by: "a"),
                        as: Incident.self
                    )
                },
            ]
        }
        let text = id.removingPercentEncoding ?? id
        for error in errors {
            #expect(error?.description == "coordinator answered 400: invalid incident id \"\(text)\"")
        }
        #expect(await operations.calls.isEmpty)
    }

    @Test(arguments: [
        ("ack", "{", "invalid request body: not valid JSON"),
        ("ack", "", "invalid request body: not valid JSON"),
        ("ack", "[]", "invalid request body: expected a JSON object"),
        ("ack", "{}", "invalid request body: missing field \"by\""),
        ("ack", #"{"by": 5}"#, "invalid request body: field \"by\" must be a string"),
        ("ack", #"{"by": null}"#, "invalid request body: field \"by\" must not be null"),
        ("ack", #"{"by": "  "}"#, "by must not be empty"),
        ("ack", #"{"by": "\#(String(repeating: "x", count: 101))"}"#, "by must be at most 100 characters"),
        ("resolve", #"{"by": "a", "force": "yes"}"#, "invalid request body: field \"force\" must be true or false"),
        ("resolve", #"{"by": "a", "root_cause": 1}"#, "invalid request body: field \"root_cause\" must be a string"),
        ("status", #"{"by": "a"}"#, "invalid request body: missing field \"status\""),
        ("status", #"{"by": "a", "status": "DONE"}"#, "invalid status \"DONE\": use one of INVESTIGATING"),
        ("notes", #"{"by": "a", "text": ""}"#, "text must not be empty"),
        (
            "notes", #"{"by": "a", "text": "\#(String(repeating: "x", count: 4_001))"}"#,
            "text must be at most 4000 characters"
        ),
        ("commander", #"{"by": "a", "commander": ""}"#, "commander must not be empty"),
    ])
    func malformedBodiesAreBadRequestsInOneLine(_ action: String, _ json: String, _ expected: String) async throws {
        let operations = RecordingIncidentOperations()
        let error = try await IncidentAPIServer.withRunning(operations: operations) { client in
            await #expect(throws: APIClientError.self) {
                try await client.post("/api/v1/incidents/3/\(action)", json: Array(json.utf8), as: Incident.self)
            }
        }
        #expect(
            error?.description.hasPrefix("coordinator answered 400: \(expected)") == true,
            "got \(String(describing: error))"
        )
        #expect(await operations.calls.isEmpty)
    }

    @Test func aBodyOverTheLimitIsRefusedUnread() async throws {
        let operations = RecordingIncidentOperations()
        let note = IncidentRoutes.NoteBody(
            by: "a",
            text: String(repeating: "x", count: IncidentRoutes.maximumBodyBytes)
        )
        let error = try await IncidentAPIServer.withRunning(operations: operations) { client in
            await #expect(throws: APIClientError.self) {
                try await client.post("/api/v1/incidents/3/notes", body: note, as: Incident.self)
            }
        }
        #expect(error?.description == "coordinator answered 413: request body is larger than 64 KiB")
        #expect(await operations.calls.isEmpty)
    }

    @Test func theCommandsReachTheAPI() async throws {
        let operations = RecordingIncidentOperations()
        let statuses = try await IncidentAPIServer.withRunning(operations: operations) { client in
            [
                await CoordinatorCommand.runMain(arguments: [
                    "ack", "#3", "--by", "alice", "--coordinator", client.baseURL,
                ]),
                await CoordinatorCommand.runMain(arguments: [
                    "status", "3", "Identified", "--by", "alice", "--coordinator", client.baseURL,
                ]),
                await CoordinatorCommand.runMain(arguments: ["incident", "show", "99", "--coordinator", client.baseURL]
                ),
            ]
        }
        #expect(statuses == [0, 0, 1])
        #expect(
            await operations.calls == [
                .acknowledge(IncidentID(3), by: "alice"),
                .setStatus(IncidentID(3), .identified, by: "alice", note: nil),
                .detail(IncidentID(99)),
            ]
        )
    }
}

/// The list's query parameters read as text, without a server.
@Suite struct IncidentListParametersTests {
    private let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test(arguments: [
        ("30m", 1_800.0),
        ("24h", 86_400.0),
        ("7d", 604_800.0),
        ("2w", 1_209_600.0),
        ("90s", 90.0),
    ])
    func agesCountBackFromNow(_ text: String, _ seconds: Double) throws {
        let parameters = try IncidentListParameters(status: nil, severity: nil, since: text, limit: nil)
        #expect(parameters.query(now: now).openedSince == now.addingTimeInterval(-seconds))
    }

    @Test(arguments: [
        ("2025-01-01T00:00:00Z", 1_735_689_600.0),
        ("2025-01-01T01:00:00+01:00", 1_735_689_600.0),
        ("2025-01-01T00:00:00.500Z", 1_735_689_600.5),
        ("2025-01-01", 1_735_689_600.0),
    ])
    func timesAreTakenAsWritten(_ text: String, _ seconds: Double) {
        #expect(TimeBound(text: text)?.date(relativeTo: now) == Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: ["", "h", "24", "24x", "-1h", "1.5h", "99999999999d", "yesterday", "2025-13-01"])
    func otherTimesAreRefused(_ text: String) {
        #expect(TimeBound(text: text) == nil)
    }

    @Test func statusesAndSeveritiesReadAnyCaseAndOpenMeansUnresolved() throws {
        let parameters = try IncidentListParameters(status: "open", severity: "sev1,2,SEV-3", since: nil, limit: "20")
        #expect(parameters.statuses == [.investigating, .identified, .monitoring])
        #expect(parameters.severities == [.sev1, .sev2, .sev3])
        #expect(
            parameters.query(now: now)
                == IncidentQuery(
                    statuses: [.investigating, .identified, .monitoring],
                    severities: [.sev1, .sev2, .sev3],
                    openedSince: nil,
                    limit: 20
                )
        )
        #expect(try IncidentListParameters.statuses(from: "resolved, Monitoring") == [.resolved, .monitoring])
    }
}
