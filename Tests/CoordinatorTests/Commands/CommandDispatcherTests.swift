import Foundation
import GRDB
import Shared
import Testing

@testable import Coordinator

/// The dispatcher behind a real coordinator, with agents over real sockets: commands are stored before they are
/// sent, reach their agent when it is connected, are sent again after a reconnect or a restart, and end once.
@Suite(.timeLimit(.minutes(1)))
struct CommandDispatcherTests {
    @Test func anIssuedCommandReachesTheConnectedAgentAndItsResultIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        let observer = RecordingCommandObserver()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, commandObserver: observer) {
            coordinator in
            let id = try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                let issued = try await coordinator.commands.issue(CommandFixtures.draft())
                let request = try await agent.answerNextCommand()
                #expect(request.id == issued.id.rawValue)
                #expect(request.nodeSequence == 1)
                #expect(request.action == "restart_service")
                #expect(request.parameters == ["service": "nginx"])
                #expect(request.issuer == "alice")
                #expect(request.incidentID == "1")
                #expect(request.targetNodeID == CommandFixtures.web1)
                #expect(request.expiresAt > request.issuedAt)
                #expect(!request.isDryRun)

                let finished = try await observer.next()
                #expect(finished.id == issued.id)
                #expect(finished.state == .finished)
                #expect(finished.result?.outcome == .succeeded)

                // A repeated result changes nothing but the audit log.
                try await agent.answer(request, outcome: .failed, exitCode: 1)
                try await agent.roundTrip()
                return issued.id
            }
            let stored = try #require(try await coordinator.database.command(id))
            #expect(stored.state == .finished)
            #expect(stored.attempts == 1)
            #expect(stored.result?.outcome == .succeeded)
            #expect(stored.result?.exitCode == 0)
            #expect(stored.result?.outputTail == "nginx restarted\n")
            let audit = try await coordinator.database.auditEntries(of: stored.id)
            #expect(audit.map(\.event) == [.issued, .sent, .result, .result])
            #expect(audit.first?.actor == "alice")
            #expect(audit.last?.detail.hasPrefix("repeated result ignored") == true)
            #expect(await coordinator.commands.counters.ignoredResults == 1)

            let timeline = try await coordinator.detection.detail(of: IncidentID(1)).timeline
            let lines = timeline.filter { $0.kind == .commandIssued || $0.kind == .commandFinished }
            #expect(lines.map(\.kind) == [.commandIssued, .commandFinished])
            #expect(lines.first?.actor == "alice")
            #expect(lines.last?.message == "restart_service on web-1: succeeded (exit 0) in 1.2 s: nginx restarted")
        }
    }

    @Test func aCommandForAnOfflineNodeIsStoredAndSentWhenItConnects() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        let observer = RecordingCommandObserver()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, commandObserver: observer) {
            coordinator in
            let issued = try await coordinator.commands.issue(CommandFixtures.draft())
            #expect(issued.state == .pending)
            #expect(issued.attempts == 0)
            #expect(try await coordinator.database.command(issued.id)?.state == .pending)
            try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                let request = try await agent.answerNextCommand()
                #expect(request.id == issued.id.rawValue)
                #expect(request.nodeSequence == issued.nodeSequence)
            }
            #expect(try await observer.next().result?.outcome == .succeeded)
            #expect(try await coordinator.database.command(issued.id)?.state == .finished)
        }
    }

    @Test func anUnansweredCommandIsSentAgainWithTheSameIDAndSequenceAfterAReconnect() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        let observer = RecordingCommandObserver()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, commandObserver: observer) {
            coordinator in
            let first = try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                _ = try await coordinator.commands.issue(CommandFixtures.draft())
                return try await agent.nextCommand()
            }
            let again = try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                try await agent.answerNextCommand(outcome: .refused, exitCode: 0, outputTail: "", detail: "not allowed")
            }
            #expect(again.id == first.id)
            #expect(again.nodeSequence == first.nodeSequence)
            let finished = try await observer.next()
            #expect(finished.result?.outcome == .refused)
            #expect(finished.attempts == 2)
            let audit = try await coordinator.database.auditEntries(of: finished.id)
            #expect(audit.map(\.event) == [.issued, .sent, .sent, .result])
            let timeline = try await coordinator.detection.detail(of: IncidentID(1)).timeline
            #expect(
                timeline.last { $0.kind == .commandFinished }?.message
                    == "restart_service on web-1: refused: not allowed"
            )
        }
    }

    @Test func anExpiredCommandIsNeverSentAndIsMarkedExpired() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        let observer = RecordingCommandObserver()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, commandObserver: observer) {
            coordinator in
            let stale = try await coordinator.commands.issue(CommandFixtures.draft(lifetime: .milliseconds(1)))
            let expired = try await observer.next()
            #expect(expired.id == stale.id)
            #expect(expired.state == .expired)
            try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                // Commands reach an agent in order: had the expired one been sent, it would come first.
                let fresh = try await coordinator.commands.issue(CommandFixtures.draft())
                let request = try await agent.answerNextCommand()
                #expect(request.id == fresh.id.rawValue)
                #expect(request.nodeSequence == stale.nodeSequence + 1)
            }
            let stored = try #require(try await coordinator.database.command(stale.id))
            #expect(stored.state == .expired)
            #expect(stored.attempts == 0)
            #expect(stored.result == nil)
            #expect(try await coordinator.database.auditEntries(of: stale.id).map(\.event) == [.issued, .expired])
            let timeline = try await coordinator.detection.detail(of: IncidentID(1)).timeline
            #expect(timeline.contains { $0.message == "restart_service on web-1: expired without a result" })
        }
    }

    @Test func aCommandForAnUnknownNodeOrIncidentIsRefusedAndAudited() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let ghost = try #require(NodeID("ghost"))
            await #expect(throws: CommandDispatchError.unknownNode(ghost)) {
                try await coordinator.commands.issue(CommandFixtures.draft(node: ghost))
            }
            await #expect(throws: CommandDispatchError.unknownIncident(IncidentID(99))) {
                try await coordinator.commands.issue(CommandFixtures.draft(incident: IncidentID(99)))
            }
            #expect(try await coordinator.database.commands(matching: CommandQuery()).isEmpty)
            let refusals = try await coordinator.database.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT detail FROM auditEntry WHERE event = 'refused_by_coordinator' ORDER BY id"
                )
            }
            #expect(refusals == ["no node ghost", "no incident 99"])
        }
    }

    @Test func aCommandIssuedBeforeARestartIsSentAgainAndItsResultRecordedOnce() async throws {
        let directory = try TemporaryDirectory()
        try await CommandFixtures.seed(directory.path)
        let first = try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                _ = try await coordinator.commands.issue(CommandFixtures.draft())
                return try await agent.nextCommand()
            }
        }
        let observer = RecordingCommandObserver()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, commandObserver: observer) {
            coordinator in
            let id = CommandID(first.id)
            #expect(try await coordinator.database.command(id)?.state == .sent)
            let again = try await TestAgent.withWelcome(port: coordinator.agentPort, node: "web-1") { agent in
                let request = try await agent.answerNextCommand()
                // The agent ran it once; a repeat answers duplicate, which is not a second result.
                try await agent.answer(request, outcome: .duplicate)
                try await agent.roundTrip()
                return request
            }
            #expect(again.id == first.id)
            #expect(again.nodeSequence == first.nodeSequence)
            #expect(try await observer.next().result?.outcome == .succeeded)
            let stored = try #require(try await coordinator.database.command(id))
            #expect(stored.state == .finished)
            #expect(stored.result?.outcome == .succeeded)
            #expect(stored.attempts == 2)
            let audit = try await coordinator.database.auditEntries(of: id)
            #expect(audit.map(\.event) == [.issued, .sent, .sent, .result, .result])
            #expect(audit.filter { $0.event == .result && !$0.detail.hasPrefix("repeated") }.count == 1)
            let timeline = try await coordinator.detection.detail(of: IncidentID(1)).timeline
            #expect(timeline.filter { $0.kind == .commandFinished }.count == 1)
            #expect(timeline.filter { $0.kind == .commandIssued }.count == 1)
        }
    }
}
