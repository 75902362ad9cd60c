import Foundation
import Shared
import Testing

@testable import Coordinator

/// pending → firing → resolved, one evaluation at a time: each row is a sequence of (second, reading) and the
/// transitions it must produce. `H` holds, `c` is a reading that does not hold, `-` is no reading at all.
@Suite struct AlertStateMachineTests {
    private static let start = Date(timeIntervalSince1970: 1_800_000_000)

    private static func alert() -> Alert {
        Alert(
            key: AlertKey(rule: RuleName("r"), subject: "s"),
            kind: IncidentKind("k"),
            severity: .sev2,
            service: "s",
            state: .pending,
            activeSince: start,
            value: 1,
            comparison: .above,
            threshold: 0,
            summary: "",
            nodes: []
        )
    }

    @Test(arguments: [
        // for 10 s, clear_for 5 s
        ("H@0 H@5 H@10", "becamePending none fired"),
        ("H@0 c@5", "becamePending abandoned"),
        ("H@0 H@10 c@11 H@13 c@14 c@19", "becamePending fired clearing recovered clearing resolved"),
        ("H@0 H@10 c@11 c@15", "becamePending fired clearing none"),
        ("H@0 H@10 -@11 -@16", "becamePending fired clearing resolved"),
        // No data while pending: kept for the grace (20 s), then abandoned; data that holds again keeps the timer.
        ("H@0 -@2 H@12", "becamePending none fired"),
        ("H@0 -@2 -@22", "becamePending none abandoned"),
        ("c@0 -@1", "none none"),
    ])
    func transitions(_ script: String, _ expected: String) {
        var alert: Alert?
        var seen: [String] = []
        for step in script.split(separator: " ") {
            let parts = step.split(separator: "@")
            let now = Self.start.addingTimeInterval(TimeInterval(parts[1]) ?? 0)
            let reading = parts[0]
            var measured: Alert?
            if reading == "H" {
                measured = Self.alert()
            }
            let (next, transition) = Alert.step(
                alert,
                measured: measured,
                hasReading: reading != "-",
                forDuration: .seconds(10),
                clearFor: .seconds(5),
                noDataGrace: .seconds(20),
                now: now
            )
            alert = next
            seen.append("\(transition)")
        }
        #expect(seen.joined(separator: " ") == expected)
    }

    @Test func zeroForFiresOnTheFirstBreachAndZeroClearForResolvesOnTheFirstClear() {
        let (fired, first) = Alert.step(
            nil,
            measured: Self.alert(),
            forDuration: .zero,
            clearFor: .zero,
            now: Self.start
        )
        #expect(first == .fired)
        #expect(fired?.firedAt == Self.start)
        let (gone, second) = Alert.step(fired, measured: nil, forDuration: .zero, clearFor: .zero, now: Self.start)
        #expect(second == .resolved)
        #expect(gone == nil)
    }
}
