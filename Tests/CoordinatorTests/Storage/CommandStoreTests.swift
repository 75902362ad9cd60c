import Foundation
import GRDB
import Shared
import Testing

@testable import Coordinator

/// Commands and their audit log in SQLite: every field round trips, queries select and order, and the schema
/// refuses what the code never writes.
@Suite struct CommandStoreTests {
    private static let issuedAt = Date(timeIntervalSince1970: 1_796_000_000.25)

    private static func command(
        _ id: String,
        node: String = "web-1",
        sequence: UInt64,
        state: RemediationCommand.State = .pending,
        incident: IncidentID? = nil,
        issuedAt: Date = issuedAt
    ) -> RemediationCommand {
        RemediationCommand(
            id: CommandID(id),
            incidentID: incident,
            node: NodeID(node) ?? .localhost,
            action: .redisDeleteKeys,
            parameters: ["instance": "cache", "pattern": "session:*"],
            isDryRun: true,
            issuer: "alice",
            nodeSequence: sequence,
            issuedAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(300),
            state: state,
            attempts: 0,
            lastSentAt: nil,
            result: nil
        )
    }

    private static func entry(_ command: RemediationCommand, _ event: CommandAuditEntry.Event) -> CommandAuditEntry {
        CommandAuditEntry(
            time: issuedAt,
            actor: "alice",
            commandID: command.id,
            node: command.node,
            action: command.action,
            event: event,
            detail: "detail"
        )
    }

    @Test func aCommandRoundTripsWithItsResultAndAuditLog() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        try await database.apply([.saveIncident(IncidentFixtures.incident(1))])
        var command = Self.command("cmd-1", sequence: 1, incident: IncidentID(1))
        try await database.save(command, appending: [Self.entry(command, .issued)])
        #expect(try await database.command(command.id) == command)

        command.state = .finished
        command.attempts = 2
        command.lastSentAt = Self.issuedAt.addingTimeInterval(1)
        command.result = RemediationCommand.Result(
            outcome: .failed,
            exitCode: 3,
            outputTail: "line one\nline two",
            startedAt: Self.issuedAt.addingTimeInterval(2),
            finishedAt: Self.issuedAt.addingTimeInterval(3.5),
            detail: "exit status 3",
            receivedAt: Self.issuedAt.addingTimeInterval(4)
        )
        try await database.save(command, appending: [Self.entry(command, .sent), Self.entry(command, .result)])
        #expect(try await database.command(command.id) == command)
        #expect(try await database.auditEntries(of: command.id).map(\.event) == [.issued, .sent, .result])
        #expect(try await database.unfinishedCommands().isEmpty)

        // A late write of a waiting state never takes a finished command back.
        var stale = command
        stale.state = .sent
        stale.result = nil
        try await database.save(stale, appending: [Self.entry(command, .sent)])
        #expect(try await database.command(command.id) == command)
        #expect(try await database.auditEntries(of: command.id).count == 4)
    }

    @Test func queriesSelectByIncidentNodeAndStateNewestFirst() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        try await database.apply([.saveIncident(IncidentFixtures.incident(1))])
        let commands = [
            Self.command("cmd-a", sequence: 1, state: .expired, issuedAt: Self.issuedAt),
            Self.command("cmd-b", sequence: 2, state: .sent, incident: IncidentID(1), issuedAt: Self.issuedAt + 10),
            Self.command("cmd-c", node: "web-2", sequence: 1, issuedAt: Self.issuedAt + 20),
            Self.command("cmd-d", sequence: 3, issuedAt: Self.issuedAt + 30),
        ]
        for command in commands { try await database.save(command, appending: []) }

        let all = try await database.commands(matching: CommandQuery())
        #expect(all.map(\.id.rawValue) == ["cmd-d", "cmd-c", "cmd-b", "cmd-a"])
        let web1 = try await database.commands(matching: CommandQuery(node: NodeID("web-1")))
        #expect(web1.map(\.id.rawValue) == ["cmd-d", "cmd-b", "cmd-a"])
        let forIncident = try await database.commands(matching: CommandQuery(incidentID: IncidentID(1)))
        #expect(forIncident.map(\.id.rawValue) == ["cmd-b"])
        let waiting = try await database.commands(matching: CommandQuery(states: [.pending, .sent], limit: 2))
        #expect(waiting.map(\.id.rawValue) == ["cmd-d", "cmd-c"])
        #expect(try await database.commands(matching: CommandQuery(limit: 0)).isEmpty)

        #expect(try await database.unfinishedCommands().map(\.id.rawValue) == ["cmd-b", "cmd-d", "cmd-c"])
        #expect(try await database.nextNodeSequence(for: NodeID("web-1") ?? .localhost) == 4)
        #expect(try await database.nextNodeSequence(for: NodeID("web-2") ?? .localhost) == 2)
        #expect(try await database.nextNodeSequence(for: NodeID("web-9") ?? .localhost) == 1)
    }

    @Test func schemaRefusesWhatTheCodeNeverWrites() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        try await database.save(Self.command("cmd-1", sequence: 1), appending: [])
        let statements = [
            // The same sequence twice on one node.
            "INSERT INTO command SELECT 'cmd-2', incidentId, node, action, parameters, isDryRun, issuer, nodeSequence, "
                + "issuedAt, expiresAt, state, attempts, lastSentAt, resultOutcome, resultExitCode, resultOutputTail, "
                + "resultStartedAt, resultFinishedAt, resultDetail, resultReceivedAt FROM command",
            "UPDATE command SET action = 'format_disk'",
            "UPDATE command SET state = 'lost'",
            // Finished without an outcome.
            "UPDATE command SET state = 'finished'",
            "UPDATE command SET incidentId = 42",
        ]
        for statement in statements {
            #expect(throws: DatabaseError.self, "\(statement)") {
                try database.writer.write { db in try db.execute(sql: statement) }
            }
        }
        // Every action the code knows is allowed.
        for (offset, action) in ActionName.allCases.enumerated() {
            var command = Self.command("cmd-action-\(offset)", sequence: UInt64(offset + 10))
            command.action = action
            try await database.save(command, appending: [Self.entry(command, .issued)])
        }
    }

    @Test func theAuditLogIsAppendOnly() async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        let command = Self.command("cmd-1", sequence: 1)
        try await database.appendAudit([Self.entry(command, .refusedByCoordinator)])
        for statement in ["UPDATE auditEntry SET detail = 'changed'", "DELETE FROM auditEntry"] {
            #expect(throws: DatabaseError.self) {
                try database.writer.write { db in try db.execute(sql: statement) }
            }
        }
        #expect(try await database.auditEntries(of: command.id).map(\.detail) == ["detail"])
    }
}
