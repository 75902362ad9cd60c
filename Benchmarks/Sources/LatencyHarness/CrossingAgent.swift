import Foundation
import NIOCore
import NIOPosix
import Shared

/// When a crossing report was handed to the socket, on both clocks.
public struct Sent: Sendable {
    public var at: ContinuousClock.Instant
    public var wallClock: Date

    public static var now: Sent { Sent(at: .now, wallClock: Date()) }
}

/// One simulated agent: a node of its own service whose third report shows a 10 % error ratio. Returns when that
/// report was handed to the socket.
@discardableResult
public func playCrossingAgent(index: Int, port: Int) async throws -> Sent {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: WireLimits())
                return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        var messages = inbound.makeAsyncIterator()
        func next() async throws -> WireMessage {
            while let message = try await messages.next() {
                if case .ping = message { continue }
                return message
            }
            throw ToolError("the coordinator closed the connection")
        }
        let node = NodeID("bench-\(index)") ?? .localhost
        let hello = Hello(
            nodeID: node,
            agentVersion: "bench",
            hostname: "bench",
            labels: ["service": crossingService(index)],
            incarnation: 1
        )
        try await outbound.write(.hello(hello))
        guard case .welcome = try await next() else { throw ToolError("no welcome for \(node)") }
        let requests = SeriesDescriptor(name: "app_requests_total", kind: .counter)
        let errors = SeriesDescriptor(name: "app_request_errors_total", kind: .counter)
        let now = Date()
        // Collected 2 s and 1 s ago, then now: the window holds all three when the last one arrives.
        let points: [(TimeInterval, Double, Double)] = [(-2, 0, 0), (-1, 1000, 0), (0, 2000, 200)]
        var crossingSent = Sent.now
        for (seq, point) in points.enumerated() {
            let report = Report(
                seq: UInt64(seq + 1),
                collectedAt: now.addingTimeInterval(point.0),
                declarations: seq == 0
                    ? [SeriesDeclaration(id: SeriesID(1), series: requests), SeriesDeclaration(id: SeriesID(2), series: errors)]
                    : [],
                samples: [
                    Sample(seriesID: SeriesID(1), value: .number(point.1)),
                    Sample(seriesID: SeriesID(2), value: .number(point.2)),
                ]
            )
            crossingSent = .now
            try await outbound.write(.report(report))
            guard case .reportAck = try await next() else { throw ToolError("no ack for \(node)") }
        }
        return crossingSent
    }
}

/// The service of crossing agent `index`.
public func crossingService(_ index: Int) -> String { "svc-\(index)" }
