import Foundation
import Logging
import Shared
import Synchronization
import Testing

@testable import Agent

/// The executor's answers: refusals, dry runs, expiry, duplicates and unknowns, with real scripts and a real log.
@Suite(.timeLimit(.minutes(1)))
struct CommandExecutorTests {
    static let node = NodeID("web-1") ?? .localhost
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let issued = Date(timeIntervalSince1970: 1_800_000_000)

    /// A clock the test sets.
    final class TestClock: Sendable {
        private let value = Mutex(CommandExecutorTests.issued)
        var now: Date { value.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { value.withLock { $0 += seconds } }
    }

    /// A policy whose `restart_service` appends a line to a file each time it runs.
    struct Fixture {
        let directory: TemporaryDirectory
        let counter: String
        let policy: ActionPolicy

        init() throws {
            directory = try TemporaryDirectory()
            counter = directory.path + "/runs"
            let script = try directory.write(
                "restart.sh",
                "#!/bin/sh\necho ran >> \"$1\"\necho restarted\n",
                executable: true
            )
            var policy = ActionPolicy()
            policy.restartService = .init(services: ["review-engine": [script, directory.path + "/runs"]])
            policy.redisSetMaxMemory = .init(
                instances: [
                    "cache": RedisInstance(name: "cache", options: .init(address: HostPort(host: "127.0.0.1", port: 1)))
                ],
                minimumBytes: 1_000,
                maximumBytes: 2_000
            )
            policy.limits[.restartService] = .init(timeout: .seconds(20), runsPerHour: 2)
            self.policy = policy
        }

        var runs: Int { ((try? directory.read("runs")) ?? "").split(separator: "\n").count }

        func executor(clock: TestClock) throws -> CommandExecutor {
            let log = try ExecutedCommandLog(directory: directory.path + "/state")
            return CommandExecutor(nodeID: node, policy: policy, log: log, now: { clock.now }, logger: logger)
        }
    }

    static func command(
        _ id: String,
        _ action: String = "restart_service",
        _ parameters: [String: String] = ["service": "review-engine"],
        node: NodeID = CommandExecutorTests.node,
        dryRun: Bool = false,
        expiresIn: TimeInterval = 300
    ) -> CommandRequest {
        CommandRequest(
            id: id,
            targetNodeID: node,
            action: action,
            parameters: parameters,
            issuedAt: issued,
            expiresAt: issued + expiresIn,
            isDryRun: dryRun,
            issuer: "test",
            nodeSequence: 1
        )
    }

    @Test func runsAPermittedCommand() async throws {
        let fixture = try Fixture()
        let executor = try fixture.executor(clock: TestClock())
        let result = try #require(await executor.execute(Self.command("c1")))
        #expect(result.outcome == .succeeded)
        #expect(result.outputTail == "restarted\n")
        #expect(result.exitCode == 0)
        #expect(fixture.runs == 1)
    }

    @Test(arguments: [
        (
            CommandExecutorTests.command("r1", "redis_flush_db", ["instance": "cache"]),
            "action redis_flush_db is not enabled in this agent's policy"
        ),
        (CommandExecutorTests.command("r2", "reboot", [:]), "action \"reboot\" is not one this agent knows"),
        (
            CommandExecutorTests.command("r3", "restart_service", ["service": "database"]),
            "service \"database\" is not allowed for restart_service"
        ),
        (CommandExecutorTests.command("r4", "restart_service", [:]), "restart_service needs parameter \"service\""),
        (
            CommandExecutorTests.command("r5", "restart_service", ["service": "review-engine", "argv": "/bin/sh"]),
            "parameter \"argv\" is not one restart_service takes"
        ),
        (
            CommandExecutorTests.command("r6", "redis_set_maxmemory", ["instance": "cache", "bytes": "5000"]),
            "bytes 5000 is outside 1000...2000 allowed for redis_set_maxmemory on instance cache"
        ),
        (
            CommandExecutorTests.command("r7", "redis_set_maxmemory", ["instance": "cache", "bytes": "lots"]),
            "bytes \"lots\" is not a whole number of bytes"
        ),
        (
            CommandExecutorTests.command("r8", node: NodeID("web-2") ?? .localhost),
            "command for node web-2 reached node web-1"
        ),
    ])
    func refusesWhatThePolicyDoesNotAllow(request: CommandRequest, reason: String) async throws {
        let fixture = try Fixture()
        let executor = try fixture.executor(clock: TestClock())
        let result = try #require(await executor.execute(request))
        #expect(result.outcome == .refused)
        #expect(result.detail == reason)
        #expect(fixture.runs == 0)
    }

    @Test func refusesPastTheHourlyLimitAndAllowsAgainAnHourLater() async throws {
        let fixture = try Fixture()
        let clock = TestClock()
        let executor = try fixture.executor(clock: clock)
        #expect(await executor.execute(Self.command("a", expiresIn: 10_000))?.outcome == .succeeded)
        #expect(await executor.execute(Self.command("b", expiresIn: 10_000))?.outcome == .succeeded)
        let third = try #require(await executor.execute(Self.command("c", expiresIn: 10_000)))
        #expect(third.outcome == .refused)
        #expect(third.detail == "rate limit: restart_service ran 2 times in the last hour (max_runs_per_hour 2)")
        clock.advance(3_601)
        #expect(await executor.execute(Self.command("d", expiresIn: 10_000))?.outcome == .succeeded)
        #expect(fixture.runs == 3)
    }

    @Test func dryRunValidatesAndRunsNothing() async throws {
        let fixture = try Fixture()
        let executor = try fixture.executor(clock: TestClock())
        let result = try #require(await executor.execute(Self.command("c1", dryRun: true)))
        #expect(result.outcome == .succeeded)
        #expect(result.detail.hasPrefix("dry run: would restart review-engine with "))
        let refused = try #require(
            await executor.execute(Self.command("c2", "restart_service", ["service": "x"], dryRun: true))
        )
        #expect(refused.outcome == .refused)
        #expect(fixture.runs == 0)
    }

    @Test func anExpiredCommandDoesNotRun() async throws {
        let fixture = try Fixture()
        let clock = TestClock()
        clock.advance(301)
        let executor = try fixture.executor(clock: clock)
        let result = try #require(await executor.execute(Self.command("c1")))
        #expect(result.outcome == .expired)
        #expect(fixture.runs == 0)
    }

    @Test func aCommandRunsOnceEvenAfterARestart() async throws {
        let fixture = try Fixture()
        let clock = TestClock()
        let first = try #require(await fixture.executor(clock: clock).execute(Self.command("c1")))
        #expect(first.outcome == .succeeded)
        // A new executor and log on the same directory: the agent restarted.
        let again = try #require(await fixture.executor(clock: clock).execute(Self.command("c1")))
        #expect(again.outcome == .duplicate)
        #expect(again.detail == "already ran: succeeded: \(first.detail)")
        #expect(again.outputTail == "restarted\n")
        #expect(fixture.runs == 1)
    }

    @Test func aCommandStartedButNeverFinishedIsUnknownAndNotRerun() async throws {
        let fixture = try Fixture()
        do {
            // The agent wrote its `started` record and then crashed.
            let log = try ExecutedCommandLog(directory: fixture.directory.path + "/state")
            try log.recordStarted(id: "c1", action: "restart_service", at: Self.issued)
        }
        let result = try #require(await fixture.executor(clock: TestClock()).execute(Self.command("c1")))
        #expect(result.outcome == .unknown)
        #expect(result.detail.hasSuffix("but the agent stopped before it finished; not run again"))
        #expect(fixture.runs == 0)
    }
}
