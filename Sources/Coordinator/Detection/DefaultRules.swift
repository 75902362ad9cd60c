import Foundation
import Shared

/// The playbook's severity table and common incidents as rules, so a coordinator without a rule of its own already
/// pages for what the playbook says pages.
///
/// A deployment's `rules:` override these field by field or disable them by name; `default_rules: false` drops them.
/// docs/RULES.md lists them with the playbook line each comes from; change both together.
enum DefaultRules {
    static let all: [Rule] = [
        make(
            "error_ratio_critical", kind: "high_error_rate", .sev1, .service,
            errorRatio, .above, 0.05, for: 30, clearFor: 120,
            summary: "Error ratio {{value}} in {{service}} (over {{threshold}})",
            source: "SEV-1: Error rate > 5%"
        ),
        make(
            "error_ratio_high", kind: "high_error_rate", .sev2, .service,
            errorRatio, .above, 0.01, for: 30, clearFor: 120,
            summary: "Error ratio {{value}} in {{service}} (over {{threshold}})",
            source: "SEV-2: Error rate > 1%"
        ),
        make(
            "latency_p95_high", kind: "high_latency", .sev2, .service,
            latencyP95, .above, 1.0, for: 60, clearFor: 120,
            summary: "p95 latency {{value}} in {{service}} (over {{threshold}})",
            source: "SEV-2: Response time > 1 second (p95)"
        ),
        make(
            "latency_p95_elevated", kind: "high_latency", .sev3, .service,
            latencyP95, .above, 0.5, for: 60, clearFor: 120,
            summary: "p95 latency {{value}} in {{service}} (over {{threshold}})",
            source: "High Latency, symptoms: p95 > 500ms"
        ),
        make(
            "postgres_replication_lag", kind: "replication_lag", .sev2, .node,
            gauge("postgres_replication_lag_seconds", window: 30), .above, 30, for: 30, clearFor: 60,
            summary: "Replication lag {{value}} on {{node}} (over {{threshold}})",
            source: "SEV-2: Database replication lag > 30s"
        ),
        make(
            "postgres_replica_lag_on_primary", kind: "replication_lag", .sev2, .node,
            gauge("postgres_replica_lag_seconds", window: 30), .above, 30, for: 30, clearFor: 60,
            groupBy: ["replica"],
            summary: "Replica {{replica}} of {{node}} lags {{value}} (over {{threshold}})",
            source: "SEV-2: Database replication lag > 30s"
        ),
        make(
            "critical_probe_failing", kind: "service_outage", .sev2, .service,
            probesDown(role: "critical", window: 30), .above, 0, for: 30, clearFor: 60,
            groupBy: ["probe"],
            summary: "Critical probe {{probe}} failing on {{value}} of {{service}}",
            source: "SEV-2: Critical feature broken"
        ),
        make(
            "critical_probe_failing_everywhere", kind: "service_outage", .sev1, .service,
            probesDown(role: "critical", window: 30), .atLeast, 1, for: 30, clearFor: 60,
            groupBy: ["probe"],
            summary: "Critical probe {{probe}} failing on every node of {{service}}",
            source: "SEV-1: Complete service outage"
        ),
        make(
            "payment_probe_failing", kind: "payment_failure", .sev1, .service,
            probesDown(role: "payment", window: 30), .above, 0, for: 30, clearFor: 60,
            groupBy: ["probe"],
            summary: "Payment probe {{probe}} failing on {{value}} of {{service}}",
            source: "SEV-1: Payment processing failure"
        ),
        make(
            "cache_unreachable", kind: "cache_failure", .sev3, .node,
            Signal(
                selector: SeriesSelector(name: "vigil_collector_up", labels: ["collector": "redis:*"]),
                aggregation: .downFraction,
                window: .seconds(30)
            ),
            .above, 0, for: 30, clearFor: 60,
            groupBy: ["collector"],
            summary: "Cache {{collector}} unreachable from {{node}}",
            source: "Redis/Cache Failures, symptoms: Cache connection errors"
        ),
        make(
            "cache_hit_ratio_collapsed", kind: "cache_failure", .sev3, .node,
            Signal(
                selector: SeriesSelector(name: "redis_keyspace_hits_total"),
                aggregation: .ratio(
                    denominator: [
                        SeriesSelector(name: "redis_keyspace_hits_total"),
                        SeriesSelector(name: "redis_keyspace_misses_total"),
                    ],
                    minimumDenominator: 100
                ),
                window: .seconds(300)
            ),
            .below, 0.5, for: 120, clearFor: 300,
            summary: "Cache hit ratio {{value}} on {{node}} (under {{threshold}})",
            source: "High Latency, diagnosis: Check cache hit rate"
        ),
        make(
            "connection_pool_near_exhaustion", kind: "connection_pool_exhaustion", .sev2, .node,
            gauge("postgres_connections_used_ratio", window: 60), .above, 0.9, for: 60, clearFor: 120,
            summary: "PostgreSQL connections at {{value}} of the limit on {{node}} (over {{threshold}})",
            source: "Database Connection Failures, symptoms: \"Connection pool exhausted\" errors"
        ),
        make(
            "sync_failure_ratio", kind: "sync_failure", .sev3, .service,
            ratio("app_sync_failures_total", over: "app_sync_attempts_total", window: 300), .above, 0.05,
            for: 60, clearFor: 300,
            summary: "Sync failure ratio {{value}} in {{service}} (over {{threshold}})",
            source: "Sync System Failures, symptoms: Sync failure rate > 5%"
        ),
        make(
            "memory_leak", kind: "memory_leak", .sev3, .node,
            gauge("process_rss_growth_bytes_per_second", window: 60), .above, 102_400, for: 300, clearFor: 300,
            groupBy: ["process"],
            summary: "Memory of {{process}} on {{node}} grows by {{value}} (over {{threshold}})",
            source: "Memory Leaks, symptoms: Gradually increasing memory usage"
        ),
        make(
            "dependency_probe_failing", kind: "dependency_failure", .sev3, .service,
            probesDown(role: "dependency", window: 60), .above, 0, for: 60, clearFor: 120,
            groupBy: ["probe"],
            summary: "Dependency probe {{probe}} failing on {{value}} of {{service}}",
            source: "SEV-3: Non-critical feature failure"
        ),
        make(
            "node_silent", kind: "node_silent", .sev3, .node,
            // The window is unused: silence is read on the ticker, not from a series.
            Signal(selector: SeriesSelector(name: "node_silence_seconds"), aggregation: .silence, window: .seconds(60)),
            .above, 30, for: 0, clearFor: 0,
            summary: "{{node}} silent for {{value}} (over {{threshold}})",
            source: "Initial Response, step 4: Check system status"
        ),
    ]

    /// The silence rule, whose threshold follows `detection.heartbeat_allowance_seconds`.
    static let nodeSilent = RuleName("node_silent")

    // MARK: - Signals

    private static let errorRatio = ratio("app_request_errors_total", over: "app_requests_total", window: 60)

    private static let latencyP95 = Signal(
        selector: SeriesSelector(name: "app_request_duration_seconds"),
        aggregation: .quantile(0.95, minimumCount: 20),
        window: .seconds(60)
    )

    private static func ratio(_ numerator: String, over denominator: String, window seconds: Int64) -> Signal {
        Signal(
            selector: SeriesSelector(name: numerator),
            aggregation: .ratio(denominator: [SeriesSelector(name: denominator)], minimumDenominator: 20),
            window: .seconds(seconds)
        )
    }

    private static func gauge(_ name: String, window seconds: Int64) -> Signal {
        Signal(selector: SeriesSelector(name: name), aggregation: .max, window: .seconds(seconds))
    }

    /// The share of the probes labelled `role` that are down; the agent's http_probes carry the label.
    private static func probesDown(role: String, window seconds: Int64) -> Signal {
        Signal(
            selector: SeriesSelector(name: "probe_up", labels: ["role": role]),
            aggregation: .downFraction,
            window: .seconds(seconds)
        )
    }

    private static func make(
        _ name: String,
        kind: String,
        _ severity: Severity,
        _ scope: Rule.Scope,
        _ signal: Signal,
        _ comparison: Rule.Comparison,
        _ threshold: Double,
        for forSeconds: Int64,
        clearFor clearSeconds: Int64,
        groupBy: [String] = [],
        summary: String,
        source: String
    ) -> Rule {
        Rule(
            name: RuleName(name),
            kind: IncidentKind(kind),
            severity: severity,
            scope: scope,
            signal: signal,
            comparison: comparison,
            threshold: threshold,
            forDuration: .seconds(forSeconds),
            clearFor: .seconds(clearSeconds),
            groupBy: groupBy,
            summary: summary,
            source: source
        )
    }
}
