import Foundation

/// The limits every automatic fix works within.
struct RemediationSettings: Hashable, Sendable {
    /// Whether remediation acts at start; `vigil remediation pause|resume` changes it while running.
    var isEnabled = true
    /// How many nodes of one service may be under a fix at once: a count, or a share of the service's nodes
    /// (at least one). The first node of a step is always fixed alone (the canary).
    var blastRadius: BlastRadius = .nodes(1)
    /// How long the same action may not run again on the same node.
    var cooldown: Duration = .seconds(15 * 60)
    /// The most commands remediation issues for one incident; past it, people take over.
    var maximumActionsPerIncident = 5
    /// How long a command may wait for its node and its result.
    var commandLifetime: Duration = .seconds(300)

    enum BlastRadius: Hashable, Sendable {
        case nodes(Int)
        case percent(Double)

        /// How many of `serviceSize` nodes may be under a fix at once; never less than one.
        func limit(serviceSize: Int) -> Int {
            switch self {
            case .nodes(let count): max(1, count)
            case .percent(let share): max(1, Int((Double(serviceSize) * share / 100).rounded(.down)))
            }
        }
    }
}
