import Foundation
import Shared

@testable import Coordinator

/// One row of the built-in rules' table test: what two nodes of `shop` report, healthy until `breachStart`,
/// then breaking the rule (or, in the near miss, coming close without breaking it).
enum DefaultRuleCase: String, CaseIterable, Sendable, CustomStringConvertible {
    case errorRatioCritical = "error_ratio_critical"
    case errorRatioHigh = "error_ratio_high"
    case latencyHigh = "latency_p95_high"
    case latencyElevated = "latency_p95_elevated"
    case replicationLag = "postgres_replication_lag"
    case replicaLagOnPrimary = "postgres_replica_lag_on_primary"
    case criticalProbe = "critical_probe_failing"
    case criticalProbeEverywhere = "critical_probe_failing_everywhere"
    case paymentProbe = "payment_probe_failing"
    case cacheUnreachable = "cache_unreachable"
    case cacheHitRatio = "cache_hit_ratio_collapsed"
    case connectionPool = "connection_pool_near_exhaustion"
    case syncFailures = "sync_failure_ratio"
    case memoryLeak = "memory_leak"
    case dependencyProbe = "dependency_probe_failing"
    case nodeSilent = "node_silent"

    static let nodes = ["shop-1", "shop-2"]
    static let breachStart = 100

    var description: String { rawValue }

    /// The severity of the incident the breach opens: the worst rule of its kind that fires with it.
    var incidentSeverity: Severity {
        switch self {
        case .errorRatioCritical, .criticalProbeEverywhere, .paymentProbe: .sev1
        case .errorRatioHigh, .latencyHigh, .replicationLag, .replicaLagOnPrimary, .criticalProbe, .connectionPool:
            .sev2
        case .latencyElevated, .cacheUnreachable, .cacheHitRatio, .syncFailures, .memoryLeak, .dependencyProbe,
            .nodeSilent:
            .sev3
        }
    }

    /// Whether `node` reports at `second`: only the silent node stops.
    func reports(_ node: String, at second: Int, nearMiss: Bool) -> Bool {
        guard self == .nodeSilent, node == "shop-2", second >= Self.breachStart else { return true }
        // The near miss is a 20 s gap, under the 30 s allowance.
        return nearMiss ? second >= Self.breachStart + 20 : false
    }

    /// Everything `node` reports at `second`.
    func samples(_ node: String, at second: Int, nearMiss: Bool) -> [MetricSample] {
        let t = Double(second)
        let breaching = second >= Self.breachStart
        let since = Double(max(0, second - Self.breachStart))
        let first = node == Self.nodes[0]
        func ratio(_ breach: Double, _ near: Double) -> Double { breaching ? (nearMiss ? near : breach) : 0 }
        func gauge(_ healthy: Double, _ breach: Double, _ near: Double) -> Double {
            breaching ? (nearMiss ? near : breach) : healthy
        }
        var samples: [MetricSample] = [.gauge("system_load1", 0.5)]
        switch self {
        case .errorRatioCritical, .errorRatioHigh:
            let share = self == .errorRatioCritical ? ratio(0.10, 0.04) : ratio(0.02, 0.009)
            samples += [
                .counter("app_requests_total", 100 * t), .counter("app_request_errors_total", 100 * share * since),
            ]
        case .latencyHigh, .latencyElevated:
            let latency = self == .latencyHigh ? gauge(0.02, 2.0, 0.4) : gauge(0.02, 0.8, 0.4)
            samples.append(histogram(second: second, latency: latency))
        case .replicationLag:
            samples.append(.gauge("postgres_replication_lag_seconds", gauge(0, 45, 25)))
        case .replicaLagOnPrimary:
            samples.append(.gauge("postgres_replica_lag_seconds", gauge(0, 45, 25), labels: ["replica": "r1"]))
        case .criticalProbe, .criticalProbeEverywhere, .paymentProbe, .dependencyProbe:
            let role = self == .paymentProbe ? "payment" : self == .dependencyProbe ? "dependency" : "critical"
            let failsHere = self == .criticalProbeEverywhere || first
            // The near miss fails for 10 s only, and everywhere only on one node.
            let down: Bool =
                switch (breaching, nearMiss) {
                case (false, _): false
                case (true, false): failsHere
                case (true, true): self == .criticalProbeEverywhere ? first : failsHere && since < 10
                }
            samples.append(.gauge("probe_up", down ? 0 : 1, labels: ["probe": "home", "role": role]))
            samples.append(.gauge("probe_up", 1, labels: ["probe": "about", "role": role]))
        case .cacheUnreachable:
            let down = breaching && first && (!nearMiss || since < 10)
            samples.append(.gauge("vigil_collector_up", down ? 0 : 1, labels: ["collector": "redis:cache"]))
            samples.append(.gauge("vigil_collector_up", 1, labels: ["collector": "system"]))
        case .cacheHitRatio:
            let hitShare = gauge(0.9, 0.3, 0.6)
            let hits = 90 * min(t, Double(Self.breachStart)) + 100 * hitShare * since
            let misses = 10 * min(t, Double(Self.breachStart)) + 100 * (1 - hitShare) * since
            samples += [.counter("redis_keyspace_hits_total", hits), .counter("redis_keyspace_misses_total", misses)]
        case .connectionPool:
            samples.append(.gauge("postgres_connections_used_ratio", gauge(0.3, 0.95, 0.85)))
        case .syncFailures:
            samples += [
                .counter("app_sync_attempts_total", 100 * t),
                .counter("app_sync_failures_total", 100 * ratio(0.10, 0.04) * since),
            ]
        case .memoryLeak:
            samples.append(
                .gauge("process_rss_growth_bytes_per_second", gauge(0, 200_000, 50_000), labels: ["process": "api"])
            )
        case .nodeSilent:
            break
        }
        return samples
    }

    /// 100 requests a second, all as slow as `latency` from the breach on.
    private func histogram(second: Int, latency: Double) -> MetricSample {
        let bounds = SimulatedApplication.latencyBounds
        var counts = [UInt64](repeating: 0, count: bounds.count + 1)
        let healthySeconds = UInt64(min(second, Self.breachStart))
        let breachSeconds = UInt64(max(0, second - Self.breachStart))
        for (seconds, value) in [(healthySeconds, 0.02), (breachSeconds, latency)] {
            let bucket = bounds.firstIndex { value <= $0 } ?? bounds.count
            for index in bucket..<counts.count { counts[index] += 100 * seconds }
        }
        return MetricSample(
            series: SeriesDescriptor(name: "app_request_duration_seconds", kind: .histogram, bucketUpperBounds: bounds),
            value: .histogram(HistogramValue(cumulativeCounts: counts, sum: 0))
        )
    }
}
