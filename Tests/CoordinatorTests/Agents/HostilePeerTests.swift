import Foundation
import NIOCore
import Shared
import Testing

@testable import Coordinator

/// Bad input on the agent port, over real sockets: each gets a `Reject` naming the problem (where the peer
/// is still there to read it), and a well-behaved agent connected throughout keeps being served.
@Suite(.timeLimit(.minutes(1)))
struct HostilePeerTests {
    struct HostileCase: Sendable, CustomTestStringConvertible {
        var name: String
        var chunks: [[UInt8]]
        var pause: Duration = .zero
        var closeAfterSending = false
        /// The reasons acceptable in the `Reject`; empty when the peer closed before one could be read.
        var reasons: Set<Reject.Reason>
        var detail: String = ""

        var testDescription: String { name }
    }

    static let cases: [HostileCase] = [
        HostileCase(name: "zero length", chunks: [[0, 0, 0, 0]], reasons: [.malformedFrame], detail: "zero bytes"),
        HostileCase(
            name: "length over the limit",
            chunks: [[0x00, 0x10, 0x00, 0x01]],
            reasons: [.frameTooLarge],
            detail: "1048577 bytes exceeds the 1048576-byte limit"
        ),
        HostileCase(name: "length 0xFFFFFFFF", chunks: [[0xFF, 0xFF, 0xFF, 0xFF]], reasons: [.frameTooLarge]),
        HostileCase(
            name: "HTTP request",
            chunks: [Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)],
            reasons: [.frameTooLarge],
            detail: "this is HTTP"
        ),
        HostileCase(
            name: "TLS ClientHello",
            chunks: [[0x16, 0x03, 0x01, 0x00, 0xF1, 0x01, 0x00, 0x00, 0xED, 0x03, 0x03] + Array(repeating: 0x42, count: 32)],
            reasons: [.frameTooLarge],
            detail: "TLS"
        ),
        HostileCase(
            name: "truncated frame then EOF",
            chunks: [[0, 0, 0, 50, 1, 2, 3]],
            closeAfterSending: true,
            reasons: []
        ),
        HostileCase(
            name: "random payload",
            chunks: [RawPeer.frame([0xFF, 0x13, 0x88, 0x01, 0xC7, 0x5A, 0x00, 0xFE, 0x9B])],
            reasons: [.malformedFrame, .protocolViolation]
        ),
        HostileCase(
            name: "unknown message kind instead of hello",
            chunks: [RawPeer.frame([0x9A, 0x06, 0x02, 0x08, 0x01])],
            reasons: [.protocolViolation],
            detail: "expected hello"
        ),
        HostileCase(
            name: "hello with an invalid node id",
            chunks: [RawPeer.frame([0x0A, 0x09, 0x12, 0x07] + Array("bad id!".utf8))],
            reasons: [.invalidHello],
            detail: "node id \"bad id!\" is invalid"
        ),
        HostileCase(
            name: "report before hello",
            chunks: [RawPeer.frame((try? WireMessage.reportAck(ReportAck(seq: 1)).serializedBytes()) ?? [])],
            reasons: [.protocolViolation],
            detail: "expected hello as the first message, got report_ack"
        ),
        HostileCase(
            name: "header then one byte at a time, too slowly",
            chunks: [[0, 0, 0, 20], [1], [2], [3]],
            pause: .milliseconds(250),
            reasons: [.timeout],
            detail: "did not complete"
        ),
    ]

    @Test(arguments: cases)
    func badInputIsRefusedAndOthersAreStillServed(_ hostile: HostileCase) async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { good in
            guard case .welcome = try await good.hello(node: "good-1") else {
                throw CoordinatorTestError.unexpected("no welcome for the good agent")
            }
            #expect(try await good.report(seq: 1) == .reportAck(ReportAck(seq: 1)))

            let exchange = try await RawPeer.exchange(
                port: coordinator.agentPort,
                chunks: hostile.chunks,
                pause: hostile.pause,
                closeAfterSending: hostile.closeAfterSending
            )
            if hostile.reasons.isEmpty {
                #expect(exchange.received.isEmpty)
            } else {
                let reject = try #require(exchange.reject, "no reject in \(exchange.received.count) bytes")
                #expect(hostile.reasons.contains(reject.reason), "got \(reject)")
                #expect(hostile.detail.isEmpty || reject.detail.contains(hostile.detail), "got \(reject.detail)")
            }

            #expect(try await good.report(seq: 2, declare: false) == .reportAck(ReportAck(seq: 2)))
            #expect(await coordinator.fleet.summary(of: NodeID("good-1") ?? .localhost)?.reportsReceived == 2)
            }
        }
    }

    @Test func wrongProtocolMajorIsRejected() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let answer = try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                try await agent.hello(node: "future-1", version: ProtocolVersion(major: 2, minor: 0))
            }
            guard case .reject(let reject) = answer else {
                throw CoordinatorTestError.unexpected("expected reject, got \(answer)")
            }
            #expect(reject.reason == .versionMismatch)
            #expect(reject.detail == "agent speaks protocol 2.0, coordinator speaks 1.0")
            #expect(await coordinator.registry.counters.sessionsRejected["version_mismatch"] == 1)
        }
    }

    @Test func aSecondLiveConnectionForTheSameNodeIsRejected() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { first in
                guard case .welcome = try await first.hello(node: "web-1") else {
                    throw CoordinatorTestError.unexpected("no welcome")
                }
                let answer = try await TestAgent.withConnection(port: coordinator.agentPort) { second in
                    try await second.hello(node: "web-1")
                }
                guard case .reject(let reject) = answer else {
                    throw CoordinatorTestError.unexpected("second session was accepted")
                }
                #expect(reject.reason == .duplicateNode)
                #expect(reject.detail.hasPrefix("node web-1 already has a live session from"))
                #expect(try await first.report(seq: 1) == .reportAck(ReportAck(seq: 1)), "the first session is untouched")
            }
        }
    }

    @Test func unknownMessageKindAfterHelloIsCountedAndIgnored() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let hello = WireMessage.hello(Hello(nodeID: NodeID("web-1") ?? .localhost, agentVersion: "t", hostname: "h", incarnation: 1))
            let report = WireMessage.report(
                Report(
                    seq: 1,
                    collectedAt: Date(),
                    declarations: [SeriesDeclaration(id: SeriesID(1), series: SeriesDescriptor(name: "g", kind: .gauge))],
                    samples: [Sample(seriesID: SeriesID(1), value: .number(1))]
                )
            )
            // Hello, a message kind from a newer version, a report, then a zero-length frame to end the session.
            let exchange = try await RawPeer.exchange(
                port: coordinator.agentPort,
                chunks: [
                    RawPeer.frame(try hello.serializedBytes()) + RawPeer.frame([0x9A, 0x06, 0x02, 0x08, 0x01])
                        + RawPeer.frame(try report.serializedBytes()) + [0, 0, 0, 0]
                ]
            )
            let kinds = exchange.messages.map(\.kindName)
            #expect(kinds == ["welcome", "report_ack", "reject"])
            #expect(exchange.messages.dropFirst().first == .reportAck(ReportAck(seq: 1)))
            #expect(await coordinator.registry.counters.unknownMessages == 1)
        }
    }

    @Test func aReportNamingAnUndeclaredSeriesIsRefusedThenAcceptedOnceDeclared() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "web-1")
                guard case .reportRefusal(let refusal) = try await agent.report(seq: 1, declare: false) else {
                    throw CoordinatorTestError.unexpected("undeclared series accepted")
                }
                #expect(refusal.reason == .unknownSeries)
                #expect(refusal.seq == 1)
                #expect(try await agent.report(seq: 1, declare: true) == .reportAck(ReportAck(seq: 1)))
            }
        }
    }

    @Test func duplicateReportsAreAcknowledgedButCountedOnce() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "web-1")
                #expect(try await agent.report(seq: 1, value: 5) == .reportAck(ReportAck(seq: 1)))
                #expect(try await agent.report(seq: 1, value: 9) == .reportAck(ReportAck(seq: 1)))
                let summary = await coordinator.fleet.summary(of: NodeID("web-1") ?? .localhost)
                #expect(summary?.reportsReceived == 1)
                #expect(summary?.duplicateReports == 1)
                #expect(summary?.value(of: "system_load1") == 5, "a duplicate never overwrites state")
            }
        }
    }

    @Test func reportsAfterARefusedOneWaitUntilItIsSentAgain() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "web-1")
                let series = SeriesDescriptor(name: "system_load1", kind: .gauge)
                func report(_ seq: UInt64, declare: Bool) -> WireMessage {
                    .report(
                        Report(
                            seq: seq,
                            collectedAt: Date(),
                            declarations: declare ? [SeriesDeclaration(id: SeriesID(1), series: series)] : [],
                            samples: [Sample(seriesID: SeriesID(1), value: .number(Double(seq)))]
                        )
                    )
                }
                // Report 2 was already in flight when 1 was refused; it must not be acknowledged before 1.
                try await agent.send(report(1, declare: false))
                try await agent.send(report(2, declare: false))
                try await agent.send(report(1, declare: true))
                try await agent.send(report(2, declare: false))
                guard case .reportRefusal(let refusal) = try await agent.receive() else {
                    throw CoordinatorTestError.unexpected("expected a refusal first")
                }
                #expect(refusal.seq == 1)
                #expect(try await agent.receive() == .reportAck(ReportAck(seq: 1)))
                #expect(try await agent.receive() == .reportAck(ReportAck(seq: 2)))
                let summary = await coordinator.fleet.summary(of: NodeID("web-1") ?? .localhost)
                #expect(summary?.reportsReceived == 2)
                #expect(summary?.duplicateReports == 0)
            }
        }
    }

    @Test func aReDeclaringReportEndsTheWaitWhenTheRefusedOneIsGoneFromTheAgentsBuffer() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "web-1")
                guard case .reportRefusal = try await agent.report(seq: 1, declare: false) else {
                    throw CoordinatorTestError.unexpected("expected a refusal")
                }
                // Report 1 was dropped by a full buffer; the agent goes on with 3, declaring its series anew.
                #expect(try await agent.report(seq: 3, declare: true) == .reportAck(ReportAck(seq: 3)))
            }
        }
    }

    @Test func aSampleThatDoesNotFitItsSeriesIsSkippedAndTheReportStillCounts() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                _ = try await agent.hello(node: "web-1")
                let latency = SeriesDescriptor(name: "latency", kind: .histogram, bucketUpperBounds: [0.1])
                let load = SeriesDescriptor(name: "system_load1", kind: .gauge)
                try await agent.send(
                    .report(
                        Report(
                            seq: 1,
                            collectedAt: Date(),
                            declarations: [
                                SeriesDeclaration(id: SeriesID(1), series: latency),
                                SeriesDeclaration(id: SeriesID(2), series: load),
                            ],
                            samples: [
                                // Three counts for one finite bound: one too many.
                                Sample(seriesID: SeriesID(1), value: .histogram(HistogramValue(cumulativeCounts: [1, 2, 3], sum: 1))),
                                Sample(seriesID: SeriesID(2), value: .number(0.7)),
                            ]
                        )
                    )
                )
                #expect(try await agent.receive() == .reportAck(ReportAck(seq: 1)))
                #expect(try await agent.report(seq: 2, declare: true) == .reportAck(ReportAck(seq: 2)), "the session goes on")
                #expect(await coordinator.registry.counters.skippedSamples == 1)
                #expect(await coordinator.fleet.summary(of: NodeID("web-1") ?? .localhost)?.reportsReceived == 2)
            }
        }
    }

    @Test func peersThatResetRightAfterHelloNeverLockTheirNodeOut() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path) { coordinator in
            let hello = WireMessage.hello(Hello(nodeID: NodeID("flappy") ?? .localhost, agentVersion: "t", hostname: "h", incarnation: 1))
            let frame = RawPeer.frame(try hello.serializedBytes())
            for _ in 0..<50 {
                try RawPeer.sendThenReset(port: coordinator.agentPort, bytes: frame)
            }
            try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
                var answer = try await agent.hello(node: "flappy")
                // The last reset may still be in flight; its session ends within moments.
                for _ in 0..<50 {
                    guard case .reject(let reject) = answer, reject.reason == .duplicateNode else { break }
                    try await Task.sleep(for: .milliseconds(20))
                    answer = try await TestAgent.withConnection(port: coordinator.agentPort) { try await $0.hello(node: "flappy") }
                }
                guard case .welcome = answer else {
                    throw CoordinatorTestError.unexpected("node stayed locked: \(answer)")
                }
            }
        }
    }
}
