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
