import Foundation
import Shared

/// One example of every message, with every field set, for round-trip tables.
enum WireFixtures {
    static let node = NodeID("web-1.eu-west-1") ?? .localhost
    static let time = Date(timeIntervalSince1970: 1_796_000_000.123)

    static let allMessages: [WireMessage] = [
        .hello(
            Hello(
                nodeID: node,
                agentVersion: "0.1.0",
                hostname: "web-1",
                labels: ["service": "review-engine", "role": "web", "region": "eu-west-1"],
                allowedActions: ["restart_service", "redis_delete_keys"],
                lastAcknowledgedSeq: 41,
                incarnation: 0xDEAD_BEEF
            )
        ),
        .welcome(
            Welcome(
                reportInterval: .seconds(1),
                serverTimeUnixMilliseconds: 1_796_000_000_123,
                lastReceivedSeq: 41,
                maximumFrameBytes: 1 << 20,
                pingInterval: .seconds(5)
            )
        ),
        .reject(Reject(reason: .duplicateNode, detail: "node web-1 already has a live session")),
        .report(report(samples: 3, declared: true)),
        .reportAck(ReportAck(seq: 42)),
        .reportRefusal(ReportRefusal(seq: 43, reason: .unknownSeries, detail: "series id 9 was not declared")),
        .command(
            CommandRequest(
                id: "cmd-7",
                incidentID: "inc-3",
                targetNodeID: node,
                action: "restart_service",
                parameters: ["service": "review-engine"],
                issuedAt: time,
                expiresAt: time.addingTimeInterval(300),
                isDryRun: true,
                issuer: "remediation",
                nodeSequence: 12,
                keyID: "key-1",
                signature: [1, 2, 3, 255]
            )
        ),
        .commandResult(
            CommandResult(
                commandID: "cmd-7",
                outcome: .refused,
                exitCode: 3,
                outputTail: "not allowed",
                startedAt: time,
                finishedAt: time.addingTimeInterval(1.5),
                detail: "service not in policy"
            )
        ),
        .ping(Ping(nonce: 7, sentAtUnixMilliseconds: 1_796_000_000_500)),
        .pong(Pong(nonce: 7, sentAtUnixMilliseconds: 1_796_000_000_501)),
    ]

    /// A report with `samples` gauges (and one histogram), optionally declaring its series.
    static func report(seq: UInt64 = 42, samples count: Int, declared: Bool) -> Report {
        var declarations: [SeriesDeclaration] = []
        var samples: [Sample] = []
        for index in 1...count {
            let id = SeriesID(UInt32(index))
            declarations.append(
                SeriesDeclaration(
                    id: id,
                    series: SeriesDescriptor(name: "gauge_\(index)", labels: ["collector": "system"], kind: .gauge)
                )
            )
            samples.append(Sample(seriesID: id, value: .number(Double(index) * 1.5)))
        }
        let histogramID = SeriesID(UInt32(count + 1))
        declarations.append(
            SeriesDeclaration(
                id: histogramID,
                series: SeriesDescriptor(
                    name: "http_request_duration_seconds",
                    labels: ["service": "review-engine"],
                    kind: .histogram,
                    bucketUpperBounds: [0.1, 0.5, 1]
                )
            )
        )
        samples.append(
            Sample(seriesID: histogramID, value: .histogram(HistogramValue(cumulativeCounts: [5, 9, 10, 11], sum: 4.2)))
        )
        return Report(
            seq: seq,
            collectedAt: time,
            declarations: declared ? declarations : [],
            samples: samples,
            probes: [ProbeResult(name: "health", isUp: false, statusCode: 503, durationSeconds: 0.2, error: "503")],
            events: [AgentEvent(kind: .collectorDown, subject: "redis", detail: "connection refused", time: time)],
            selfStats: AgentSelfStats(
                residentMemoryBytes: 30_000_000,
                cpuSeconds: 1.25,
                bufferedReports: 2,
                bufferedBytes: 600,
                droppedReports: 1,
                reconnects: 3,
                droppedSamples: 4
            )
        )
    }
}
