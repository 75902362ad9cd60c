import Shared

/// One source of measurements on the host. Every collector has the same shape, so the loop can run them
/// side by side, hold each to its timeout and report the failure of one without delaying the others.
protocol Collector: Sendable {
    /// Unique among the agent's collectors; the `collector` label of `vigil_collector_up`.
    var name: String { get }
    /// The longest a single `collect()` may take before it counts as failed.
    var timeout: Duration { get }
    func collect() async throws -> [MetricSample]
}

/// Why a collector produced nothing this round.
enum CollectorError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, detail: String)
    case timedOut(collector: String, after: Duration)

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .malformed(let path, let detail): "unexpected content in \(path): \(detail)"
        case .timedOut(let collector, let after): "collector \(collector) did not finish within \(after)"
        }
    }
}
