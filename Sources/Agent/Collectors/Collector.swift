import Shared

/// One source of measurements on the host. Every collector has the same shape, so the scheduler can run
/// each on its own interval, hold it to its timeout and report its failure without delaying the others.
protocol Collector: Sendable {
    /// Unique among the agent's collectors; the `collector` label of `vigil_collector_up`.
    var name: String { get }
    /// How often it runs.
    var interval: Duration { get }
    /// The longest a single `collect()` may take before it counts as failed.
    var timeout: Duration { get }
    func collect() async throws -> CollectorOutput
}

/// What one run of a collector found: measurements, and the results of any health probes it ran.
struct CollectorOutput: Sendable, Equatable {
    var measurements: [MetricSample]
    var probes: [ProbeResult]

    init(measurements: [MetricSample] = [], probes: [ProbeResult] = []) {
        self.measurements = measurements
        self.probes = probes
    }
}

/// Why a collector produced nothing this round.
enum CollectorError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, detail: String)
    case timedOut(collector: String, after: Duration)
    case unavailable(target: String, reason: String)

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .malformed(let path, let detail): "unexpected content in \(path): \(detail)"
        case .timedOut(let collector, let after): "collector \(collector) did not finish within \(after)"
        case .unavailable(let target, let reason): "\(target): \(reason)"
        }
    }
}
