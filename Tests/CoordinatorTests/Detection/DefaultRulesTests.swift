import Foundation
import Shared
import Testing

@testable import Coordinator

/// Every built-in rule against the series it reads, with every other built-in rule running too: the breach
/// fires it within its window plus `for`, opens the incident of its kind at the playbook's severity, and a near
/// miss fires nothing at all. One case at a time: each simulates minutes of every rule, and the rest of the
/// suite (processes, servers) needs the other core.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DefaultRulesTests {
    /// Reports every second from each node; the ticker runs every other second, which is all the timers need
    /// here and halves the work of a table that runs every built-in rule for minutes of simulated time.
    private func run(_ row: DefaultRuleCase, nearMiss: Bool) async throws -> DetectionHarness {
        let rule = try #require(DefaultRules.all.first { $0.name.rawValue == row.rawValue })
        let harness = DetectionHarness(rules: CoordinatorConfiguration.defaults.rules)
        for node in DefaultRuleCase.nodes { await harness.connect(node, service: "shop") }
        // Long enough for the latest firing the breach test accepts, and then some.
        let end =
            DefaultRuleCase.breachStart + Int(rule.signal.window.timeInterval + rule.forDuration.timeInterval) + 20
        for second in 0...end {
            for node in DefaultRuleCase.nodes where row.reports(node, at: second, nearMiss: nearMiss) {
                await harness.report(node, at: TimeInterval(second), row.samples(node, at: second, nearMiss: nearMiss))
            }
            if second % 2 == 1 { await harness.tick(at: TimeInterval(second) + 0.5) }
        }
        return harness
    }

    @Test(arguments: DefaultRuleCase.allCases)
    func aBreachFiresTheRuleAndOpensItsIncident(_ row: DefaultRuleCase) async throws {
        let rule = try #require(DefaultRules.all.first { $0.name.rawValue == row.rawValue })
        let harness = try await run(row, nearMiss: false)
        let timeline = harness.timeline()
        let firing = try #require(
            timeline.first { $0.kind == .alertFiring && $0.message.hasPrefix("\(row.rawValue)@") },
            "\(row) never fired; timeline: \(timeline.map(\.message))"
        )
        let after = firing.time.timeIntervalSince(DetectionHarness.time(TimeInterval(DefaultRuleCase.breachStart)))
        let latest = rule.signal.window.timeInterval + rule.forDuration.timeInterval + 3
        #expect((rule.forDuration.timeInterval...latest).contains(after), "\(row) fired \(after) s after the breach")
        let incidents = await harness.incidents()
        #expect(incidents.count == 1, "\(incidents.map(\.title))")
        let incident = try #require(incidents.first)
        #expect(incident.kind == rule.kind)
        #expect(incident.service == "shop")
        #expect(incident.severity == row.incidentSeverity)
        #expect(!incident.title.contains("{{"), "the summary is filled in: \(incident.title)")
    }

    @Test(arguments: DefaultRuleCase.allCases)
    func aNearMissFiresNothing(_ row: DefaultRuleCase) async throws {
        let harness = try await run(row, nearMiss: true)
        let firing = harness.timeline().filter { $0.kind == .alertFiring && $0.message.hasPrefix("\(row.rawValue)@") }
        #expect(firing.isEmpty, "\(firing.map(\.message))")
    }
}
