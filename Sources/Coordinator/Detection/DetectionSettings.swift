import Foundation

/// How detection and incidents behave, apart from the rules themselves.
struct DetectionSettings: Hashable, Sendable {
    /// How often every rule is evaluated, for `for`/`clear_for` timers and for silence.
    var evaluationInterval: Duration = .seconds(1)
    /// How long a node may go without reporting before it counts as silent; after a restart, the coordinator
    /// waits this long before declaring any node silent.
    var heartbeatAllowance: Duration = .seconds(30)
    /// How long an incident whose alerts all cleared stays in MONITORING before it resolves itself.
    var quietWindow: Duration = .seconds(10 * 60)
    /// How long after it resolved an incident reopens, rather than a new one opening, when its kind fires again
    /// in its service.
    var reopenWindow: Duration = .seconds(30 * 60)
}
