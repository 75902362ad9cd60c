import Foundation
import Testing

@testable import Coordinator

/// The heartbeat allowance and the silence rule's threshold are one setting.
@Suite struct HeartbeatAllowanceTests {
    private func silenceThreshold(_ yaml: String) throws -> Double? {
        try CoordinatorConfiguration.parse(yaml: yaml, source: "c.yaml").rules.first {
            $0.name == DefaultRules.nodeSilent
        }?.threshold
    }

    @Test func theAllowanceIsTheSilenceThreshold() throws {
        #expect(try silenceThreshold("") == 30)
        #expect(try silenceThreshold("detection: {heartbeat_allowance_seconds: 8}") == 8)
    }

    @Test func aThresholdInTheRuleWins() throws {
        let yaml = """
            detection: {heartbeat_allowance_seconds: 8}
            rules:
              - name: node_silent
                threshold: 45
            """
        #expect(try silenceThreshold(yaml) == 45)
    }
}
