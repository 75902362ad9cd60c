import Foundation
import Shared
import Testing

@testable import Coordinator

/// Alerts into incidents over simulated time: one incident per (kind, service), severity following the worst
/// firing alert, MONITORING when all clear, RESOLVED after the quiet window, reopening when it recurs.
@Suite(.timeLimit(.minutes(1)))
struct IncidentLifecycleTests {
    private let rules = [
        RuleFixtures.errorRatio("error_ratio_critical", .sev1, above: 0.05),
        RuleFixtures.errorRatio("error_ratio_high", .sev2, above: 0.01),
    ]

    private func checkout() async -> (DetectionHarness, [String: SimulatedApplication]) {
        let harness = DetectionHarness(rules: rules, settings: RuleFixtures.settings)
        var applications: [String: SimulatedApplication] = [:]
        for node in ["web-1", "web-2", "web-3"] {
            await harness.connect(node, service: "checkout")
            applications[node] = SimulatedApplication()
        }
        return (harness, applications)
    }

    @Test func eightPercentOnTwoOfThreeNodesIsOneSev1ThatDowngradesThenMonitorsThenResolves() async throws {
        let (harness, applications) = await checkout()
        // 0–19 s healthy; 20–59 s two nodes fail 8 % (5.3 % of the service); 60–99 s 2 % (1.3 %); then healthy.
        await harness.run(applications, seconds: 0...200) { node, second in
            let failing = node != "web-3"
            switch second {
            case 20..<60: return .init(errorRatio: failing ? 0.08 : 0)
            case 60..<100: return .init(errorRatio: failing ? 0.02 : 0)
            default: return .init()
            }
        }
        let incidents = await harness.incidents()
        #expect(incidents.count == 1, "one incident for the service, whatever the number of alerts")
        let incident = try #require(incidents.first)
        #expect(incident.kind == IncidentKind("high_error_rate"))
        #expect(incident.service == "checkout")
        #expect(incident.peakSeverity == .sev1)
        #expect(incident.status == .resolved)
        #expect(incident.resolvedBy == "vigil")
        #expect(incident.affectedNodes.map(\.rawValue) == ["web-1", "web-2"], "the quiet node is not affected")

        let timeline = harness.timeline()
        let opened = try #require(timeline.first { $0.kind == .opened })
        // The window must show > 5 % (a few seconds after 20 s), then `for` (5 s) must pass.
        let openedAt = opened.time.timeIntervalSince(DetectionHarness.epoch)
        #expect((25...32).contains(openedAt), "opened at \(openedAt)")
        #expect(opened.message.hasPrefix("SEV-"))
        let lowered = try #require(timeline.first { $0.kind == .severityLowered })
        #expect(lowered.message.hasPrefix("SEV-1 → SEV-2"))
        let loweredAt = lowered.time.timeIntervalSince(DetectionHarness.epoch)
        // Below 5 % once the 8 % seconds leave the 10 s window (≈ 66 s), then clear_for (10 s).
        #expect((70...80).contains(loweredAt), "lowered at \(loweredAt)")
        let monitoring = try #require(timeline.first { $0.kind == .statusChanged && $0.message.contains("MONITORING") })
        let monitoringAt = monitoring.time.timeIntervalSince(DetectionHarness.epoch)
        #expect((105...120).contains(monitoringAt), "monitoring at \(monitoringAt)")
        let resolved = try #require(timeline.last { $0.kind == .statusChanged && $0.message.contains("RESOLVED") })
        let resolvedAt = resolved.time.timeIntervalSince(DetectionHarness.epoch)
        #expect(abs(resolvedAt - monitoringAt - 30) <= 1.5, "resolved \(resolvedAt - monitoringAt) s after monitoring")
        #expect(timeline.filter { $0.kind == .opened }.count == 1)
    }

    @Test func aFlappingSignalKeepsOneAlertAndOneIncident() async throws {
        let (harness, applications) = await checkout()
        // 10 % errors in bursts of 8 s every 16 s: each burst breaches, each gap is shorter than clear_for.
        await harness.run(applications, seconds: 0...120) { _, second in
            .init(errorRatio: second >= 10 && (second / 8) % 2 == 1 ? 0.1 : 0)
        }
        let timeline = harness.timeline()
        #expect(timeline.filter { $0.kind == .opened }.count == 1)
        let firings = timeline.filter { $0.kind == .alertFiring && $0.message.contains("error_ratio_critical") }
        #expect(firings.count == 1, "\(firings.map(\.message))")
        #expect(await harness.incidents().count == 1)
    }

    @Test func aRecurrenceWithinTheReopenWindowReopensTheSameIncident() async throws {
        let (harness, applications) = await checkout()
        // Fails, clears, resolves after the quiet window (30 s), then fails again within the reopen window.
        await harness.run(applications, seconds: 0...150) { _, second in
            .init(errorRatio: (10..<30).contains(second) || (120..<150).contains(second) ? 0.1 : 0)
        }
        let timeline = harness.timeline()
        #expect(timeline.filter { $0.kind == .opened }.count == 1)
        #expect(timeline.filter { $0.kind == .reopened }.count == 1)
        let incident = try #require(await harness.incidents().first)
        #expect(incident.reopenCount == 1)
        #expect(incident.status == .investigating)
    }

    @Test func aBreachShorterThanForNeverFires() async {
        let harness = DetectionHarness(
            rules: [RuleFixtures.errorRatio("error_ratio_high", .sev2, above: 0.01, for: 20)],
            settings: RuleFixtures.settings
        )
        let applications = ["web-1": SimulatedApplication()]
        await harness.connect("web-1", service: "checkout")
        // Three bad seconds stay in the 10 s window for 10 s, half of `for`: pending, then abandoned.
        await harness.run(applications, seconds: 0...40) { _, second in
            .init(errorRatio: (10..<13).contains(second) ? 0.3 : 0)
        }
        #expect(harness.timeline().isEmpty)
        #expect(await harness.incidents().isEmpty)
        #expect(await harness.alerts().isEmpty)
    }

    @Test func twoServicesFailingAreTwoIncidents() async throws {
        let harness = DetectionHarness(rules: rules, settings: RuleFixtures.settings)
        let applications = ["a-1": SimulatedApplication(), "b-1": SimulatedApplication()]
        await harness.connect("a-1", service: "search")
        await harness.connect("b-1", service: "payments")
        await harness.run(applications, seconds: 0...30) { _, second in .init(errorRatio: second >= 5 ? 0.5 : 0) }
        let services = await harness.incidents().map(\.service).sorted()
        #expect(services == ["payments", "search"])
    }

    @Test func aSev2ThatWorsensIsRaisedToSev1WithAnEarlierDeadline() async throws {
        let (harness, applications) = await checkout()
        await harness.run(applications, seconds: 0...60) { _, second in
            .init(errorRatio: second < 10 ? 0 : second < 35 ? 0.02 : 0.2)
        }
        let incident = try #require(await harness.incidents().first)
        #expect(incident.severity == .sev1)
        let raised = try #require(harness.timeline().first { $0.kind == .severityRaised })
        #expect(raised.message.hasPrefix("SEV-2 → SEV-1"))
        // SEV-2 gives 15 min from opening; raised to SEV-1, 5 min from the raise is sooner.
        let expectedDue = raised.time.addingTimeInterval(300)
        #expect(abs(incident.responseDueAt.timeIntervalSince(expectedDue)) < 0.001)
    }

    @Test func badValuesNeverOpenAnIncident() async {
        let harness = DetectionHarness(rules: rules, settings: RuleFixtures.settings)
        await harness.connect("web-1", service: "checkout")
        var requests = 0.0
        for second in 0...60 {
            requests += 100
            let errors: Double =
                switch second % 4 {
                case 0: .nan
                case 1: .infinity
                case 2: -5
                default: 0
                }
            await harness.report(
                "web-1",
                at: TimeInterval(second),
                [.counter("app_requests_total", requests), .counter("app_request_errors_total", errors)]
            )
            await harness.tick(at: TimeInterval(second) + 0.5)
        }
        #expect(await harness.incidents().isEmpty)
        let screened = await harness.fleet.screenedSamples
        #expect(screened[.nonFinite] == 31)
        #expect(screened[.negativeCounter] == 15)
    }

    @Test func aClockFarAheadIsStillWatchedAndAnOldBacklogOpensNothing() async throws {
        let harness = DetectionHarness(rules: rules, settings: RuleFixtures.settings)
        await harness.connect("ahead", service: "checkout")
        await harness.connect("replay", service: "search")
        let ahead = SimulatedApplication()
        let replay = SimulatedApplication()
        // "replay" first sends two hours old reports full of errors (a backlog), then healthy current ones;
        // "ahead", whose clock is an hour fast, starts failing at 20 s.
        for second in 0...60 {
            let failing = SimulatedApplication.Second(errorRatio: second >= 20 ? 0.1 : 0)
            await harness.report("ahead", at: TimeInterval(second), clockOffset: 3600, ahead.serve(failing))
            let old = second < 30
            await harness.report(
                "replay",
                at: TimeInterval(second),
                clockOffset: old ? -7200 : 0,
                replay.serve(.init(errorRatio: old ? 0.5 : 0))
            )
            await harness.tick(at: TimeInterval(second) + 0.5)
        }
        let incidents = await harness.incidents()
        #expect(incidents.map(\.service) == ["checkout"], "the fast clock's errors are seen; the backlog's are not")
        let opened = try #require(harness.timeline().first { $0.kind == .opened })
        #expect(opened.time < DetectionHarness.time(35), "detected as quickly as with a right clock")
        let screened = await harness.fleet.screenedSamples
        #expect(screened[.futureTimestamp] == 61, "every report of the fast clock, filed at its arrival")
        #expect(screened[.staleTimestamp] == 30, "every report of the backlog")
    }
}
