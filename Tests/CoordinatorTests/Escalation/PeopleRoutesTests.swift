import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Coordinator

/// The people side through the real API and CLI of an in-process coordinator: on-call questions, messages
/// before they are sent, status updates refused when wrong, and silences bound to an incident.
@Suite(.timeLimit(.minutes(1)))
struct PeopleRoutesTests {
    private static let rules = [
        RuleFixtures.errorRatio("error_ratio_critical", .sev1, above: 0.05, window: 3, for: 0, clearFor: 600)
    ]

    private static func withIncident(
        _ body: @Sendable (InProcessCoordinator, APIClient, Incident) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(
            dataDirectory: directory.path,
            rules: rules,
            detection: DetectionSettings(evaluationInterval: .milliseconds(100)),
            people: PeopleConfiguration(scriptedClock: true)
        ) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            try await FailingCheckout.send(to: coordinator, node: "web-1")
            try await body(coordinator, client, try await FailingCheckout.waitForIncident(client))
        }
    }

    private static func run(_ arguments: [String], _ client: APIClient) async -> Int32 {
        await CoordinatorCommand.runMain(arguments: arguments + ["--coordinator", client.baseURL])
    }

    @Test func onCallAnswersWhoHoldsEachRoleAndFlagsASimulationThatReachesNobody() async throws {
        try await Self.withIncident { _, client, _ in
            let listing = try await client.get("/api/v1/oncall?role=database", as: OnCallRoutes.Listing.self)
            #expect(listing.assignments.map(\.person) == ["grace", "henry", "ivan"])
            let simulation = try await client.get(
                "/api/v1/oncall/simulate?severity=SEV-1&kind=replication_lag",
                as: OnCallRoutes.Simulation.self
            )
            #expect(simulation.role == "database")
            #expect(simulation.steps.map(\.person) == ["grace", "henry", "ivan", "john"])
            #expect(simulation.steps.allSatisfy { $0.problems == ["no channel pages SEV-1: define one under channels, and route it under notify"] })

            #expect(await Self.run(["oncall", "--role", "sre"], client) == 0)
            #expect(await Self.run(["oncall", "simulate", "--severity", "2"], client) == 1, "a step reaches nobody")
            #expect(await Self.run(["oncall", "--role", "web"], client) == 1)
            #expect(await Self.run(["oncall", "--at", "friday"], client) == 2)
            #expect(await Self.run(["oncall", "simulate", "--severity", "5"], client) == 2)
            await #expect(throws: APIClientError.self) {
                _ = try await client.get("/api/v1/oncall?at=someday", as: OnCallRoutes.Listing.self)
            }
            do {
                _ = try await client.get("/api/v1/oncall?role=sre%0Aadmin", as: OnCallRoutes.Listing.self)
                Issue.record("a role with a line break accepted")
            } catch {
                #expect("\(error)".contains("invalid role \"sre\\nadmin\""), "\(error)")
            }
        }
    }

    @Test func messagesRenderBeforeTheyAreSentAndRefuseWhatDoesNotFit() async throws {
        try await Self.withIncident { _, client, incident in
            let initial = try await client.get(
                "/api/v1/incidents/\(incident.id)/messages/initial",
                as: PeopleRoutes.MessageAnswer.self
            )
            #expect(initial.text.hasPrefix("🚨 INCIDENT DETECTED 🚨\nSeverity: SEV-1\nService: checkout\n"))
            let customer = try await client.get(
                "/api/v1/incidents/\(incident.id)/messages/customer-initial",
                as: PeopleRoutes.MessageAnswer.self
            )
            #expect(customer.subject == "Service Disruption Notification")
            do {
                _ = try await client.get(
                    "/api/v1/incidents/\(incident.id)/messages/resolution",
                    as: PeopleRoutes.MessageAnswer.self
                )
                Issue.record("a resolution message for an open incident")
            } catch {
                #expect("\(error)".contains("409"), "\(error)")
            }
            #expect(await Self.run(["message", "\(incident.id)", "page"], client) == 0)
            #expect(await Self.run(["message", "\(incident.id)", "resolution"], client) == 1)
            #expect(await Self.run(["message", "\(incident.id)", "limerick"], client) == 2)
            #expect(await Self.run(["message", "999", "initial"], client) == 1)
            #expect(
                await Self.run(["postmortem", "\(incident.id)", "--final", "--by", "ana"], client) == 1,
                "an open incident's postmortem cannot be final"
            )
        }
    }

    @Test func aStatusUpdateIsRecordedAndAWrongOneIsRefused() async throws {
        try await Self.withIncident { coordinator, client, incident in
            #expect(
                await Self.run(
                    ["update", "\(incident.id)", "--status", "identified", "--message", "bad deploy", "--by", "ana"],
                    client
                ) == 0
            )
            let detail = try await client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self)
            #expect(detail.incident.status == .identified)
            #expect(detail.timeline.contains { $0.kind == .statusUpdate && $0.message == "status update (IDENTIFIED): bad deploy" })
            let updates = try await coordinator.database.statusUpdates(of: incident.id)
            #expect(updates.map(\.author) == ["ana"])

            #expect(await Self.run(["update", "\(incident.id)", "--status", "DONE", "--message", "x"], client) == 2)
            #expect(await Self.run(["update", "\(incident.id)", "--status", "IDENTIFIED", "--message", " "], client) == 2)
            do {
                _ = try await client.post(
                    "/api/v1/incidents/\(incident.id)/updates",
                    body: PeopleRoutes.UpdateBody(
                        status: "IDENTIFIED",
                        message: "x",
                        actionsTaken: Array(repeating: "a", count: 21),
                        by: "ana"
                    ),
                    as: StatusUpdate.self
                )
                Issue.record("21 actions accepted")
            } catch {
                #expect("\(error)".contains("actions_taken takes at most 20 items"), "\(error)")
            }
            #expect(try await coordinator.database.statusUpdates(of: incident.id).count == 1, "nothing half-written")
        }
    }

    @Test func aBoundSilenceTellsTheResponderWhenItExpiresAndEndsWithItsIncident() async throws {
        try await Self.withIncident { coordinator, client, incident in
            #expect(await Self.run(["ack", "\(incident.id)", "--silence", "--for", "1s", "--by", "bob"], client) == 0)
            #expect(await Self.run(["ack", "\(incident.id)", "--for", "2h", "--by", "bob"], client) == 2)
            let silences = try await client.get("/api/v1/silences", as: SilenceRoutes.SilenceList.self).silences
            #expect(silences.map(\.incidentID) == [incident.id])
            #expect(silences.first?.matcherText == "service=checkout kind=high_error_rate")

            // A second later the one-second silence has run out while the incident is still open.
            await coordinator.escalator.tick(now: Date().addingTimeInterval(5))
            var timeline = try await client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self).timeline
            #expect(timeline.contains { $0.kind == .silence && $0.message.contains("expired") && $0.message.contains("still INVESTIGATING") })

            // A longer one ends when the incident resolves.
            let bound = try await client.post(
                "/api/v1/incidents/\(incident.id)/silence",
                body: PeopleRoutes.SilenceBody(duration: "2h", by: "bob", reason: nil),
                as: Silence.self
            )
            #expect(await Self.run(["resolve", "\(incident.id)", "--force", "--by", "bob"], client) == 0)
            await coordinator.escalator.tick(now: Date().addingTimeInterval(10))
            let all = try await client.get("/api/v1/silences?all=true", as: SilenceRoutes.SilenceList.self).silences
            #expect(all.first { $0.id == bound.id }?.removedBy == "vigil")
            timeline = try await client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self).timeline
            #expect(timeline.contains { $0.message == "silence \(bound.id) ended: the incident resolved" })

            do {
                _ = try await client.post(
                    "/api/v1/incidents/\(incident.id)/silence",
                    body: PeopleRoutes.SilenceBody(duration: "2h", by: "bob", reason: nil),
                    as: Silence.self
                )
                Issue.record("a silence bound to a resolved incident")
            } catch {
                #expect("\(error)".contains("is resolved"), "\(error)")
            }
        }
    }
}
