import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Coordinator

/// The real engine behind the real API: simulated agents over real sockets open an incident, operators work it
/// through the API and the CLI, and every change is on disk when the answer comes.
@Suite(.timeLimit(.minutes(1)))
struct IncidentOperationsTests {
    private static let rules = [
        RuleFixtures.errorRatio("error_ratio_critical", .sev1, above: 0.05, window: 3, for: 0, clearFor: 600)
    ]
    private static let settings = DetectionSettings(evaluationInterval: .milliseconds(100))

    @Test func operatorsAcknowledgeNoteAssignAndCannotResolveWhileItStillFires() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(
            dataDirectory: directory.path,
            rules: Self.rules,
            detection: Self.settings
        ) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            try await FailingCheckout.send(to: coordinator, node: "web-1")
            let incident = try await FailingCheckout.waitForIncident(client)
            #expect(incident.severity == .sev1)
            #expect(
                incident.responseDueAt.timeIntervalSince(incident.openedAt) == 300,
                "SEV-1 responds within 5 minutes"
            )

            let url = client.baseURL
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "ack", "\(incident.id)", "--by", "alice", "--coordinator", url,
                ]) == 0
            )
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "commander", "\(incident.id)", "bob", "--by", "alice", "--coordinator", url,
                ]) == 0
            )
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "status", "\(incident.id)", "identified", "--note", "bad deploy", "--by", "bob", "--coordinator",
                    url,
                ]) == 0
            )
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "note", "\(incident.id)", "rolling back", "--by", "bob", "--coordinator", url,
                ]) == 0
            )
            // The alert still fires: resolving is refused (exit 1) unless forced.
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "resolve", "\(incident.id)", "--by", "bob", "--coordinator", url,
                ]) == 1
            )
            let refusal = await #expect(throws: (any Error).self) {
                try await client.post(
                    "/api/v1/incidents/\(incident.id)/resolve",
                    body: IncidentRoutes.ResolveBody(by: "bob", rootCause: nil, force: nil),
                    as: Incident.self
                )
            }
            #expect("\(refusal.map { "\($0)" } ?? "")".contains("still firing"))
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "resolve", "\(incident.id)", "--root-cause", "the 14:00 deploy", "--force", "--by", "bob",
                    "--coordinator", url,
                ]) == 0
            )

            // Everything is in the database itself, not only in memory.
            let stored = try #require(try await coordinator.database.incident(incident.id))
            #expect(stored.acknowledgedBy == "alice")
            #expect(stored.commander == "bob")
            #expect(stored.status == .resolved)
            #expect(stored.resolvedBy == "bob")
            #expect(stored.rootCause == "the 14:00 deploy")
            let timeline = try await coordinator.database.timeline(of: incident.id)
            #expect(
                timeline.map(\.kind) == [
                    .opened, .alertFiring, .acknowledged, .commanderAssigned, .statusChanged, .note, .statusChanged,
                ]
            )
            #expect(timeline.last?.actor == "bob")

            let statistics = try await client.get("/api/v1/incidents/stats", as: IncidentRoutes.StatisticsList.self)
            let sev1 = try #require(statistics.severities.first)
            #expect(sev1.severity == .sev1)
            #expect(sev1.incidents == 1 && sev1.acknowledged == 1 && sev1.resolved == 1)
            #expect(sev1.meanTimeToAcknowledgeSeconds != nil)

            // Health tells how detection is doing: the one incident a report opened, and how fast it was committed.
            let health = try await client.get("/api/health", as: HealthRoutes.HealthResponse.self)
            let detection = try #require(health.detection)
            #expect(detection.latency.count == 1)
            #expect((detection.latency.medianSeconds ?? -1) >= 0)
            #expect(detection.openIncidents == 0, "resolved above")
            #expect(detection.rules == 1)
            #expect(detection.unwrittenChanges == 0)
        }
    }

    @Test func anUnknownIncidentIsNotFoundAndAResolvedOneCannotBeAcknowledged() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(
            dataDirectory: directory.path,
            rules: Self.rules,
            detection: Self.settings
        ) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            let missing = await #expect(throws: (any Error).self) {
                try await client.get("/api/v1/incidents/42", as: IncidentDetail.self)
            }
            #expect("\(missing.map { "\($0)" } ?? "")".contains("no incident 42"))
            try await FailingCheckout.send(to: coordinator, node: "web-1")
            let incident = try await FailingCheckout.waitForIncident(client)
            _ = try await coordinator.detection.resolve(incident.id, by: "bob", rootCause: nil, force: true)
            let error = await #expect(throws: IncidentOperationError.self) {
                try await coordinator.detection.acknowledge(incident.id, by: "alice")
            }
            #expect(error == .conflict(incident.id, "it is resolved; reopen it first"))
            // Reopening by status brings it back, counted.
            let reopened = try await coordinator.detection.setStatus(
                incident.id,
                to: .investigating,
                by: "alice",
                note: "not fixed"
            )
            #expect(reopened.status == .investigating)
            #expect(reopened.reopenCount == 1)
            #expect(reopened.resolvedAt == nil)
        }
    }
}
