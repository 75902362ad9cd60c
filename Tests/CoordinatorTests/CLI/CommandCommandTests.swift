import ArgumentParser
import Foundation
import Shared
import Testing

@testable import Coordinator

/// `vigil remediate` and `vigil commands`: arguments and what they print, without a process or a server.
@Suite struct CommandCommandTests {
    @Test func remediateIsParsed() throws {
        let command = try CoordinatorCommand.parseAsRoot([
            "remediate", "--node", "web-1", "--action", "redis_delete_keys", "--param", "instance=cache", "--param",
            "pattern=a=b*", "--dry-run", "--incident", "#4", "--by", "alice", "--wait", "--output", "json",
        ])
        let remediate = try #require(command as? RemediateCommand)
        #expect(remediate.node == "web-1")
        #expect(try remediate.parsedParameters() == ["instance": "cache", "pattern": "a=b*"])
        #expect(remediate.dryRun && remediate.wait)
        #expect(remediate.incident == "#4")
        #expect(remediate.client.output == .json)
    }

    @Test func commandsIsParsed() throws {
        let command = try CoordinatorCommand.parseAsRoot([
            "commands", "--incident", "3", "--node", "web-1", "--state", "pending,sent",
        ])
        let commands = try #require(command as? CommandsCommand)
        #expect(commands.incident == "3" && commands.node == "web-1" && commands.state == "pending,sent")
    }

    @Test(arguments: [
        (
            ["remediate", "--node", "web-1", "--action", "reboot"],
            "invalid --action \"reboot\": use one of restart_service, signal_process, redis_delete_keys"
        ),
        (["remediate", "--node", "web-1", "--action", "restart_service", "--param", "service"], "invalid --param"),
        (["remediate", "--node", "web-1", "--action", "restart_service", "--incident", "x"], "invalid incident id"),
        (["remediate", "--node", "bad node", "--action", "restart_service"], "invalid --node"),
        (["commands", "--state", "done"], "invalid --state \"done\": use pending, sent, finished, expired"),
        (["commands", "--incident", "0"], "invalid --incident \"0\""),
    ])
    func badArgumentsAreUsageErrorsNamingThem(_ arguments: [String], _ expected: String) async {
        let error = #expect(throws: (any Error).self) { try CoordinatorCommand.parseAsRoot(arguments) }
        let message = error.map { CoordinatorCommand.message(for: $0) } ?? ""
        #expect(message.hasPrefix(expected), "got \(message)")
        #expect(await CoordinatorCommand.runMain(arguments: arguments) == 2)
    }

    @Test func theListShowsOneLinePerCommand() throws {
        let issuedAt = Date(timeIntervalSince1970: 1_750_000_000)
        var command = RemediationCommand(
            id: CommandID("cmd-1"),
            incidentID: IncidentID(4),
            node: NodeID("web-1") ?? .localhost,
            action: .restartService,
            parameters: ["service": "nginx"],
            isDryRun: false,
            issuer: "alice",
            nodeSequence: 1,
            issuedAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(300),
            state: .finished,
            attempts: 1,
            lastSentAt: issuedAt,
            result: RemediationCommand.Result(
                outcome: .succeeded,
                exitCode: 0,
                outputTail: "ok",
                startedAt: issuedAt,
                finishedAt: issuedAt.addingTimeInterval(1.2),
                detail: "",
                receivedAt: issuedAt.addingTimeInterval(2)
            )
        )
        var text = ""
        try CommandListView(commands: [command]).write(as: .table, to: &text, now: issuedAt.addingTimeInterval(120))
        #expect(
            text == """
                ID     NODE   ACTION           STATE     OUTCOME    ISSUED  ISSUER  INCIDENT
                cmd-1  web-1  restart_service  finished  succeeded  2m ago  alice   #4

                """
        )
        command.result = nil
        command.state = .pending
        command.incidentID = nil
        var json = ""
        try CommandListView(commands: [command]).write(as: .json, to: &json)
        let decoded = try APIJSON.makeDecoder().decode(CommandRoutes.CommandList.self, from: Data(json.utf8))
        #expect(decoded.commands.first?.id == command.id)
        #expect(decoded.commands.first?.state == .pending)
        var empty = ""
        try CommandListView(commands: []).write(as: .table, to: &empty)
        #expect(empty == "no commands\n")
    }
}
