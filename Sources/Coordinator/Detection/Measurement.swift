import Foundation
import Shared

/// One subject's reading of a rule's signal at one evaluation.
struct Measurement: Hashable, Sendable {
    var key: AlertKey
    /// The service an incident for it belongs to.
    var service: String
    var value: Double
    /// Whether the value crosses the rule's threshold.
    var holds: Bool
    /// The nodes the reading is about: the node itself, or the service's nodes whose own value crosses the
    /// threshold (all of its measured nodes when none does on its own).
    var nodes: [NodeID]
}
