import Foundation
import Shared
import Testing

@testable import Coordinator

/// Signals that are not traffic: probes failing on some or all nodes, silence, and carrying on after a restart.
@Suite(.timeLimit(.minutes(1)))
struct DetectionScenarioTests {
    private let probeRules = [
        RuleFixtures.probeDown("critical_probe_failing", .sev2, .above, 0),
        RuleFixtures.probeDown("critical_probe_failing_everywhere", .sev1, .atLeast, 1),
    ]

    /// Three nodes of `shop` probe `home` and `cart`; `down(node, second)` names the probes failing there.
    private func runProbes(
        _ harness: DetectionHarness,
        seconds: ClosedRange<Int>,
        down: (String, Int) -> Set<String>
    ) async {
        for second in seconds {
            for node in ["shop-1", "shop-2", "shop-3"] {
                let failing = down(node, second)
                await harness.report(
                    node,
                    at: TimeInterval(second),
                    [
                        RuleFixtures.probe("home", up: !failing.contains("home")),
                        RuleFixtures.probe("cart", up: !failing.contains("cart")),
                    ]
                )
            }
            await harness.tick(at: TimeInterval(second) + 0.5)
        }
    }

    private func shop() async -> DetectionHarness {
        let harness = DetectionHarness(rules: probeRules, settings: RuleFixtures.settings)
        for node in ["shop-1", "shop-2", "shop-3"] { await harness.connect(node, service: "shop") }
        return harness
    }

    @Test func aProbeFailingOnOneNodeIsSev2AndOnEveryNodeSev1InTheSameIncident() async throws {
        let harness = await shop()
        await runProbes(harness, seconds: 0...40) { node, second in
            switch second {
            case 5..<20: node == "shop-1" ? ["cart"] : []
            case 20...: ["cart"]
            default: []
            }
        }
        let incidents = await harness.incidents()
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(incident.severity == .sev1)
        #expect(incident.affectedNodes.map(\.rawValue) == ["shop-1", "shop-2", "shop-3"])
        let timeline = harness.timeline()
        let opened = try #require(timeline.first { $0.kind == .opened })
        #expect(opened.message.hasPrefix("SEV-2"))
        #expect(timeline.contains { $0.kind == .severityRaised && $0.message.hasPrefix("SEV-2 → SEV-1") })
        // Only `cart` alerts: the healthy `home` probe neither fires nor dilutes `cart`'s share.
        let alerts = await harness.alerts()
        #expect(alerts.allSatisfy { $0.key.group == ["probe": "cart"] })
        #expect(
            Set(alerts.map(\.key.rule.rawValue)) == ["critical_probe_failing", "critical_probe_failing_everywhere"]
        )
    }

    @Test func aSilentNodeOpensAnIncidentAfterTheAllowanceAndItsReturnClearsIt() async throws {
        let harness = DetectionHarness(rules: [RuleFixtures.silence], settings: RuleFixtures.settings)
        await harness.connect("db-1", service: "db")
        await harness.connect("db-2", service: "db")
        for second in 0...80 {
            await harness.report("db-1", at: TimeInterval(second), [.gauge("system_load1", 1)])
            // db-2 stops reporting from 10 s to 60 s.
            if second < 10 || second >= 60 {
                await harness.report("db-2", at: TimeInterval(second), [.gauge("system_load1", 1)])
            }
            await harness.tick(at: TimeInterval(second) + 0.5)
        }
        let timeline = harness.timeline()
        let opened = try #require(timeline.first { $0.kind == .opened })
        // Last heard at 9 s; silent for more than 30 s at the tick of 39.5 s.
        #expect(opened.time == DetectionHarness.time(39.5))
        #expect(opened.message.contains("db-2"))
        #expect(timeline.contains { $0.kind == .alertResolved })
        #expect(await harness.incidents().first?.status == .monitoring)
    }

    @Test func aRestartedCoordinatorWaitsOneAllowanceBeforeCallingAnyNodeSilent() async throws {
        // The store remembers two nodes last seen an hour before the restart at 3600 s.
        let fleet = FleetState(restoring: [
            stored("db-1", lastSeen: 0), stored("db-2", lastSeen: 0),
        ])
        let harness = DetectionHarness(
            rules: [RuleFixtures.silence],
            settings: RuleFixtures.settings,
            fleet: fleet,
            startedAt: 3600
        )
        // db-1 reconnects after 20 s; db-2 never does.
        for second in 3600...3700 {
            if second >= 3620 { await harness.report("db-1", at: TimeInterval(second), [.gauge("system_load1", 1)]) }
            await harness.tick(at: TimeInterval(second) + 0.5)
        }
        let opened = harness.timeline().filter { $0.kind == .opened }
        #expect(opened.count == 1, "\(opened.map(\.message))")
        #expect(opened.first?.message.contains("db-2") == true)
        #expect(opened.first?.time == DetectionHarness.time(3630.5), "one allowance after the start, not at once")
    }

    @Test func pendingTimersAndOpenIncidentsCarryOverARestart() async throws {
        let rules = [RuleFixtures.errorRatio("error_ratio_high", .sev2, above: 0.01, for: 20)]
        let first = DetectionHarness(rules: rules, settings: RuleFixtures.settings)
        await first.connect("web-1", service: "checkout")
        let application = SimulatedApplication()
        await first.run(["web-1": application], seconds: 0...15) { _, second in .init(errorRatio: second >= 5 ? 0.1 : 0)
        }
        let pending = await first.alerts()
        #expect(pending.map(\.state) == [.pending])
        #expect(first.timeline().isEmpty)

        // The second coordinator starts from what the first one stored, and gets the same traffic.
        let recovery = DetectionRecovery(alerts: pending, nextIncidentID: IncidentID(7))
        let second = DetectionHarness(rules: rules, settings: RuleFixtures.settings, recovery: recovery, startedAt: 16)
        await second.connect("web-1", service: "checkout")
        await second.run(["web-1": application], seconds: 16...40) { _, _ in .init(errorRatio: 0.1) }
        let opened = try #require(second.timeline().first { $0.kind == .opened })
        let since = try #require(pending.first?.activeSince)
        // Fired 20 s after the condition first held before the restart, not 20 s after the restart.
        #expect(abs(opened.time.timeIntervalSince(since) - 20) <= 1)
        #expect(await second.incidents().map(\.id) == [IncidentID(7)])
    }

    private func stored(_ id: String, lastSeen seconds: TimeInterval) -> StoredNode {
        StoredNode(
            id: NodeID(id) ?? .localhost,
            hostname: id,
            agentVersion: "test",
            labels: ["service": "db"],
            firstSeenAt: DetectionHarness.time(seconds),
            lastSeenAt: DetectionHarness.time(seconds),
            connectionState: .connected,
            peerAddress: "",
            lastReportSeq: 0,
            reportsReceived: 0,
            duplicateReports: 0
        )
    }
}
