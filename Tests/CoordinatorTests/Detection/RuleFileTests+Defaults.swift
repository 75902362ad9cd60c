import Foundation
import Shared
import Testing

@testable import Coordinator

/// The built-in rules against the playbook's table, one row per rule, so that changing a default fails here first.
extension RuleFileTests {
    struct DefaultRow: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: String
        var severity: Severity
        var scope: Rule.Scope
        /// Signal, comparison, threshold and `for`, as `vigil check-config` prints them.
        var condition: String
        var window: Int64
        var clearFor: Int64
        var groupBy: [String] = []
        /// The ratio's minimum denominator or the quantile's minimum count.
        var minimum: Double?
        var testDescription: String { name }
    }

    static let defaultTable: [DefaultRow] = [
        DefaultRow(
            name: "error_ratio_critical", kind: "high_error_rate", severity: .sev1, scope: .service,
            condition: "ratio(app_request_errors_total / app_requests_total) > 0.05 for 30s",
            window: 60, clearFor: 120, minimum: 20
        ),
        DefaultRow(
            name: "error_ratio_high", kind: "high_error_rate", severity: .sev2, scope: .service,
            condition: "ratio(app_request_errors_total / app_requests_total) > 0.01 for 30s",
            window: 60, clearFor: 120, minimum: 20
        ),
        DefaultRow(
            name: "latency_p95_high", kind: "high_latency", severity: .sev2, scope: .service,
            condition: "p95(app_request_duration_seconds) > 1 for 60s",
            window: 60, clearFor: 120, minimum: 20
        ),
        DefaultRow(
            name: "latency_p95_elevated", kind: "high_latency", severity: .sev3, scope: .service,
            condition: "p95(app_request_duration_seconds) > 0.5 for 60s",
            window: 60, clearFor: 120, minimum: 20
        ),
        DefaultRow(
            name: "postgres_replication_lag", kind: "replication_lag", severity: .sev2, scope: .node,
            condition: "max(postgres_replication_lag_seconds) > 30 for 30s",
            window: 30, clearFor: 60
        ),
        DefaultRow(
            name: "postgres_replica_lag_on_primary", kind: "replication_lag", severity: .sev2, scope: .node,
            condition: "max(postgres_replica_lag_seconds) > 30 for 30s",
            window: 30, clearFor: 60, groupBy: ["replica"]
        ),
        DefaultRow(
            name: "critical_probe_failing", kind: "service_outage", severity: .sev2, scope: .service,
            condition: "down_fraction(probe_up{role=\"critical\"}) > 0 for 30s",
            window: 30, clearFor: 60, groupBy: ["probe"]
        ),
        DefaultRow(
            name: "critical_probe_failing_everywhere", kind: "service_outage", severity: .sev1, scope: .service,
            condition: "down_fraction(probe_up{role=\"critical\"}) >= 1 for 30s",
            window: 30, clearFor: 60, groupBy: ["probe"]
        ),
        DefaultRow(
            name: "payment_probe_failing", kind: "payment_failure", severity: .sev1, scope: .service,
            condition: "down_fraction(probe_up{role=\"payment\"}) > 0 for 30s",
            window: 30, clearFor: 60, groupBy: ["probe"]
        ),
        DefaultRow(
            name: "cache_unreachable", kind: "cache_failure", severity: .sev3, scope: .node,
            condition: "down_fraction(vigil_collector_up{collector=\"redis:*\"}) > 0 for 30s",
            window: 30, clearFor: 60, groupBy: ["collector"]
        ),
        DefaultRow(
            name: "cache_hit_ratio_collapsed", kind: "cache_failure", severity: .sev3, scope: .node,
            condition: "ratio(redis_keyspace_hits_total / (redis_keyspace_hits_total + redis_keyspace_misses_total))"
                + " < 0.5 for 120s",
            window: 300, clearFor: 300, minimum: 100
        ),
        DefaultRow(
            name: "connection_pool_near_exhaustion", kind: "connection_pool_exhaustion", severity: .sev2, scope: .node,
            condition: "max(postgres_connections_used_ratio) > 0.9 for 60s",
            window: 60, clearFor: 120
        ),
        DefaultRow(
            name: "sync_failure_ratio", kind: "sync_failure", severity: .sev3, scope: .service,
            condition: "ratio(app_sync_failures_total / app_sync_attempts_total) > 0.05 for 60s",
            window: 300, clearFor: 300, minimum: 20
        ),
        DefaultRow(
            name: "memory_leak", kind: "memory_leak", severity: .sev3, scope: .node,
            condition: "max(process_rss_growth_bytes_per_second) > 102400 for 300s",
            window: 60, clearFor: 300, groupBy: ["process"]
        ),
        DefaultRow(
            name: "dependency_probe_failing", kind: "dependency_failure", severity: .sev3, scope: .service,
            condition: "down_fraction(probe_up{role=\"dependency\"}) > 0 for 60s",
            window: 60, clearFor: 120, groupBy: ["probe"]
        ),
        DefaultRow(
            name: "node_silent", kind: "node_silent", severity: .sev3, scope: .node,
            condition: "silence > 30 for 0s",
            window: 60, clearFor: 0
        ),
    ]

    @Test(arguments: defaultTable)
    func builtInRuleIsThePlaybooksRow(_ row: DefaultRow) throws {
        let rule = try Self.builtIn(row.name)
        #expect(rule.kind == IncidentKind(row.kind))
        #expect(rule.severity == row.severity)
        #expect(rule.scope == row.scope)
        #expect(rule.condition == row.condition)
        #expect(rule.signal.window == .seconds(row.window))
        #expect(rule.clearFor == .seconds(row.clearFor))
        #expect(rule.groupBy == row.groupBy)
        switch rule.signal.aggregation {
        case .ratio(_, let minimum), .quantile(_, let minimum): #expect(minimum == row.minimum)
        default: #expect(row.minimum == nil)
        }
        #expect(!rule.source.isEmpty, "every built-in rule names its playbook line")
        #expect(RuleFile.summaryProblem(rule.summary, groupBy: rule.groupBy) == nil)
        let isOneLine = !rule.summary.contains(where: \.isNewline)
        #expect(isOneLine)
    }

    @Test func builtInRulesAreExactlyTheTableInItsOrder() {
        #expect(DefaultRules.all.map(\.name.rawValue) == Self.defaultTable.map(\.name))
        #expect(Set(DefaultRules.all.map(\.name)).count == DefaultRules.all.count, "names are unique")
    }

    @Test func silenceIsOnlyOnNodes() {
        for rule in DefaultRules.all {
            guard case .silence = rule.signal.aggregation else { continue }
            #expect(rule.scope == .node, "\(rule.name)")
        }
    }
}
