import Testing

@testable import Coordinator

/// An alert key's text is its primary key in the store: two different keys never read the same.
@Suite struct AlertKeyTests {
    @Test func keysThatWouldReadTheSameUnescapedStayApart() {
        let pairs: [(AlertKey, AlertKey)] = [
            (
                AlertKey(rule: RuleName("r"), subject: "a{x=\"1\"}"),
                AlertKey(rule: RuleName("r"), subject: "a", group: ["x": "1"])
            ),
            (
                AlertKey(rule: RuleName("r"), subject: "s", group: ["a": "1\",b=\"2"]),
                AlertKey(rule: RuleName("r"), subject: "s", group: ["a": "1", "b": "2"])
            ),
            (
                AlertKey(rule: RuleName("r"), subject: "s\\", group: ["a": "1"]),
                AlertKey(rule: RuleName("r"), subject: "s\\{a=\"1\"}")
            ),
        ]
        for (first, second) in pairs {
            #expect(first.description != second.description, "\(first) vs \(second)")
        }
    }

    @Test func plainKeysReadAsWritten() {
        let key = AlertKey(rule: RuleName("critical_probe_failing"), subject: "shop", group: ["probe": "cart"])
        #expect(key.description == "critical_probe_failing@shop{probe=\"cart\"}")
    }
}
