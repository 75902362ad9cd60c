import Foundation
import Shared

@testable import Coordinator

/// Rules for scenario tests, with short windows so scenarios take seconds of simulated time.
enum RuleFixtures {
    static func errorRatio(
        _ name: String,
        _ severity: Severity,
        above threshold: Double,
        window: Int = 10,
        for forSeconds: Int = 5,
        clearFor: Int = 10
    ) -> Rule {
        Rule(
            name: RuleName(name),
            kind: IncidentKind("high_error_rate"),
            severity: severity,
            scope: .service,
            signal: Signal(
                selector: SeriesSelector(name: "app_request_errors_total"),
                aggregation: .ratio(denominator: [SeriesSelector(name: "app_requests_total")], minimumDenominator: 20),
                window: .seconds(window)
            ),
            comparison: .above,
            threshold: threshold,
            forDuration: .seconds(forSeconds),
            clearFor: .seconds(clearFor),
            groupBy: [],
            summary: "Error ratio {{value}} in {{service}} (over {{threshold}})"
        )
    }

    static func p95(_ name: String, _ severity: Severity, above threshold: Double, window: Int = 10) -> Rule {
        Rule(
            name: RuleName(name),
            kind: IncidentKind("high_latency"),
            severity: severity,
            scope: .service,
            signal: Signal(
                selector: SeriesSelector(name: "app_request_duration_seconds"),
                aggregation: .quantile(0.95, minimumCount: 20),
                window: .seconds(window)
            ),
            comparison: .above,
            threshold: threshold,
            forDuration: .seconds(5),
            clearFor: .seconds(10),
            groupBy: [],
            summary: "p95 {{value}} in {{service}}"
        )
    }

    static let settings = DetectionSettings(
        evaluationInterval: .seconds(1),
        heartbeatAllowance: .seconds(30),
        quietWindow: .seconds(30),
        reopenWindow: .seconds(60)
    )
}

extension RuleFixtures {
    static let silence = Rule(
        name: RuleName("node_silent"),
        kind: IncidentKind("node_silent"),
        severity: .sev3,
        scope: .node,
        signal: Signal(
            selector: SeriesSelector(name: "node_silence_seconds"),
            aggregation: .silence,
            window: .seconds(60)
        ),
        comparison: .above,
        threshold: 30,
        forDuration: .zero,
        clearFor: .zero,
        groupBy: [],
        summary: "{{node}} silent for {{value}}"
    )

    static func probeDown(
        _ name: String,
        _ severity: Severity,
        _ comparison: Rule.Comparison,
        _ threshold: Double
    ) -> Rule {
        Rule(
            name: RuleName(name),
            kind: IncidentKind("service_outage"),
            severity: severity,
            scope: .service,
            signal: Signal(
                selector: SeriesSelector(name: "probe_up", labels: ["role": "critical"]),
                aggregation: .downFraction,
                window: .seconds(30)
            ),
            comparison: comparison,
            threshold: threshold,
            forDuration: .seconds(5),
            clearFor: .seconds(10),
            groupBy: ["probe"],
            summary: "{{probe}} down on {{value}} of {{service}}"
        )
    }

    static func probe(_ name: String, up: Bool) -> MetricSample {
        .gauge("probe_up", up ? 1 : 0, labels: ["probe": name, "role": "critical"])
    }
}
