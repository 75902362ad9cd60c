import Foundation
import Shared
import Testing

@testable import Coordinator

/// Every built-in rule against the series it reads, with every other built-in rule running too: the breach
/// fires it within its window plus `for`, opens the incident of its kind at the playbook's severity, and a near
/// miss fires nothing at all.
@Suite(.timeLimit(.minutes(2)))
struct DefaultRulesTests {
    private func run(_ row: DefaultRuleCase, nearMiss: Bool) async -> DetectionHarness {
        let harness = DetectionHarness(rules: CoordinatorConfiguration.defaults.rules)
        for node in DefaultRuleCase.nodes { await harness.connect(node, service: "shop") }
        for second in 0...DefaultRuleCase.end {
            for node in DefaultRuleCase.nodes where row.reports(node, at: second, nearMiss: nearMiss) {
                await harness.report(node, at: TimeInterval(second), row.samples(node, at: second, nearMiss: nearMiss))
            }
            await harness.tick(at: TimeInterval(second) + 0.5)
        }
        return harness
    }

    @Test(arguments: DefaultRuleCase.allCases)
    func aBreachFiresTheRuleAndOpensItsIncident(_ row: DefaultRuleCase) async throws {
        let rule = try #require(DefaultRules.all.first { $0.name.rawValue == row.rawValue })
        let harness = await run(row, nearMiss: false)
        let timeline = harness.timeline()
        let firing = try #require(
            timeline.first { $0.kind == .alertFiring && $0.message.hasPrefix("\(row.rawValue)@") },
            "\(row) never fired; timeline: \(timeline.map(\.message))"
        )
        let after = firing.time.timeIntervalSince(DetectionHarness.time(TimeInterval(DefaultRuleCase.breachStart)))
        let latest = rule.signal.window.timeInterval + rule.forDuration.timeInterval + 2
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
        let harness = await run(row, nearMiss: true)
        let firing = harness.timeline().filter { $0.kind == .alertFiring && $0.message.hasPrefix("\(row.rawValue)@") }
        #expect(firing.isEmpty, "\(firing.map(\.message))")
    }
}
