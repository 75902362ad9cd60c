import Foundation
import Logging
import NIOCore
import NIOPosix
import Shared
import Testing

@testable import Agent

/// A command over a real TCP connection: a loopback peer plays the coordinator, the agent's real
/// `CoordinatorConnection` and `CommandExecutor` answer it.
@Suite(.timeLimit(.minutes(1)))
struct UplinkCommandTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aCommandIsAnsweredWithItsResult() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("restart.sh", "#!/bin/sh\necho restarted\n", executable: true)
        var policy = ActionPolicy()
        policy.restartService = .init(services: ["review-engine": [script]])
        let node = try #require(NodeID("web-1"))
        let executor = CommandExecutor(
            nodeID: node,
            policy: policy,
            log: try ExecutedCommandLog(directory: directory.path + "/state"),
            logger: Self.logger
        )
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: WireLimits())
                    return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(listener.channel.localAddress?.port)
        let connection = CoordinatorConnection(
            settings: .init(
                coordinator: HostPort(host: "127.0.0.1", port: port),
                hello: Hello(
                    nodeID: node,
                    agentVersion: "test",
                    hostname: "web-1",
                    allowedActions: policy.enabledActions.map(\.rawValue),
                    incarnation: 1
                ),
                limits: WireLimits(),
                connectTimeout: .seconds(2),
                backoffInitial: .milliseconds(50),
                backoffMaximum: .milliseconds(200)
            ),
            buffer: ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20)),
            catalog: SeriesCatalog(),
            statistics: UplinkStatistics(),
            commands: executor,
            logger: Self.logger
        )
        let now = Date()
        let commands = [
            CommandRequest(
                id: "cmd-1",
                targetNodeID: node,
                action: "restart_service",
                parameters: ["service": "review-engine"],
                issuedAt: now,
                expiresAt: now + 300,
                issuer: "test",
                nodeSequence: 1
            ),
            CommandRequest(
                id: "cmd-2",
                targetNodeID: node,
                action: "redis_flush_db",
                parameters: ["instance": "cache"],
                issuedAt: now,
                expiresAt: now + 300,
                issuer: "test",
                nodeSequence: 2
            ),
        ]

        let (hello, results) = try await withThrowingTaskGroup(of: (Hello?, [CommandResult]).self) { group in
            group.addTask {
                await executor.run()
                return (nil, [])
            }
            group.addTask {
                try await connection.run()
                return (nil, [])
            }
            let exchange = try await listener.executeThenClose { peers in
                for try await peer in peers {
                    return try await Self.coordinate(peer, sending: commands)
                }
                return (nil, [])
            }
            group.cancelAll()
            return exchange
        }
        #expect(hello?.allowedActions == ["restart_service"])
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.commandID, $0) })
        #expect(byID["cmd-1"]?.outcome == .succeeded)
        #expect(byID["cmd-1"]?.outputTail == "restarted\n")
        #expect(byID["cmd-2"]?.outcome == .refused)
        #expect(byID["cmd-2"]?.detail == "action redis_flush_db is not enabled in this agent's policy")
    }

    @Test func aResultFinishedWhileDisconnectedIsSentAfterConnectingAndAResendIsADuplicate() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("restart.sh", "#!/bin/sh\necho restarted\n", executable: true)
        var policy = ActionPolicy()
        policy.restartService = .init(services: ["review-engine": [script]])
        let node = try #require(NodeID("web-1"))
        let executor = CommandExecutor(
            nodeID: node,
            policy: policy,
            log: try ExecutedCommandLog(directory: directory.path + "/state"),
            logger: Self.logger
        )
        let now = Date()
        let command = CommandRequest(
            id: "cmd-1",
            targetNodeID: node,
            action: "restart_service",
            parameters: ["service": "review-engine"],
            issuedAt: now,
            expiresAt: now + 300,
            issuer: "test",
            nodeSequence: 1
        )
        let (events, announcer) = AsyncStream<UplinkEvent>.makeStream()
        await executor.setListener(announcer)
        let results = try await withThrowingTaskGroup(of: [CommandResult].self) { group in
            group.addTask {
                await executor.run()
                return []
            }
            // No connection yet: the result waits in the executor.
            #expect(executor.submit(command))
            for await event in events {
                if case .commandResultsAvailable = event { break }
            }
            await executor.setListener(nil)
            let listener = try await Self.listen()
            let port = try #require(listener.channel.localAddress?.port)
            group.addTask {
                try await Self.connection(to: port, node: node, executor: executor).run()
                return []
            }
            // The coordinator had no answer, so it sends the command again: the kept result arrives, and the
            // re-sent command is answered from the log.
            let exchange = try await listener.executeThenClose { peers in
                for try await peer in peers {
                    return try await Self.coordinate(peer, sending: [command], expecting: 2).1
                }
                return []
            }
            group.cancelAll()
            return exchange
        }
        #expect(results.map(\.outcome) == [.succeeded, .duplicate])
        #expect(results.map(\.commandID) == ["cmd-1", "cmd-1"])
    }

    private static func listen() async throws -> NIOAsyncChannel<NIOAsyncChannel<WireMessage, WireMessage>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: WireLimits())
                    return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private static func connection(to port: Int, node: NodeID, executor: CommandExecutor) -> CoordinatorConnection {
        CoordinatorConnection(
            settings: .init(
                coordinator: HostPort(host: "127.0.0.1", port: port),
                hello: Hello(nodeID: node, agentVersion: "test", hostname: "web-1", incarnation: 1),
                limits: WireLimits(),
                connectTimeout: .seconds(2),
                backoffInitial: .milliseconds(50),
                backoffMaximum: .milliseconds(200)
            ),
            buffer: ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20)),
            catalog: SeriesCatalog(),
            statistics: UplinkStatistics(),
            commands: executor,
            logger: logger
        )
    }

    /// Plays the coordinator on one connection: welcomes the agent, sends the commands and reads until each
    /// has its result.
    private static func coordinate(
        _ peer: NIOAsyncChannel<WireMessage, WireMessage>,
        sending commands: [CommandRequest],
        expecting count: Int? = nil
    ) async throws -> (Hello?, [CommandResult]) {
        try await peer.executeThenClose { inbound, outbound in
            var messages = inbound.makeAsyncIterator()
            guard case .hello(let hello)? = try await messages.next() else { return (nil, []) }
            try await outbound.write(
                .welcome(
                    Welcome(
                        reportInterval: .seconds(1),
                        serverTimeUnixMilliseconds: 0,
                        lastReceivedSeq: 0,
                        maximumFrameBytes: 1 << 20,
                        pingInterval: .seconds(30)
                    )
                )
            )
            try await outbound.write(contentsOf: commands.map(WireMessage.command))
            var results: [CommandResult] = []
            while results.count < (count ?? commands.count), let message = try await messages.next() {
                if case .commandResult(let result) = message { results.append(result) }
            }
            return (hello, results)
        }
    }
}
