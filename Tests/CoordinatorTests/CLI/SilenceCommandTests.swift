import ArgumentParser
import Foundation
import Shared
import Testing

@testable import Coordinator

/// `vigil silence`: arguments and what it prints, without a process or a server.
@Suite struct SilenceCommandTests {
    @Test func addIsParsed() throws {
        let command = try CoordinatorCommand.parseAsRoot([
            "silence", "add", "--node", "web-1", "--kind", "memory_leak", "--starts-at", "+30m", "--for", "2h",
            "--reason", "kernel upgrade", "--by", "alice", "--output", "json",
        ])
        let add = try #require(command as? SilenceCommand.Add)
        #expect(add.node == "web-1" && add.kind == "memory_leak" && add.service == nil)
        #expect(add.startsAt == "+30m" && add.duration == "2h" && add.until == nil)
        #expect(add.reason == "kernel upgrade")
        #expect(add.client.output == .json)
    }

    @Test func listAndRemoveAreParsed() throws {
        let list = try #require(
            try CoordinatorCommand.parseAsRoot(["silence", "list", "--all"]) as? SilenceCommand.List
        )
        #expect(list.all)
        let remove = try #require(
            try CoordinatorCommand.parseAsRoot(["silence", "remove", "sil-1", "--by", "bob"]) as? SilenceCommand.Remove
        )
        #expect(remove.id == "sil-1")
    }

    @Test(arguments: [
        (["silence", "add", "--for", "2h", "--reason", "r"], "give at least one of --node, --service or --kind"),
        (["silence", "add", "--service", "api", "--reason", "r"], "give --for or --until"),
        (
            ["silence", "add", "--service", "api", "--for", "2h", "--until", "+3h", "--reason", "r"],
            "give --for or --until, not both"
        ),
        (["silence", "add", "--service", "api", "--for", "later", "--reason", "r"], "invalid --for \"later\""),
        (["silence", "add", "--service", "api", "--until", "friday", "--reason", "r"], "invalid --until \"friday\""),
        (
            ["silence", "add", "--service", "api", "--for", "2h", "--starts-at", "30m", "--reason", "r"],
            "invalid --starts-at \"30m\""
        ),
        (["silence", "add", "--node", "bad node", "--for", "2h", "--reason", "r"], "invalid --node"),
        (["silence", "add", "--service", "api", "--for", "2h", "--reason", " "], "--reason must be 1 to 4000"),
        (["silence", "remove", " "], "invalid silence id"),
    ])
    func badArgumentsAreUsageErrorsNamingThem(_ arguments: [String], _ expected: String) async {
        let error = #expect(throws: (any Error).self) { try CoordinatorCommand.parseAsRoot(arguments) }
        let message = error.map { CoordinatorCommand.message(for: $0) } ?? ""
        #expect(message.hasPrefix(expected), "got \(message)")
        #expect(await CoordinatorCommand.runMain(arguments: arguments) == 2)
    }

    @Test func theListShowsOneLinePerSilence() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let silence = Silence(
            id: SilenceID("sil-1"),
            node: NodeID("web-1"),
            service: "api",
            kind: nil,
            startsAt: now.addingTimeInterval(600),
            endsAt: now.addingTimeInterval(4_200),
            createdBy: "alice",
            reason: "kernel upgrade",
            createdAt: now
        )
        var text = ""
        try SilenceListView(silences: [silence]).write(as: .table, to: &text, now: now)
        #expect(
            text == """
                ID     MATCHES                 STATE      STARTS                ENDS                  BY     REASON
                sil-1  node=web-1 service=api  scheduled  2027-01-15 08:10:00Z  2027-01-15 09:10:00Z  alice  kernel upgrade

                """
        )
        var empty = ""
        try SilenceListView(silences: []).write(as: .table, to: &empty, now: now)
        #expect(empty == "no silences\n")
    }
}
